"""Arrows between the project's top-level apps, and those that run back up the layers.

    .venv/bin/python bench/import_arrows.py            # application code (no tests, no migrations)
    .venv/bin/python bench/import_arrows.py --tests    # tests too

An arrow is "app A imports app B" (any import, module level or inside a function). The
layer order is the one the import-linter contract in pyproject.toml enforces; an arrow
that runs from a lower app to a higher one, or between two apps of one layer, is a
back-import. Prints every arrow, marks the back ones, and ends with the counts.
"""

from __future__ import annotations

import argparse
import ast
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def layer_order() -> list[list[str]]:
    """The layers contract's order, lowest first; `a | b` is one layer of independent apps."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    return [[name.strip() for name in layer.split("|")] for layer in reversed(layers)]


def app_folders() -> list[str]:
    return sorted(p.parent.name for p in ROOT.glob("*/apps.py"))


def imported_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def arrows(apps: list[str], with_tests: bool) -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or (not with_tests and ("tests" in parts or path.name == "testing.py")):
                continue
            for target in imported_names(ast.parse(path.read_text())) & set(apps) - {app}:
                found[(app, target)].append(str(path.relative_to(ROOT)))
    return found


def runs_back(importer: str, imported: str, rank: dict[str, int]) -> bool:
    if importer not in rank or imported not in rank:
        return True  # an app outside the contract is a hole in it
    return rank[imported] >= rank[importer]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tests", action="store_true", help="count the tests' imports too")
    args = parser.parse_args()
    rank = {app: level for level, layer in enumerate(layer_order()) for app in layer}
    found = arrows(app_folders(), args.tests)
    back = 0
    for (importer, imported), files in sorted(found.items()):
        is_back = runs_back(importer, imported, rank)
        back += is_back
        mark = "BACK " if is_back else "     "
        print(f"{mark}{importer} -> {imported}  ({len(files)} files, e.g. {files[0]})")
    print(f"\n{len(found)} arrows between apps, {back} run back up the layers")


if __name__ == "__main__":
    main()
