"""Every app's tests run in CI: an app left out of pytest's testpaths fails here."""

from __future__ import annotations

import tomllib

from django.apps import apps
from django.conf import settings


def test_every_app_with_tests_is_in_testpaths():
    config = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())
    testpaths = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    ours = {
        app.label
        for app in apps.get_app_configs()
        if app.path.startswith(str(settings.BASE_DIR)) and (settings.BASE_DIR / app.label / "tests").is_dir()
    }

    assert ours - testpaths == set()
    assert {"operations", "cameras", "damanat"} <= ours
