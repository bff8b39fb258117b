"""Helpers for tests that need a real Celery worker."""

from __future__ import annotations

import time
from collections.abc import Callable


def use_celery_broker(url: str, transport_options: dict | None = None) -> None:
    """Point the Celery app at another broker, dropping every pooled connection to the old one.

    Resetting only ``app._pool`` is not enough: the producer pool keeps publishing to the
    previous broker, so a worker on the new one would never see the task.
    """
    from kombu import pools

    from damanat.celery import app

    pools.reset()
    app.conf.broker_url = url
    app.conf.broker_transport_options = transport_options or {}
    app._pool = None
    app.amqp._producer_pool = None


def wait_until(check: Callable[[], object], timeout: float = 10.0) -> bool:
    """Poll ``check`` until it is true or ``timeout`` seconds have passed; whether it came true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return bool(check())


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A free port on 127.0.0.1, inside DAMANAT_TEST_PORTS (``8400-8499``) when that is set;
    never the same one twice in a process, so several servers can be given ports at once."""
    import os
    import socket

    low, _, high = os.environ.get("DAMANAT_TEST_PORTS", "0-0").partition("-")
    for port in range(int(low), int(high) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            chosen = probe.getsockname()[1]
        if chosen not in _HANDED_OUT:
            _HANDED_OUT.add(chosen)
            return chosen
    raise RuntimeError(f"no free port in DAMANAT_TEST_PORTS={low}-{high}")


def database_url() -> str:
    """The test database as a DATABASE_URL, for a process a test starts (PostgreSQL)."""
    from django.db import connection

    db = connection.settings_dict
    login = f"{db['USER']}:{db['PASSWORD']}" if db["PASSWORD"] else db["USER"]
    return f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
