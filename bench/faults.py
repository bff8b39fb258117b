"""Faults under load: PostgreSQL restarted, Redis stopped, a Celery worker killed mid-delivery.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_damanat \\
        .venv/bin/python bench/faults.py postgres redis worker

Stops and starts the local PostgreSQL cluster and Redis server (run it on a machine with
nothing else using them). Each scenario prints what the cameras were answered and what
was stored or delivered in the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import threading
import time
from pathlib import Path

from stack import Receiver, Stack, Tally, paced_pushes, stack_env

from alerts.models import Alert, Delivery, NotificationChannel
from cameras import simulator
from cameras.models import CameraEvent

PG_VERSION = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]


def pg(action: str) -> None:
    subprocess.run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            PG_VERSION,
            "main",
            action,
            *(["-m", "fast"] if action == "stop" else []),
        ],
        check=True,
    )


def redis_stop() -> None:
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], check=False)


def redis_start() -> None:
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
    )
    time.sleep(1)


def later(seconds: float, action) -> threading.Thread:
    thread = threading.Thread(target=lambda: (time.sleep(seconds), action()), daemon=True)
    thread.start()
    return thread


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Exception:  # noqa: BLE001 — the database may still be coming back
            pass
        time.sleep(0.5)
    return False


def intrusion_push(n: int):
    body, ctype = simulator.build("fielddetection", zone="restricted-vip")
    return body, ctype, "192.168.1.101"


def postgres_restart(stack: Stack) -> dict:
    """Answers are 503 while the database is down, then 200; every 200 is stored."""
    tally = Tally()
    later(8, lambda: (pg("stop"), time.sleep(5), pg("start")))
    asyncio.run(paced_pushes(stack.url(), 40, 25, tally))
    wait_until(lambda: not CameraEvent.objects.queued().exists(), 60)
    stored = CameraEvent.objects.filter(pk__in=tally.accepted_ids).count()
    return {
        "scenario": "postgres restarted for ~5 s",
        "statuses": tally.statuses,
        "errors": tally.errors,
        "accepted": len(tally.accepted_ids),
        "stored_of_accepted": stored,
    }


def webhook_channel(receiver: Receiver) -> NotificationChannel:
    NotificationChannel.objects.filter(name="bench receiver").delete()
    return NotificationChannel.objects.create(
        name="bench receiver", kind="webhook", url=receiver.url, secret="bench-secret"
    )


def redis_outage(stack: Stack) -> dict:
    """Alerts raised while Redis is down are all delivered once it is back."""
    receiver = Receiver()
    channel = webhook_channel(receiver)
    tally = Tally()
    later(8, lambda: (redis_stop(), time.sleep(12), redis_start()))
    asyncio.run(paced_pushes(stack.url(), 10, 30, tally, push=intrusion_push))
    deliveries = Delivery.objects.filter(channel=channel)
    done = wait_until(lambda: not deliveries.exclude(status="sent").exists(), 180)
    receiver.close()
    return {
        "scenario": "redis stopped for ~12 s",
        "statuses": tally.statuses,
        "alerts": Alert.objects.filter(deliveries__channel=channel).distinct().count(),
        "deliveries": deliveries.count(),
        "sent": deliveries.filter(status="sent").count(),
        "all_sent_in_time": done,
        "received_requests": len(receiver.event_ids),
        "received_unique": len(set(receiver.event_ids)),
    }


def worker_killed(stack: Stack) -> dict:
    """A worker killed while sending: the delivery completes once (event id kept)."""
    receiver = Receiver(delay=3.0)
    channel = webhook_channel(receiver)
    body, ctype = simulator.build("fielddetection", zone="restricted-vip")
    subprocess.run(
        [
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-X",
            "POST",
            "-H",
            f"Content-Type: {ctype}",
            "-H",
            "X-Forwarded-For: 192.168.1.101",
            "--data-binary",
            "@-",
            stack.url() + "/api/v1/events/camera",
        ],
        input=body,
        check=True,
    )
    wait_until(lambda: receiver.event_ids, 30)
    stack.kill("worker")
    stack.start("worker")
    delivery = Delivery.objects.filter(channel=channel).first()
    wait_until(lambda: Delivery.objects.get(pk=delivery.pk).status == "sent", 120)
    delivery.refresh_from_db()
    receiver.close()
    return {
        "scenario": "celery worker killed mid-delivery",
        "delivery_status": delivery.status,
        "attempts": delivery.attempts,
        "received_requests": len(receiver.event_ids),
        "received_unique_event_ids": len(set(receiver.event_ids)),
    }


SCENARIOS = {"postgres": postgres_restart, "redis": redis_outage, "worker": worker_killed}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*", default=list(SCENARIOS), choices=list(SCENARIOS))
    args = parser.parse_args()
    stack = Stack(
        env=stack_env(
            INTRUSION_COOLDOWN_SECONDS="0",
            ALERT_SWEEP_INTERVAL_SECONDS="3",
            ALERT_DELIVERY_CLAIM_TIMEOUT_SECONDS="10",
        )
    )
    stack.prepare()
    stack.start()
    try:
        for name in args.scenarios:
            print(json.dumps(SCENARIOS[name](stack)), flush=True)
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
