"""Damanat settings, read from the environment (see .env.example).

Development defaults are explicit and embedded (SQLite, a filesystem Celery broker);
production sets DJANGO_DEBUG=false and must provide SECRET_KEY and FIELD_ENCRYPTION_KEY.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import environ

from damanat.live_layer import channel_layers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-7f3b1c9e2a")
    # A fixed development key so demo data survives restarts; production must set its own.
    FIELD_ENCRYPTION_KEY = env.str(
        "FIELD_ENCRYPTION_KEY", default="ZGV2LW9ubHktZmllbGQta2V5LTAwMDAwMDAwMDAwMDA="
    )
    # Shared with detector services (seed 003) to decrypt camera connection data.
    MODEL_ENCRYPTION_KEY = env.str(
        "MODEL_ENCRYPTION_KEY", default="base64:ZGFtYW5hdC1kZXYtb25seS1tb2RlbC1rZXktMDAwMDA="
    )
    # Signs evidence bundles (Ed25519 seed, base64); development derives one from SECRET_KEY.
    EVIDENCE_SIGNING_KEY = env.str(
        "EVIDENCE_SIGNING_KEY",
        default=base64.b64encode(
            hashlib.sha256(b"damanat-evidence-signing:" + SECRET_KEY.encode()).digest()
        ).decode(),
    )
else:
    SECRET_KEY = env.str("SECRET_KEY")
    FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY")
    MODEL_ENCRYPTION_KEY = env.str("MODEL_ENCRYPTION_KEY")
    EVIDENCE_SIGNING_KEY = env.str("EVIDENCE_SIGNING_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "damanat",
    "cameras",
    "parking",
    "alerts",
    "anpr",
    "detectors",
    "operations",
    "channels",
    "integrations",
    "evidence",
    "staff",
    "axes",
]

MIDDLEWARE = [
    # HTTP metrics on /metrics (django-prometheus): first and next to last, so the latency
    # per view covers every other middleware and the status is the one the client got.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Before SecurityMiddleware: X-Forwarded-Proto counts only from a trusted proxy.
    "damanat.proxies.ForwardedProtoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "damanat.null_bytes.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "damanat.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "operations.audit.AuditContextMiddleware",
    "operations.middleware.ContentSecurityPolicyMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last: turns a sign-in that axes locked out into the lockout answer.
    "axes.middleware.AxesMiddleware",
]
# Request latency buckets (seconds): camera pushes take milliseconds, reports up to seconds.
PROMETHEUS_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, float("inf"))

ROOT_URLCONF = "damanat.urls"
WSGI_APPLICATION = "damanat.wsgi.application"
ASGI_APPLICATION = "damanat.asgi.application"
# The live event stream (WebSocket) behind damanat.asgi, named like ROOT_URLCONF.
WEBSOCKET_APPLICATION = "integrations.routing.websocket_application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "staff.context.staff",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'damanat.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# No health check: it costs a round trip on every request. A connection that died fails
# one request (a camera gets 503 and retries) and Django replaces it after that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes (web, worker, beat) share the demo database file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Django's own queries bind client-side and are never prepared whatever this says;
    # it lets the webhook's INSERT (cameras/event_rows.py) be prepared per connection.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Sign-in throttling (django-axes, counted in the database: shared by every worker).
STAFF_LOGIN_MAX_ATTEMPTS = env.int("STAFF_LOGIN_MAX_ATTEMPTS", default=5)
STAFF_LOGIN_LOCKOUT_SECONDS = env.int("STAFF_LOGIN_LOCKOUT_SECONDS", default=900)
AXES_FAILURE_LIMIT = "damanat.login_throttle.failure_limit"
AXES_COOLOFF_TIME = "damanat.login_throttle.cool_off"
AXES_LOCKOUT_CALLABLE = "damanat.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "damanat.login_throttle.client_ip"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Failure counts only: a row per successful sign-in would grow without bound.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Time: stored in UTC, shown in the facility's zone.
USE_TZ = True
TIME_ZONE = env.str("FACILITY_TIME_ZONE", default="Asia/Riyadh")
FACILITY_TIME_ZONE = TIME_ZONE

USE_I18N = True
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("ar", "العربية"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "damanat" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Behind nginx, /media/ answers with X-Accel-Redirect to this internal location (nginx sends
# the file); without a front server Django sends it. Either way only permitted staff get it.
MEDIA_ACCEL_REDIRECT = env.bool("MEDIA_ACCEL_REDIRECT", default=False)
MEDIA_ACCEL_PREFIX = "/protected-media/"
LOG_DIR = env.path("LOG_DIR", default=VAR_DIR / "logs")
# manage.py backup writes here by default (a volume of its own in docker-compose.yml).
BACKUP_DIR = env.path("BACKUP_DIR", default=VAR_DIR / "backups")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

REST_FRAMEWORK = {
    # Token first: DRF challenges an anonymous caller with the first class's
    # WWW-Authenticate header (401); SessionAuthentication has none, so it would be 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["damanat.permissions.ModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "damanat.api_docs.ProductAutoSchema",
    "EXCEPTION_HANDLER": "damanat.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Damanat Parking Analytics API",
    "DESCRIPTION": "Camera events, occupancy, plates, alerts and detector services.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # One schema name per choice set used by several serializers.
    "ENUM_NAME_OVERRIDES": {
        "AlertKindEnum": "alerts.choices.Kind",
        "AlertSeverityEnum": "alerts.choices.Severity",
        "AlertStatusEnum": "alerts.choices.Status",
        "ZoneKindEnum": "parking.models.Zone.Kind",
        "VehicleDirectionEnum": "parking.models.VehicleEvent.Direction",
        "PlateMatchEnum": "anpr.models.Match",
        "ExportKindEnum": "integrations.choices.ExportKind",
        "VisitStatusEnum": "anpr.models.Visit.Status",
        "ExportRecordStatusEnum": "integrations.models.ExportRecord.Status",
        "CameraEventStatusEnum": "cameras.models.CameraEvent.Status",
    },
}

# Celery: the embedded default is a filesystem broker, so a first run needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Broadcast (pidbox) exchanges; kombu's default is ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Fail fast instead of blocking a request when the broker is down; the outbox
    # sweep sends what could not be queued.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
REDIS_URL = env.str("REDIS_URL", default="")

# Live stream (Channels): Redis between processes in production, in-memory when embedded.
CHANNEL_LAYERS = channel_layers(REDIS_URL)
# The alert console listens here for changes (the ASGI service); empty: it polls every second.
ALERT_STREAM_PATH = env.str("ALERT_STREAM_PATH", default="/api/v1/events/stream?kind=alert")
# Plate reads from edge sensors: largest accepted frame or crop picture.
EDGE_IMAGE_MAX_BYTES = env.int("EDGE_IMAGE_MAX_BYTES", default=4 * 1024 * 1024)
# Exporters: the outage sweep resends pending exports this often.
EXPORT_SWEEP_SECONDS = env.int("EXPORT_SWEEP_SECONDS", default=30)
# Exported records (the "sent once" ledger) are kept this long; pending and failed ones stay.
EXPORT_RECORD_RETENTION_DAYS = env.int("EXPORT_RECORD_RETENTION_DAYS", default=30)

# Camera webhook.
EVENT_MAX_BODY_BYTES = env.int("EVENT_MAX_BODY_BYTES", default=256 * 1024)
EVENT_MAX_MULTIPART_BYTES = env.int("EVENT_MAX_MULTIPART_BYTES", default=8 * 1024 * 1024)
# Trigger times further than this from the receive time are taken as absurd.
EVENT_MAX_CLOCK_SKEW_HOURS = env.int("EVENT_MAX_CLOCK_SKEW_HOURS", default=24 * 7)
# inline: a push's handlers run before the camera gets its answer. queued: the answer
# follows the INSERT and the processor runs the handlers in batches right after: its
# cameras.process_partition tasks on the `events` queue (CELERY_TASK_ROUTES; see
# cameras/processing.py), never the `worker` service.
EVENT_PROCESSING = env.str("EVENT_PROCESSING", default="inline")
if EVENT_PROCESSING not in ("inline", "queued"):
    raise environ.ImproperlyConfigured("EVENT_PROCESSING must be inline or queued")
# A request body must have arrived this many seconds after its headers (gunicorn; 0: no limit).
WEB_BODY_READ_SECONDS = env.float("WEB_BODY_READ_SECONDS", default=15.0)
# A camera's row is re-read at most this often per web process (0: every push).
CAMERA_LOOKUP_CACHE_SECONDS = env.float("CAMERA_LOOKUP_CACHE_SECONDS", default=5.0)
# How often beat wakes the partitions whose events have waited (a lost wake-up, a broker outage).
EVENT_QUEUE_SWEEP_SECONDS = env.float("EVENT_QUEUE_SWEEP_SECONDS", default=5.0)
# Events are spread over this many partitions (order is kept within one); a worker claims
# half the waiting partitions, at most EVENT_BATCH_PARTITIONS, and takes up to EVENT_BATCH_SIZE of their
# events per transaction.
EVENT_PARTITIONS = env.int("EVENT_PARTITIONS", default=8)
EVENT_BATCH_PARTITIONS = env.int("EVENT_BATCH_PARTITIONS", default=4)
EVENT_BATCH_SIZE = env.int("EVENT_BATCH_SIZE", default=200)
EVENT_DRAIN_BUDGET_SECONDS = env.float("EVENT_DRAIN_BUDGET_SECONDS", default=0.5)
# After a batch shorter than EVENT_BATCH_SIZE, a processor task waits this long before the
# next, so batches gather events under load (push→alert gains up to this much).
EVENT_BATCH_LINGER_SECONDS = env.float("EVENT_BATCH_LINGER_SECONDS", default=0.1)
# A processor batch commits without waiting for the WAL flush: it is re-derived from events
# stored durably, so a database crash can only send it back to the queue (true: wait anyway).
EVENT_BATCH_SYNCHRONOUS_COMMIT = env.bool("EVENT_BATCH_SYNCHRONOUS_COMMIT", default=False)
EVENT_WAKE_COALESCE_SECONDS = env.float("EVENT_WAKE_COALESCE_SECONDS", default=0.02)
# Where the "partition already woken" flags live; none: every coalesced wake is sent.
EVENT_WAKE_REDIS_URL = env.str(
    "EVENT_WAKE_REDIS_URL", default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
)
CELERY_TASK_ROUTES = {"cameras.process_partition": {"queue": "events"}}
# Addresses or networks (10.0.0.0/24) whose X-Forwarded-For names the camera.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"] if DEBUG else [])
# A network in TRUSTED_PROXIES is trusted only with this set: every host in it may then name
# any sender in X-Forwarded-For (so pose as any camera).
TRUSTED_PROXY_NETWORKS = env.bool("TRUSTED_PROXY_NETWORKS", default=False)
DATA_UPLOAD_MAX_MEMORY_SIZE = EVENT_MAX_MULTIPART_BYTES + 1024 * 1024

# Seed thresholds.
OCCUPANCY_ALERT_THRESHOLD = env.float("OCCUPANCY_ALERT_THRESHOLD", default=0.90)
INTRUSION_COOLDOWN_SECONDS = env.int("INTRUSION_COOLDOWN_SECONDS", default=30)

# Alert fan-out: retries of transient failures (2 s, 4 s, … capped at 10 min: 16 attempts
# cover more than an hour of a receiver being down), the sweep of pending deliveries.
ALERT_DELIVERY_MAX_ATTEMPTS = env.int("ALERT_DELIVERY_MAX_ATTEMPTS", default=16)
ALERT_DELIVERY_BACKOFF_SECONDS = env.float("ALERT_DELIVERY_BACKOFF_SECONDS", default=2.0)
ALERT_DELIVERY_BACKOFF_MAX_SECONDS = env.float("ALERT_DELIVERY_BACKOFF_MAX_SECONDS", default=600.0)
ALERT_DELIVERY_CLAIM_TIMEOUT_SECONDS = env.int("ALERT_DELIVERY_CLAIM_TIMEOUT_SECONDS", default=300)
ALERT_SWEEP_INTERVAL_SECONDS = env.float("ALERT_SWEEP_INTERVAL_SECONDS", default=15.0)
ALERT_SWEEP_GRACE_SECONDS = env.int("ALERT_SWEEP_GRACE_SECONDS", default=10)
ALERT_SWEEP_BATCH = env.int("ALERT_SWEEP_BATCH", default=500)
ALERT_BROKER_RETRY_SECONDS = env.float("ALERT_BROKER_RETRY_SECONDS", default=10.0)

# Parking: a zone-full alert re-arms once the zone drops this fraction below the threshold.
OCCUPANCY_ALERT_REARM_MARGIN = env.float("OCCUPANCY_ALERT_REARM_MARGIN", default=0.10)
# counter_drift is raised when zone-based and gate-based counts differ by more than this.
OCCUPANCY_DRIFT_TOLERANCE = env.int("OCCUPANCY_DRIFT_TOLERANCE", default=3)
OCCUPANCY_DRIFT_CHECK_SECONDS = env.int("OCCUPANCY_DRIFT_CHECK_SECONDS", default=300)
OCCUPANCY_SNAPSHOT_SECONDS = 300
VISION_EVENT_RETENTION_DAYS = env.int("VISION_EVENT_RETENTION_DAYS", default=90)

# Where cameras are told to push (camera provisioning).
BACKEND_IP = env.str("BACKEND_IP", default="127.0.0.1")
BACKEND_PORT = env.int("BACKEND_PORT", default=8080)
BACKEND_EVENT_PATH = "/api/v1/events/camera"
ISAPI_TIMEOUT_SECONDS = env.float("ISAPI_TIMEOUT_SECONDS", default=5.0)
# Where webhooks, MQTT and exporters may connect ("*": anywhere). Development, tests and
# benchmarks: loopback only, so nothing typed into a demo record ever leaves the machine.
OUTBOUND_ALLOWED_NETWORKS = env.list(
    "OUTBOUND_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"] if DEBUG else ["*"]
)
# Networks cameras may be called in. Development and tests: loopback only, so the demo's
# seed addresses (192.168.1.x) are never contacted; production: the facility LAN.
ISAPI_ALLOWED_NETWORKS = env.list(
    "ISAPI_ALLOWED_NETWORKS",
    default=["127.0.0.0/8", "::1/128"]
    if DEBUG
    else ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "fc00::/7", "::1/128"],
)
# Camera health (Celery beat): probe every camera this often; a camera unreachable this
# long, or silent (no event, no heartbeat) this long, is raised as camera_offline.
CAMERA_HEALTH_CHECK_SECONDS = env.int("CAMERA_HEALTH_CHECK_SECONDS", default=60)
CAMERA_OFFLINE_AFTER_SECONDS = env.int("CAMERA_OFFLINE_AFTER_SECONDS", default=180)
CAMERA_SILENT_AFTER_SECONDS = env.int("CAMERA_SILENT_AFTER_SECONDS", default=1800)  # 0 = off
CAMERA_DRIFT_CHECK_SECONDS = env.int("CAMERA_DRIFT_CHECK_SECONDS", default=3600)
# Registry changes are pushed to gate cameras' plate lists after this quiet period.
PLATE_SYNC_DELAY_SECONDS = env.int("PLATE_SYNC_DELAY_SECONDS", default=10)
CAMERA_ALARM_MAX_SECONDS = env.int("CAMERA_ALARM_MAX_SECONDS", default=600)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="damanat@localhost")

# Staff pages go over TLS in production; cameras push plain HTTP on the LAN, and the
# metrics scraper and orchestrator probes may too, so those paths are never redirected.
TLS_ENABLED = env.bool("TLS_ENABLED", default=not DEBUG)
SECURE_SSL_REDIRECT = TLS_ENABLED
SECURE_REDIRECT_EXEMPT = [
    r"^api/v1/events/camera$",
    r"^api/v1/events/ingest$",
    r"^metrics$",
    r"^api/v1/health",
    r"^health$",
    r"^ready$",
    r"^liveness$",
]
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=TLS_ENABLED)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=TLS_ENABLED)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if TLS_ENABLED else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = TLS_ENABLED
SESSION_COOKIE_HTTPONLY = True
# The facility's host name is on a closed LAN: never a candidate for the public HSTS preload list.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY",
    default="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self' ws: wss:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# /metrics: a bearer token, or a source address inside these networks.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])

# Days each kind of data is kept (the admin's retention policies override these).
RETENTION_DAYS = {
    "raw_events": env.int("RETENTION_RAW_EVENTS_DAYS", default=90),
    "pictures": env.int("RETENTION_PICTURES_DAYS", default=30),
    "passages_visits": env.int("RETENTION_PASSAGES_VISITS_DAYS", default=365),
    "alerts": env.int("RETENTION_ALERTS_DAYS", default=365),
    "deliveries": env.int("RETENTION_DELIVERIES_DAYS", default=90),
    "ledger": env.int("RETENTION_LEDGER_DAYS", default=180),
    "snapshots": env.int("RETENTION_SNAPSHOTS_DAYS", default=400),
}
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=1000)
# Pictures are deleted oldest first (never those on legal hold) once they take more than
# this many bytes (0: no budget); checked every MEDIA_BUDGET_CHECK_SECONDS.
MEDIA_BUDGET_BYTES = env.int("MEDIA_BUDGET_BYTES", default=20 * 1024**3)
MEDIA_BUDGET_CHECK_SECONDS = env.int("MEDIA_BUDGET_CHECK_SECONDS", default=300)

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s | %(levelname)-8s | %(name)s | %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # axes logs every sign-in at INFO; failures and lockouts are WARNING.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # fpdf2 subsets the evidence summary's fonts and fontTools narrates it at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# AI detector services (seed 003).
DETECTOR_HEARTBEAT_TIMEOUT_SECONDS = env.int("DETECTOR_HEARTBEAT_TIMEOUT_SECONDS", default=120)
DETECTOR_WATCHDOG_INTERVAL_SECONDS = env.int("DETECTOR_WATCHDOG_INTERVAL_SECONDS", default=30)
DETECTOR_LOGIN_MAX_ATTEMPTS = env.int("DETECTOR_LOGIN_MAX_ATTEMPTS", default=5)
DETECTOR_LOGIN_WINDOW_SECONDS = env.int("DETECTOR_LOGIN_WINDOW_SECONDS", default=60)
# A suspicious-activity alert stays one alert while reports keep coming this often.
DETECTOR_ALERT_COOLDOWN_SECONDS = env.int("DETECTOR_ALERT_COOLDOWN_SECONDS", default=600)
EVIDENCE_MAX_ATTEMPTS = env.int("EVIDENCE_MAX_ATTEMPTS", default=5)
EVIDENCE_RETRY_BASE_SECONDS = env.int("EVIDENCE_RETRY_BASE_SECONDS", default=30)
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=512 * 1024 * 1024)

# Plates, gate passages and visits (anpr).
# Reads shorter than this (after removing separators) are not plates: the passage is unread.
ANPR_MIN_PLATE_LENGTH = env.int("ANPR_MIN_PLATE_LENGTH", default=3)
# Groups of characters plate readers confuse; one substitution gives a "probable" match.
ANPR_CONFUSABLE = env.list("ANPR_CONFUSABLE", default=["O0D", "1I", "8B", "2Z", "5S"])
# The same plate at the same gate within this many seconds is one passage (repeated reads).
ANPR_PASSAGE_WINDOW_SECONDS = env.int("ANPR_PASSAGE_WINDOW_SECONDS", default=60)
# A visit still open after this many hours is closed as stale (no duration counted).
ANPR_MAX_STAY_HOURS = env.int("ANPR_MAX_STAY_HOURS", default=24)
# How long a visitor may stay before an overstay alert (a vehicle may set its own limit).
ANPR_VISITOR_MAX_STAY_MINUTES = env.int("ANPR_VISITOR_MAX_STAY_MINUTES", default=240)
# Repeats of the same plate alert inside this window add an occurrence instead of a new alert.
ANPR_ALERT_COOLDOWN_SECONDS = env.int("ANPR_ALERT_COOLDOWN_SECONDS", default=300)
# The longest period the range statistics endpoint accepts, in days.
ANPR_RANGE_MAX_DAYS = env.int("ANPR_RANGE_MAX_DAYS", default=366)
# Misread inbox: an entry still open after this many hours waits for review.
ANPR_MISREAD_OPEN_HOURS = env.int("ANPR_MISREAD_OPEN_HOURS", default=12)
# Its candidate matches are the opposite orphans at most this many hours away.
ANPR_MISREAD_WINDOW_HOURS = env.int("ANPR_MISREAD_WINDOW_HOURS", default=24)
# The inbox sweep looks for unmatched entries and exits this many days back.
ANPR_MISREAD_LOOKBACK_DAYS = env.int("ANPR_MISREAD_LOOKBACK_DAYS", default=7)
# Prior of the plate distance before a camera has learned its own confusions: Latin OCR
# groups, then Arabic-script pairs in canonical form (ب/ن, س/ص, د/ر, ٧/٨, ٢/٣, ا/١).
ANPR_LIKELY_CONFUSIONS = env.list(
    "ANPR_LIKELY_CONFUSIONS",
    default=["O0DQ", "1I", "8B", "2Z", "5S", "6G", "BN", "SX", "DR", "78", "23", "A1"],
)
