"""The mypy configuration CI runs (`./dev.sh types`): every app checked, every module it names real.

mypy itself runs in `.ci/run` before the tests; these checks are cheap and catch what mypy
would not complain about: an app left out, or a module renamed or moved while its strict or
baseline entry still names the old path (the entry would then silently apply to nothing).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

STRICT_FLAGS = {
    "disallow_any_generics",
    "disallow_subclassing_any",
    "disallow_untyped_calls",
    "disallow_untyped_decorators",
    "warn_return_any",
    "no_implicit_reexport",
    "extra_checks",
}


def _our_apps() -> set[str]:
    # Top-level folders of the repository only: a virtualenv inside it holds Django's own apps.
    return {app.label for app in apps.get_app_configs() if Path(app.path).parent == settings.BASE_DIR}


def _mypy() -> dict:
    return tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())["tool"]["mypy"]


def _exists(module: str) -> bool:
    if module.endswith(".*"):
        return (settings.BASE_DIR / module[:-2].replace(".", "/")).is_dir()
    path = settings.BASE_DIR / module.replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _own_modules(override: dict) -> list[str]:
    modules = override["module"]
    modules = [modules] if isinstance(modules, str) else modules
    return [m for m in modules if m.split(".")[0] in _our_apps()]


def test_mypy_checks_every_app_with_the_django_and_drf_plugins():
    config = _mypy()

    assert _our_apps() - set(config["files"]) == set()
    assert {"mypy_django_plugin.main", "mypy_drf_plugin.main"} <= set(config["plugins"])
    assert config["disallow_untyped_defs"] and config["check_untyped_defs"]


def test_every_module_named_in_the_overrides_exists():
    missing = [m for override in _mypy()["overrides"] for m in _own_modules(override) if not _exists(m)]

    assert missing == []


def test_the_strict_list_sets_every_strict_flag():
    strict = [o for o in _mypy()["overrides"] if STRICT_FLAGS & o.keys()]

    assert len(strict) == 1
    assert all(strict[0][flag] is True for flag in STRICT_FLAGS)
    assert "damanat.numbers" in strict[0]["module"]
