"""A module queues its app's task by name, in a process that never imported the tasks module."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

LOOKUP = """
import django
django.setup()
from damanat.celery import task_named
print(task_named("cameras.process_partition").name, task_named("detectors.retrieve_evidence").name)
"""


def test_a_task_is_found_by_name_before_its_module_is_imported():
    run = subprocess.run(
        [sys.executable, "-c", LOOKUP],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "damanat.settings"},
    )

    assert run.stdout.split() == ["cameras.process_partition", "detectors.retrieve_evidence"], run.stderr
