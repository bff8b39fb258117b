"""Celery tasks for alerts: thin, they take ids."""
from __future__ import annotations

from celery import shared_task

from . import backtest, fanout


@shared_task(name="alerts.send_delivery", ignore_result=True)
def send_delivery(delivery_id: int) -> str:
    return fanout.deliver(delivery_id)


@shared_task(name="alerts.sweep_deliveries", ignore_result=True)
def sweep_deliveries() -> int:
    return fanout.sweep()


@shared_task(name="alerts.run_backtest", ignore_result=True)
def run_backtest(run_id: int) -> None:
    backtest.run_backtest(run_id)
