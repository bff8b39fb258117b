"""``./dev.sh demo`` as a newcomer runs it: Ctrl-C, or a kill of the script, stops everything it started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from damanat.testing import free_port, wait_until

pytestmark = pytest.mark.slow


def descendants(pid: int) -> set[int]:
    found = set()
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found |= {int(child), *descendants(int(child))}
    return found


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def ctrl_c(demo: subprocess.Popen) -> None:
    os.killpg(demo.pid, signal.SIGINT)  # what the terminal sends its foreground group


def kill(demo: subprocess.Popen) -> None:
    demo.terminate()  # the script alone, as `kill <pid>` or a supervisor does


@pytest.mark.parametrize("stop", [ctrl_c, kill])
def test_stopping_the_demo_stops_the_web_server_the_worker_and_beat(tmp_path, stop):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(VENV=sys.prefix, PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    demo = subprocess.Popen(
        ["./dev.sh", "demo"],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def serving() -> bool:
            try:
                return requests.get(f"http://127.0.0.1:{port}/liveness", timeout=1).status_code == 200
            except requests.RequestException:
                return False

        assert wait_until(serving, timeout=300), "the demo did not start"
        started = descendants(demo.pid)
        assert len(started) >= 2  # uvicorn and the Celery worker with beat
        stop(demo)
        demo.wait(60)
        assert wait_until(lambda: not any(running(pid) for pid in started), timeout=30), [
            pid for pid in started if running(pid)
        ]
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
        time.sleep(0.1)
