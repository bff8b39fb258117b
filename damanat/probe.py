"""Health checks of the compose services: ``python -m damanat.probe url URL`` or ``fresh FILE SECONDS``.

``url``: the address answers 200 within 3 s (web and stream: /liveness).
``fresh``: the file, or a file named like it (shelve may add a suffix), changed within
SECONDS (beat rewrites its schedule file every few minutes while it runs).
Exit status 0 when healthy, 1 otherwise, with the reason on stderr. No Django: a probe
runs every few seconds and must stay cheap.
"""

from __future__ import annotations

import sys
import time
import urllib.request
from pathlib import Path


def url_answers(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:  # noqa: S310 — fixed local probe URL
            return None if answer.status == 200 else f"{url} answered {answer.status}"
    except OSError as exc:
        return f"{url}: {exc}"


def file_is_fresh(path: str, seconds: str) -> str | None:
    target = Path(path)
    candidates = [p for p in target.parent.glob(target.name + "*") if p.is_file()]
    if not candidates:
        return f"{path} does not exist"
    age = time.time() - max(p.stat().st_mtime for p in candidates)
    return None if age <= float(seconds) else f"{path} unchanged for {age:.0f} s"


PROBES = {"url": url_answers, "fresh": file_is_fresh}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in PROBES:
        print(f"usage: python -m damanat.probe {'|'.join(PROBES)} ARGS", file=sys.stderr)
        return 2
    problem = PROBES[argv[0]](*argv[1:])
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
