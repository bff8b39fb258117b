"""What happened to one camera during a provisioning run, for commands, admin and tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cameras.models import Camera


class ProvisioningError(Exception):
    """A camera cannot be provisioned as configured (a problem on our side, not the device's)."""


class NoPushTrigger(ProvisioningError):
    """The device supports none of the triggers that would make it push: it will never push."""


@dataclass
class Outcome:
    camera: Camera
    dry_run: bool = False
    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    changes: int = 0
    push_broken: bool = False  # the failure means the device cannot push to us at all
    # Camera fields learnt from the device, saved by the caller's thread (never a worker's).
    updates: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def changed(self) -> bool:
        return self.changes > 0

    def step(self, text: str, *, changed: bool = False) -> None:
        self.steps.append(text)
        self.changes += changed

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def fail(self, text: str, *, push_broken: bool = False) -> Outcome:
        self.error = text
        self.push_broken = push_broken
        return self

    @property
    def result(self) -> str:
        """One word for a summary table: FAILED, WOULD CHANGE, CHANGED or OK."""
        if self.error:
            return "FAILED"
        if self.changed:
            return "WOULD CHANGE" if self.dry_run else "CHANGED"
        return "OK"

    def summary(self) -> str:
        if self.error:
            return f"FAILED: {self.error}"
        if self.dry_run and self.changed:
            status = f"would change {self.changes} setting(s)"
        else:
            status = "OK" if self.changed else "OK (no change)"
        return f"{status}{f', {len(self.warnings)} warning(s)' if self.warnings else ''}"
