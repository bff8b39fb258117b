"""The apps keep their layers: the import-linter contracts in pyproject.toml hold."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def lint_imports() -> str:
    found = Path(sys.executable).with_name("lint-imports")
    return str(found) if found.exists() else shutil.which("lint-imports") or "lint-imports"


def test_no_app_imports_a_layer_above_it_and_no_module_cycle():
    run = subprocess.run(
        [lint_imports(), "--no-cache"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
