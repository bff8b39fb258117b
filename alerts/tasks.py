"""Celery tasks for alerts, discovered here; they are defined beside the work they queue
(``fanout``), which queues them itself, so neither module imports the other back."""
from __future__ import annotations

from .fanout import send_delivery, sweep_deliveries

__all__ = ["send_delivery", "sweep_deliveries"]
