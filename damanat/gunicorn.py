"""gunicorn settings for the web service: ``gunicorn -c python:damanat.gunicorn``.

WSGI with threaded workers: the camera webhook, staff pages, admin and REST API. The
WebSocket stream is served by the separate ASGI service (see docker-compose.yml): under
ASGI every synchronous Django view pays a thread hop, and a burst of pushes there stored
about a sixth of what these workers store.

Measured with bench/webhook_load.py on two cores: two processes of four threads each
kept both cores busy without GIL convoys; more threads only added switching.
"""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8080")
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("WEB_THREADS", 4))
# Cameras and browsers keep connections open between requests.
keepalive = 15
timeout = 60
graceful_timeout = 30
# A worker is replaced now and then, so a slow leak never grows for years.
max_requests = 200_000
max_requests_jitter = 20_000
# Every push is already kept in the database: an access-log line each would double the
# disk writes under a burst. Set WEB_ACCESS_LOG=- to see requests on stdout.
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
