"""How much of the code is annotated: functions with a return annotation, fully annotated.

    .venv/bin/python bench/annotation_coverage.py                 # the apps, without tests and migrations
    .venv/bin/python bench/annotation_coverage.py --tests         # the apps' tests only
    .venv/bin/python bench/annotation_coverage.py --missing       # list public functions still missing some
    .venv/bin/python bench/annotation_coverage.py --skip alerts/fanout.py --skip 'alerts/transports/*'

Reads the sources with `ast` (nothing is imported). A function is "fully annotated" when its
return and every parameter but a method's `self`/`cls` are annotated; `__init__` needs no
return annotation when a parameter is annotated (mypy's own rule). "Public" functions are
those at module or class level whose name does not start with one underscore (dunders are
public); functions nested in functions are private.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "damanat",
    "cameras",
    "parking",
    "anpr",
    "alerts",
    "detectors",
    "integrations",
    "operations",
    "evidence",
)


@dataclass
class Function:
    path: str
    line: int
    name: str
    public: bool
    returns: bool
    full: bool


def _is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name.startswith("test_") or path.name == "conftest.py"


def source_files(apps: tuple[str, ...], tests: bool, skip: list[str]) -> list[Path]:
    files = []
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts or _is_test(rel) != tests:
                continue
            if any(fnmatch.fnmatch(str(rel), pattern) for pattern in skip):
                continue
            files.append(path)
    return files


def _is_method(node: ast.AST, parent: ast.AST) -> bool:
    if not isinstance(parent, ast.ClassDef):
        return False
    decorators = {d.id for d in node.decorator_list if isinstance(d, ast.Name)}  # type: ignore[attr-defined]
    return "staticmethod" not in decorators


def _describe(node: ast.FunctionDef | ast.AsyncFunctionDef, parent: ast.AST, path: str) -> Function:
    args = node.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if _is_method(node, parent) and params:
        params = params[1:]
    params += [a for a in (args.vararg, args.kwarg) if a is not None]
    params_annotated = all(p.annotation is not None for p in params)
    returns = node.returns is not None or (node.name == "__init__" and bool(params) and params_annotated)
    nested = isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef)
    public = not nested and (not node.name.startswith("_") or node.name.endswith("__"))
    return Function(path, node.lineno, node.name, public, returns, returns and params_annotated)


def functions_in(path: Path) -> list[Function]:
    tree = ast.parse(path.read_text(), filename=str(path))
    rel = str(path.relative_to(ROOT))
    found = []

    def visit(parent: ast.AST) -> None:
        for child in ast.iter_child_nodes(parent):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append(_describe(child, parent, rel))
            visit(child)

    visit(tree)
    return found


def _line(label: str, functions: list[Function]) -> str:
    total = len(functions) or 1
    returns = sum(f.returns for f in functions)
    full = sum(f.full for f in functions)
    return (
        f"{label:<18} {len(functions):>6} functions   return annotated {100 * returns / total:5.1f} %"
        f"   fully annotated {100 * full / total:5.1f} %"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("apps", nargs="*", default=list(APPS), help="top-level folders (default: the apps)")
    parser.add_argument("--tests", action="store_true", help="count the tests instead of the code")
    parser.add_argument("--skip", action="append", default=[], help="glob of files to leave out")
    parser.add_argument("--missing", action="store_true", help="list public functions not fully annotated")
    options = parser.parse_args(argv)

    functions = [
        f
        for path in source_files(tuple(options.apps), options.tests, options.skip)
        for f in functions_in(path)
    ]
    public = [f for f in functions if f.public]
    print(_line("all functions", functions))
    print(_line("public functions", public))
    if options.missing:
        for f in public:
            if not f.full:
                print(f"{f.path}:{f.line}: {f.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
