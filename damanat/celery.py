"""The Celery app; tasks are discovered in each app's tasks.py."""

from __future__ import annotations

import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")

app = Celery("damanat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def task_named(name: str) -> Task:
    """A registered task, by its name. A module queues its own app's task this way: the
    tasks module sits on top of its app and imports that module, never the other way."""
    if name not in app.tasks:
        app.loader.import_default_modules()  # the apps' tasks modules (autodiscover is lazy)
    return app.tasks[name]
