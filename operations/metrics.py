"""Prometheus metrics: counters incremented where things happen, state gauges read at scrape.

HTTP requests are counted and timed per view by django-prometheus's middleware
(``django_http_requests_total_by_view_transport_method``,
``django_http_requests_latency_seconds_by_view_method``) into the same registry.

With several web processes (gunicorn), set PROMETHEUS_MULTIPROC_DIR to a shared empty
folder so counters from every process are summed; without it, one process's counters.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from cameras.choices import EventType, canonical_event_type

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from alerts.models import Alert, DeliveryAttempt

EVENTS_RECEIVED = Counter("damanat_events_received", "Camera pushes received", ["event_type", "status"])
EVENT_SECONDS = Histogram(
    "damanat_event_processing_seconds",
    "Time to store and process a push",
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
ALERTS_RAISED = Counter("damanat_alerts_raised", "Alerts opened", ["kind", "severity"])
DELIVERIES = Counter("damanat_deliveries", "Notification delivery attempts", ["channel", "result"])

ONLINE_AFTER = timedelta(minutes=5)


def count_push(sender: object, *, event_type: str, status: str, seconds: float, **kwargs: Any) -> None:
    # Only known event types as labels: a camera's free text must not grow the series.
    kind = canonical_event_type(event_type)
    EVENTS_RECEIVED.labels(kind if kind in EventType.KNOWN else "other", status).inc()
    EVENT_SECONDS.observe(seconds)


def count_alert(sender: object, instance: Alert, created: bool, **kwargs: Any) -> None:
    if created:
        ALERTS_RAISED.labels(instance.kind, instance.severity).inc()


def count_delivery_attempt(sender: object, instance: DeliveryAttempt, created: bool, **kwargs: Any) -> None:
    if created:
        DELIVERIES.labels(instance.delivery.channel.kind, instance.outcome).inc()


def connect() -> None:
    from django.db.models.signals import post_save

    from cameras.signals import push_answered

    push_answered.connect(count_push, dispatch_uid="metrics.push")
    post_save.connect(count_alert, sender="alerts.Alert", dispatch_uid="metrics.alert")
    post_save.connect(
        count_delivery_attempt, sender="alerts.DeliveryAttempt", dispatch_uid="metrics.delivery"
    )


class StateCollector:
    """Gauges computed from stored state at scrape time (cheap, indexed queries)."""

    def collect(self) -> Iterator:
        from alerts.models import Alert
        from cameras.models import Camera

        now = timezone.now()
        cameras = GaugeMetricFamily("damanat_cameras", "Cameras by state", labels=["state"])
        active = Camera.objects.active()
        online = active.filter(last_seen_at__gte=now - ONLINE_AFTER).count()
        cameras.add_metric(["online"], online)
        cameras.add_metric(["offline"], active.count() - online)
        yield cameras
        alerts = GaugeMetricFamily(
            "damanat_alerts_active", "Open or acknowledged alerts", labels=["severity"]
        )
        for severity, count in _count_by(Alert.objects.active(), "severity"):
            alerts.add_metric([severity], count)
        yield alerts
        yield from _detector_gauge(now)
        yield _queue_gauge()


def _count_by(queryset: QuerySet[Any], field: str) -> QuerySet[Any, tuple[Any, int]]:
    from django.db.models import Count

    return queryset.values_list(field).annotate(n=Count("id")).order_by()


def _detector_gauge(now: datetime) -> Iterator:
    try:
        from detectors.models import Detector
    except ImportError:
        return
    gauge = GaugeMetricFamily("damanat_detectors_active", "Detector services with a recent heartbeat")
    recent = now - timedelta(minutes=2)
    gauge.add_metric([], Detector.objects.filter(is_active=True, last_heartbeat_at__gte=recent).count())
    yield gauge


def _queue_gauge() -> GaugeMetricFamily:
    gauge = GaugeMetricFamily("damanat_queue_depth", "Tasks waiting in the Celery queue")
    depth = 0
    url = settings.CELERY_BROKER_URL
    if url.startswith("redis://"):
        import redis

        try:
            depth = redis.Redis.from_url(url, socket_timeout=1).llen("celery")
        except redis.RedisError:
            depth = -1
    gauge.add_metric([], depth)
    return gauge


_state_registered = False


def registry() -> CollectorRegistry:
    global _state_registered
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        reg = CollectorRegistry()
        multiprocess.MultiProcessCollector(reg)
        reg.register(StateCollector())
        return reg
    if not _state_registered:
        REGISTRY.register(StateCollector())
        _state_registered = True
    return REGISTRY


def _allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header == f"Bearer {token}":
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net) for net in settings.METRICS_ALLOWED_NETWORKS)


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse(
            "metrics need the token or an allowed address\n", status=403, content_type="text/plain"
        )
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
