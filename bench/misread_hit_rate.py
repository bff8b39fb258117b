"""Figure: the misread inbox's top-1 and top-3 hit rate on a generated set of misreads.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_misreads \\
        .venv/bin/python bench/misread_hit_rate.py [--vehicles 500] [--misread-share 0.3] [--seed 21]

Recreates the database, migrates it, and generates two facility days of traffic through
four gate cameras, each with its own way of misreading plates (Latin OCR pairs, Arabic
script pairs read on the Arabic half of the plate, and mistakes no prior knows of). Every
vehicle has a Saudi plate (three of the 17 plate letters, one to four digits; 40 % from six
company fleets whose plates share their letters and differ in the number), a colour,
a type and a make the cameras report most of the time (sometimes wrongly); a share of
them is still inside at the end, and a few exits have no entry at all (cars that came in
before the cameras were on). ``--misread-share`` of the vehicles get their entry or exit
read misread by that camera's pattern (one or two characters, else a random character;
one in ten also loses a character).

The reads go through the real batch path (anpr.services.record_plate_reads, 200 per
batch), the sweep queues the entries, and the inbox ranks every item. Day 1 is the
warm-up: its items are resolved with their true match, one call each, as staff would,
which teaches the cameras their confusions. Day 2 is the measure: the share of its items
whose true match is the first candidate (top-1) and among the three shown (top-3), with
the learned counts (warm) and with them cleared (cold), on the same pool of candidates.
Items with no true match (the genuine orphans) are counted apart.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

LETTERS = "ABJDRSXTEGKLZNHUV"  # the 17 Saudi plate letters, canonical Latin
# What each camera reads where the plate shows a character: true -> read.
CAMERAS = {
    "IN-1": ("entry", {"B": "8", "3": "8", "N": "B", "0": "D"}),  # Latin OCR, dusty lens
    "IN-2": ("entry", {"N": "B", "X": "S", "8": "7", "R": "D"}),  # reads the Arabic half
    "OUT-1": ("exit", {"6": "5", "H": "K", "2": "Z", "G": "6"}),  # its own, mostly unknown mistakes
    "OUT-2": ("exit", {"J": "H", "3": "2", "U": "V", "4": "1"}),
}
COLOURS = [
    ("white", 45),
    ("silver", 15),
    ("black", 12),
    ("gray", 10),
    ("red", 5),
    ("blue", 5),
    ("brown", 3),
    ("golden", 3),
    ("green", 2),
]
TYPES = [("sedan", 55), ("suv", 30), ("pickup", 10), ("van", 5)]
MAKES = [str(code) for code in range(1001, 1021)]
FLEET_SHARE = 0.4  # company and rental cars: six fleets of look-alike plates (--fleet-share)


@dataclass
class Car:
    plate: str
    colour: str
    kind: str
    make: str
    day: int
    entered: datetime | None
    left: datetime | None
    misread_gate: str = ""  # "entry", "exit" or ""
    passages: dict = field(default_factory=dict)  # gate -> passage id


def weighted(rng: random.Random, table) -> str:
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]


def saudi_plate(
    rng: random.Random, taken: set[str], fleets: list[tuple[str, int]], fleet_share: float
) -> str:
    """A private plate, or one of a company fleet: the same letters, nearby numbers."""
    while True:
        if rng.random() < fleet_share:
            letters, base = rng.choice(fleets)
            plate = letters + str(base + rng.randint(0, 60))
        else:
            plate = "".join(rng.choice(LETTERS) for _ in range(3)) + str(rng.randint(1, 9999))
        if plate not in taken:
            taken.add(plate)
            return plate


def misread(rng: random.Random, plate: str, pattern: dict[str, str]) -> str:
    """One or two characters read the camera's way, else a random one; now and then a
    character is lost as well."""
    chars = list(plate)
    spots = [i for i, c in enumerate(chars) if c in pattern]
    rng.shuffle(spots)
    for i in spots[: rng.choice([1, 2])]:
        chars[i] = pattern[chars[i]]
    if not spots:
        i = rng.randrange(len(chars))
        pool = "0123456789" if chars[i].isdigit() else LETTERS
        chars[i] = rng.choice([c for c in pool if c != chars[i]])
    if rng.random() < 0.1 and len(chars) > 4:
        del chars[rng.randrange(len(chars))]
    return "".join(chars)


def generate(
    rng: random.Random, count: int, share: float, start: datetime, fleet_share: float = FLEET_SHARE
) -> list[Car]:
    taken: set[str] = set()
    fleets = [("".join(rng.choice(LETTERS) for _ in range(3)), rng.randint(1, 9900)) for _ in range(6)]
    cars = []
    for n in range(count):
        day = n % 2
        entered = start + timedelta(days=day, hours=rng.uniform(0, 14))
        left = entered + timedelta(minutes=rng.uniform(20, 600))
        if rng.random() < 0.08:
            left = None  # still inside
        elif rng.random() < 0.03:
            entered = None  # came in before the cameras were on: a true orphan exit
        car = Car(
            saudi_plate(rng, taken, fleets, fleet_share),
            weighted(rng, COLOURS),
            weighted(rng, TYPES),
            rng.choice(MAKES),
            day,
            entered,
            left,
        )
        if entered and left and rng.random() < share:
            car.misread_gate = rng.choice(["entry", "exit"])
        cars.append(car)
    return cars


def reported(rng: random.Random, value: str, options) -> str:
    """Cameras report an attribute most of the time, and sometimes get it wrong."""
    if rng.random() > 0.8:
        return ""
    return rng.choice([v for v, _w in options]) if rng.random() < 0.05 else value


def reads(rng: random.Random, cars: list[Car], cameras: dict):
    """(moment, camera, plate as read, car, gate, confidence, colour, type, make) in time order."""
    found = []
    for car in cars:
        for gate, moment in (("entry", car.entered), ("exit", car.left)):
            if moment is None:
                continue
            code = rng.choice([c for c, (g, _p) in CAMERAS.items() if g == gate])
            wrong = car.misread_gate == gate
            plate = misread(rng, car.plate, CAMERAS[code][1]) if wrong else car.plate
            confidence = rng.uniform(70, 92) if wrong else rng.uniform(85, 98)
            found.append(
                (
                    moment,
                    cameras[code],
                    plate,
                    car,
                    gate,
                    round(confidence, 1),
                    reported(rng, car.colour, COLOURS),
                    reported(rng, car.kind, TYPES),
                    reported(rng, car.make, [(m, 1) for m in MAKES]),
                )
            )
    return sorted(found, key=lambda r: r[0])


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def load(rng: random.Random, cars: list[Car]) -> int:
    from anpr.models import Vehicle
    from anpr.services import record_plate_reads
    from cameras.models import Camera, CameraEvent

    cameras = {
        code: Camera.objects.create(
            code=code,
            ip_address=f"10.9.0.{n + 1}",
            role=Camera.Role.ENTRY_GATE if gate == "entry" else Camera.Role.EXIT_GATE,
        )
        for n, (code, (gate, _p)) in enumerate(CAMERAS.items())
    }
    Vehicle.objects.bulk_create([Vehicle(plate=c.plate) for c in cars if rng.random() < 0.4])
    rows = reads(rng, cars, cameras)
    events = CameraEvent.objects.bulk_create(
        [
            CameraEvent(
                camera=camera,
                event_type="ANPR",
                plate=plate,
                original_plate=plate,
                trigger_time=moment,
                received_at=moment,
                plate_confidence=confidence,
                vehicle_color=colour,
                vehicle_type=kind,
                extra={"vehicle_brand": make} if make else {},
                status=CameraEvent.Status.ACCEPTED,
            )
            for moment, camera, plate, _car, _gate, confidence, colour, kind, make in rows
        ]
    )
    for start in range(0, len(events), 200):
        record_plate_reads(events[start : start + 200])
    _remember_passages(events, rows)
    return len(events)


def _remember_passages(events, rows) -> None:
    from anpr.models import GatePassage

    by_event = dict(GatePassage.objects.filter(event__in=events).values_list("event_id", "id"))
    for event, (_m, _c, _p, car, gate, *_rest) in zip(events, rows, strict=True):
        if event.pk in by_event:
            car.passages[gate] = by_event[event.pk]


def truth(cars: list[Car]) -> dict[int, tuple[int | None, int]]:
    """passage id -> (the passage of the same car at the other gate, the car's day)."""
    found = {}
    for car in cars:
        entry, exit_ = car.passages.get("entry"), car.passages.get("exit")
        if entry:
            found[entry] = (exit_, car.day)
        if exit_:
            found[exit_] = (entry, car.day)
    return found


def reachable(reviews, answers) -> int:
    """Items whose true match is still unmatched: the others no ranking can find (a probable
    match paired it with another car's read)."""
    from anpr.models import GatePassage, Visit

    wanted = [answers[r.passage_id] for r in reviews]
    open_ones = (
        GatePassage.objects.filter(pk__in=wanted)
        .filter(visit_entered__status__in=[Visit.Status.OPEN, Visit.Status.STALE])
        .count()
    )
    orphans = GatePassage.objects.filter(pk__in=wanted, visit_exited__status=Visit.Status.ORPHAN_EXIT).count()
    return open_ones + orphans


def hit_rates(reviews, answers) -> tuple[float, float, int, float]:
    from anpr import misreads

    seconds = float("inf")
    for _run in range(2):  # the better of two: the first also warms the database's caches
        started = time.perf_counter()
        ranked = misreads.candidates_for(reviews)
        seconds = min(seconds, time.perf_counter() - started)
    top1 = top3 = 0
    for review in reviews:
        ids = [c.passage.pk for c in ranked[review.pk]]
        top1 += bool(ids) and ids[0] == answers[review.passage_id]
        top3 += answers[review.passage_id] in ids
    n = len(reviews)
    return top1 / n, top3 / n, n, 1000 * seconds / n


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--vehicles", type=int, default=500)
    parser.add_argument("--misread-share", type=float, default=0.3)
    parser.add_argument("--fleet-share", type=float, default=FLEET_SHARE)
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_misreads")
    ensure_database(url)

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from anpr import misreads
    from anpr.models import GatePassage, MisreadReview, PlateConfusion

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    start = datetime(2026, 3, 1, 6, 0, tzinfo=ZoneInfo("Asia/Riyadh"))
    cars = generate(rng, args.vehicles, args.misread_share, start, args.fleet_share)
    loaded = load(rng, cars)
    misreads.sweep(now=start + timedelta(days=2, hours=12))
    answers = {pk: other for pk, (other, _day) in truth(cars).items()}
    days = {pk: day for pk, (_other, day) in truth(cars).items()}
    items = list(misreads.inbox())
    matchable = [r for r in items if answers.get(r.passage_id)]
    warm_up = [r for r in matchable if days[r.passage_id] == 0]
    measured = [r for r in matchable if days[r.passage_id] == 1]
    misread_cars = sum(bool(c.misread_gate) for c in cars)
    print(
        f"{args.vehicles} vehicles, {loaded} reads, {misread_cars} misread; "
        f"{len(items)} inbox items ({len(items) - len(matchable)} with no true match)"
    )

    staff = User.objects.create(username="bench-staff")
    resolved = unpairable = 0
    for review in warm_up:
        if not MisreadReview.objects.open().filter(pk=review.pk).exists():
            continue  # settled with its match's item
        try:
            misreads.resolve(review, GatePassage.objects.get(pk=answers[review.passage_id]), by=staff)
            resolved += 1
        except misreads.CannotResolve:  # settled with its match, or the match went to another car
            unpairable += 1
    learned = PlateConfusion.objects.count()
    measured = list(
        MisreadReview.objects.pending()
        .filter(pk__in=[r.pk for r in measured])
        .select_related("passage__camera")
    )
    within_reach = reachable(measured, answers)
    warm = hit_rates(measured, answers)
    PlateConfusion.objects.all().delete()
    cold = hit_rates(measured, answers)
    print(
        f"day 1: {len(warm_up)} items, {resolved} resolved ({unpairable} could not be: their match "
        f"had been paired with another car), {learned} confusion counters learned"
    )
    print(
        f"day 2: {len(measured)} items, {within_reach} with their true match still unmatched "
        f"(the best any ranking can do: {within_reach / len(measured):.1%})"
    )
    for name, (top1, top3, n, ms) in (("cold", cold), ("warm", warm)):
        print(
            f"day 2 {name}: top-1 {top1:.1%}  top-3 {top3:.1%}  over {n} items  "
            f"({ms:.1f} ms ranking per item)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
