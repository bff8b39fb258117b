"""GeoJSON zone geometry: a Polygon or MultiPolygon, in image pixels or lon/lat.

Errors are plain sentences an installer can act on ("ring 1 is not closed").
"""

from __future__ import annotations

from numbers import Real

MAX_RINGS = 50
MAX_POINTS_PER_RING = 1000
MAX_POLYGONS = 50
# Image coordinates: pixels of frames up to 8K, with some room for margins.
MAX_PIXEL = 10000


class GeometryError(ValueError):
    pass


def validate_geometry(geometry: object) -> dict:
    """Return the geometry unchanged if valid, else raise GeometryError."""
    if not isinstance(geometry, dict):
        raise GeometryError("geometry must be a GeoJSON object")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = _as_list(coordinates, "MultiPolygon coordinates")
        if not polygons or len(polygons) > MAX_POLYGONS:
            raise GeometryError(f"a MultiPolygon needs 1 to {MAX_POLYGONS} polygons")
    else:
        raise GeometryError("geometry type must be Polygon or MultiPolygon")
    points = [point for polygon in polygons for point in _polygon_points(polygon)]
    _check_space(points)
    return geometry


def _as_list(value: object, what: str) -> list:
    if not isinstance(value, list):
        raise GeometryError(f"{what} must be an array")
    return value


def _polygon_points(polygon: object) -> list[tuple[float, float]]:
    rings = _as_list(polygon, "polygon coordinates")
    if not rings or len(rings) > MAX_RINGS:
        raise GeometryError(f"a polygon needs 1 to {MAX_RINGS} rings")
    points: list[tuple[float, float]] = []
    for number, ring in enumerate(rings, start=1):
        points.extend(_ring_points(ring, number))
    return points


def _ring_points(ring: object, number: int) -> list[tuple[float, float]]:
    positions = _as_list(ring, f"ring {number}")
    if len(positions) < 4:
        raise GeometryError(f"ring {number} needs at least 4 positions (a closed triangle)")
    if len(positions) > MAX_POINTS_PER_RING:
        raise GeometryError(f"ring {number} has more than {MAX_POINTS_PER_RING} positions")
    points = [_point(position, number) for position in positions]
    if points[0] != points[-1]:
        raise GeometryError(f"ring {number} is not closed: its first and last positions differ")
    if len(set(points)) < 3:
        raise GeometryError(f"ring {number} needs at least 3 distinct positions")
    if _area(points) == 0:
        raise GeometryError(f"ring {number} has no area")
    return points


def _point(position: object, ring: int) -> tuple[float, float]:
    if (
        not isinstance(position, list)
        or len(position) not in (2, 3)
        or not all(isinstance(v, Real) and not isinstance(v, bool) for v in position)
    ):
        raise GeometryError(f"ring {ring}: every position must be [x, y] numbers")
    return float(position[0]), float(position[1])


def _area(points: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False))) / 2


def coordinate_space(points: list[tuple[float, float]]) -> str:
    """'lonlat' when every point fits longitude/latitude ranges and has a fraction, else 'image'."""
    fits_lonlat = all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in points)
    fractional = any(x != int(x) or y != int(y) for x, y in points)
    return "lonlat" if fits_lonlat and fractional else "image"


def _check_space(points: list[tuple[float, float]]) -> None:
    if coordinate_space(points) == "lonlat":
        return
    if any(x < 0 or y < 0 for x, y in points):
        raise GeometryError(
            "image coordinates must not be negative (or give lon/lat within -180..180, -90..90)"
        )
    if any(x > MAX_PIXEL or y > MAX_PIXEL for x, y in points):
        raise GeometryError(f"image coordinates must be at most {MAX_PIXEL} pixels")
