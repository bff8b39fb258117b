"""Rebuild the mypy baseline in pyproject.toml from what mypy finds now.

    .venv/bin/python bench/mypy_baseline.py            # print the blocks it would write, and the figures
    .venv/bin/python bench/mypy_baseline.py --write    # replace the baseline blocks in pyproject.toml

Runs mypy with the baseline blocks left out, groups the modules that still have errors by
the set of error codes found in them, and prints one `disable_error_code` block per group.
For after a move or a rename (the old names no longer match), or after fixing a module: the
baseline only ever shrinks, so a module that appears here for the first time is new code
that should be fixed instead. The strict list and the other overrides are kept as they are.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
MARKER = "# Baseline: the error codes mypy still finds"
ERROR = re.compile(r"^([\w/]+)\.py(?::\d+)?: error: .*\[([a-z-]+)\]$")


def without_baseline(text: str) -> str:
    return text[: text.index(MARKER)]


def mypy_errors(config: str) -> dict[str, set[str]]:
    with tempfile.NamedTemporaryFile("w", suffix=".toml", dir=ROOT, delete=False) as handle:
        handle.write(config)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "mypy", "--config-file", handle.name],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    finally:
        Path(handle.name).unlink()
    found: dict[str, set[str]] = defaultdict(set)
    for line in run.stdout.splitlines():
        match = ERROR.match(line.strip())
        if match:
            module = match.group(1).replace("/", ".").removesuffix(".__init__")
            found[module].add(match.group(2))
    return found


def module_list(modules: list[str]) -> str:
    if len(modules) == 1:
        return f'module = "{modules[0]}"'
    lines, current = ["module = ["], "   "
    for module in modules:
        piece = f' "{module}",'
        if len(current) + len(piece) > 104:
            lines.append(current)
            current = "   "
        current += piece
    lines += [current.rstrip(","), "]"]
    return "\n".join(lines)


def baseline_blocks(found: dict[str, set[str]]) -> str:
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for module, codes in sorted(found.items()):
        groups[tuple(sorted(codes))].append(module)
    blocks = [
        f"{MARKER} in existing modules (issue 20). Each block lists\n"
        "# modules with the same codes. Fix a module and take it off its list; never add one."
    ]
    for codes, modules in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        quoted = ", ".join(f'"{code}"' for code in codes)
        blocks.append(f"[[tool.mypy.overrides]]\n{module_list(modules)}\ndisable_error_code = [{quoted}]")
    return "\n\n".join(blocks) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help="replace the baseline in pyproject.toml")
    options = parser.parse_args(argv)

    head = without_baseline(PYPROJECT.read_text())
    found = mypy_errors(head)
    blocks = baseline_blocks(found)
    if options.write:
        PYPROJECT.write_text(head + blocks)
    else:
        print(blocks)
    print(f"baseline: {len(found)} modules", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
