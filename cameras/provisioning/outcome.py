"""What happened to one camera during a provisioning run, for commands, admin and tasks."""
from __future__ import annotations

from dataclasses import dataclass, field


class ProvisioningError(Exception):
    """A camera cannot be provisioned as configured (a problem on our side, not the device's)."""


@dataclass
class Outcome:
    camera: object
    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    changed: bool = False

    @property
    def ok(self) -> bool:
        return not self.error

    def step(self, text: str, *, changed: bool = False) -> None:
        self.steps.append(text)
        self.changed = self.changed or changed

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def fail(self, text: str) -> Outcome:
        self.error = text
        return self

    def summary(self) -> str:
        if self.error:
            return f"FAILED: {self.error}"
        status = "OK" if self.changed else "OK (no change)"
        return f"{status}{f', {len(self.warnings)} warning(s)' if self.warnings else ''}"
