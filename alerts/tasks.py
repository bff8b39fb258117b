"""Celery tasks for alerts, discovered here. The outbox tasks are defined beside the work
they queue (``fanout``), which queues them itself, so neither module imports the other back."""

from __future__ import annotations

from celery import shared_task

from . import backtest
from .fanout import send_delivery, sweep_deliveries

__all__ = ["run_backtest", "send_delivery", "sweep_deliveries"]


@shared_task(name="alerts.run_backtest", ignore_result=True)
def run_backtest(run_id: int) -> None:
    backtest.run_backtest(run_id)
