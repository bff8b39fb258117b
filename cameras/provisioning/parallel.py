"""Many cameras at once: device calls in a bounded pool of threads.

Each camera waits on its own device (up to ISAPI_TIMEOUT_SECONDS a call), so a site of
a hundred cameras takes about as long as its slowest few, not the sum of all. The work
run in threads must not touch the database; callers record results afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

DEFAULT_WORKERS = 16


def run_parallel(
    work: Callable[[Item], Result],
    items: Iterable[Item],
    *,
    workers: int = DEFAULT_WORKERS,
    on_done: Callable[[int, Item, Result], None] | None = None,
) -> list[Result]:
    """``work(item)`` for every item, at most ``workers`` at a time; results in input order.

    ``on_done(count_done, item, result)`` runs in the caller's thread as each finishes."""
    items = list(items)
    results: list = [None] * len(items)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(items) or 1))) as pool:
        futures = {pool.submit(work, item): index for index, item in enumerate(items)}
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            results[index] = future.result()
            if on_done is not None:
                on_done(done, items[index], results[index])
    return results
