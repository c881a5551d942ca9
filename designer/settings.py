"""Tierplan settings. Everything that differs between machines comes from the environment.

Two profiles, one module: the local profile (DJANGO_DEBUG on, the default for `make run`) and the
production profile (DJANGO_DEBUG=0), which requires a secret key and turns on secure cookies, HSTS,
HTTPS redirects, hashed static files and JSON logs. Variables: see README "Configuration".
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The local, single-user profile (`make run`) is the default; a server sets DJANGO_DEBUG=0 and must then
# provide its own secret key, so a forgotten key fails at start-up instead of signing with a known one.
DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-local-only-tierplan-key-do-not-use-on-a-server"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "apps.core",
    "apps.accounts",
    "apps.designs",
    "apps.projects",
    "apps.jobs",
    "apps.costing",
    "apps.review",
    "apps.studio",
    "apps.cli",
    "channels",
    "apps.live",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.RequestIdMiddleware",
    "csp.middleware.CSPMiddleware",
    "apps.core.middleware.BodySizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "designer.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "designer.wsgi.application"
ASGI_APPLICATION = "designer.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and int(os.environ.get("DATABASE_POOL_SIZE", "0")):
    # A pool of PostgreSQL connections per process (psycopg_pool) instead of a new connection for every
    # request and every live edit: under ASGI each of those runs in a thread of its own, so persistent
    # connections (DATABASE_CONN_MAX_AGE) do not help there; the pool does.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ["DATABASE_POOL_SIZE"]),
        "timeout": 10,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two concurrent saves queue behind each
    # other instead of failing with "database is locked" halfway through.
    # WAL lets the web process read while a worker writes, and with synchronous=NORMAL a commit does not
    # wait for the disk (a power cut can lose the last commits, never corrupt the file).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file, not shared-cache memory: concurrent connections then wait for the write lock
    # instead of failing, and worker processes started by tests can open the same database.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_DB", str(BASE_DIR / "var" / "test-db.sqlite3"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Service icons are served straight from the installed `diagrams` package.
    "apps.designs.icons.CatalogIconFinder",
]

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Artifacts go to the file system, or to S3-compatible object storage when a bucket is named (any
# number of web and worker machines then share them). Static files are served by WhiteNoise, with
# hashed names outside the local profile.
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_STORAGE_PREFIX", "tierplan"),
            "default_acl": None,
            "file_overwrite": True,  # names are content hashes: same name, same bytes
            "querystring_auth": False,  # downloads stream through the API, which checks access
        },
    }

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Email (team invitations). Locally the console backend prints messages to the server's output; a
# server sends through SMTP by default, since printing would put live invitation links in its logs.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tierplan <noreply@localhost>")
# Days an invitation link stays valid.
INVITATION_LIFETIME_DAYS = int(os.environ.get("INVITATION_LIFETIME_DAYS", "7"))

# A design document may be up to 2 MB; the API enforces that limit itself with a clear error, and
# Django's own guard sits just above it so that it never answers first with a bare 400.
DESIGN_MAX_BYTES = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = DESIGN_MAX_BYTES + 64 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["apps.core.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.openapi.TierplanAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "apps.core.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Throttles count per client address. X-Forwarded-For is believed only for the number of proxies
    # named here (0: the socket's address); otherwise anyone could name a fresh address per request.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Tierplan API",
    "DESCRIPTION": "Design, render, export and cost tiered cloud architectures.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's assets are served from our static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Our PATCH endpoints take the fields their serializer requires (each changes one thing), so the
    # schema must not present them as all-optional "Patched…" bodies.
    "COMPONENT_SPLIT_PATCH": False,
}

# Jobs. A running job belongs to its worker while its lease lasts: JOB_LEASE_SECONDS, renewed every
# JOB_HEARTBEAT_SECONDS by a thread of the worker process for as long as the job runs. A short lease
# lets another worker take over soon after a worker dies; the heartbeat lets a job run for longer.
JOB_TIME_LIMIT = int(os.environ.get("JOB_TIME_LIMIT", "300"))
JOB_SOFT_TIME_LIMIT = max(1, JOB_TIME_LIMIT - 30)
JOB_LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "20"))
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", str(JOB_LEASE_SECONDS / 4)))
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))

# Celery: Redis is the broker. Jobs are acknowledged only after they finish and are handed back to the
# queue if the worker process dies, so a killed worker never loses work.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
# Workers log through Django's LOGGING (JSON lines with request ids), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message taken by a worker that then died is handed out again once it has been unacknowledged for
# the visibility timeout; workers look for such messages every `unacked_restore_interval` seconds
# (kombu's default throttle would make that ten times rarer). The sweeper (below) sends a dead worker's
# job again long before that; this redelivery is the fallback when no beat runs, and its late duplicate
# finds the job done. The timeout must exceed the longest a message is legitimately unacknowledged (a
# job's run time after a retry countdown of up to a minute), or running jobs would be handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(JOB_TIME_LIMIT + 120))),
    "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
    "socket_timeout": 15,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Two queues: "fast" for quick jobs (estimates), "slow" for renders and exports, so a burst of renders
# does not delay estimates. Workers consume both unless told otherwise (`-Q`).
CELERY_TASK_DEFAULT_QUEUE = "slow"


# Throttling (per user, or per client address when anonymous); 429 with Retry-After when exceeded.
THROTTLE_RATES = {
    "token": os.environ.get("THROTTLE_TOKEN", "20/min"),
    "signup": os.environ.get("THROTTLE_SIGNUP", "10/hour"),
    "jobs": os.environ.get("THROTTLE_JOBS", "120/min"),
    "review": os.environ.get("THROTTLE_REVIEW", "120/min"),
    "invitations": os.environ.get("THROTTLE_INVITATIONS", "60/hour"),
    # Template imports and their previews, per user.
    "import": os.environ.get("THROTTLE_IMPORT", "30/min"),
    # Comments through review links, per client address (the form and the API share the count).
    "review-comment": os.environ.get("THROTTLE_REVIEW_COMMENT", "30/hour"),
}
# Throttle counters live in the cache: Redis when several web processes must share them.
# The cache holds throttle counters and short-lived snapshots, nothing that must survive. On Redis it
# fails open: while Redis is away, throttles let requests through and snapshots are recomputed (each
# miss is logged), so an outage costs job requests a 503 from the broker check, not every page a 500.
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_CACHE_URL"],
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
        if os.environ.get("REDIS_CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "tierplan.cache"

# Jobs whose message was lost (a Redis restart without persistence) or whose worker died are queued
# again by a sweeper that the beat scheduler runs every JOB_SWEEP_SECONDS: a running job as soon as its
# lease has expired, so a dead worker's job is sent again within JOB_LEASE_SECONDS + JOB_SWEEP_SECONDS
# (35 s); a queued job once it has waited JOB_REQUEUE_AFTER_SECONDS for a worker.
JOB_SWEEP_SECONDS = int(os.environ.get("JOB_SWEEP_SECONDS", "15"))
JOB_REQUEUE_AFTER_SECONDS = int(os.environ.get("JOB_REQUEUE_AFTER_SECONDS", "120"))
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-jobs": {
        "task": "tierplan.requeue_stale_jobs",
        "schedule": float(JOB_SWEEP_SECONDS),
        # A sweep nobody ran in time is dropped: the next one is already on its way.
        "options": {"queue": "fast", "expires": float(JOB_SWEEP_SECONDS)},
    },
}

# Live design sessions (apps/live). The channel layer carries edits and presence between web processes:
# Redis (CHANNEL_REDIS_URL, or else the broker's Redis) with keys of its own prefix.
CHANNEL_REDIS_URL = os.environ.get("CHANNEL_REDIS_URL") or CELERY_BROKER_URL
CHANNEL_LAYERS = {
    "default": {
        # Redis pub/sub: a message to a session is published once and each web process hands it to its own
        # connections, where the list-based RedisChannelLayer queues a copy per connection in Redis and pops
        # them one by one (four round trips each): at 20 editors in one design that layer fell behind
        # (bench/live.py, README "Benchmarks"). Delivery is at most once, as with that layer's full or
        # expired channels: a client that sees a gap in seq syncs. A killed process's subscriptions end
        # with its connection, so no stale group members stay behind.
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {
            "hosts": [CHANNEL_REDIS_URL],
            "prefix": os.environ.get("CHANNEL_REDIS_PREFIX", "tierplan-live"),
        },
    }
}
# The edits of a sitting become a revision after this many seconds without an edit (or when a writer leaves).
LIVE_PAUSE_SECONDS = int(os.environ.get("LIVE_PAUSE_SECONDS", "30"))
# Operations kept in the log for reconnecting clients (those in revisions beyond these are deleted), and
# the most a reconnecting client is sent one by one (more: the whole document instead).
LIVE_LOG_KEEP = int(os.environ.get("LIVE_LOG_KEEP", "1000"))
LIVE_SYNC_MAX_OPS = int(os.environ.get("LIVE_SYNC_MAX_OPS", "500"))
# Per connection: the largest message, and a token bucket (burst, refill per second) for all messages;
# after LIVE_RATE_STRIKES refused messages the connection is closed. Presence (cursors) has its own,
# tighter bucket; updates over it are coalesced, not refused.
LIVE_MAX_MESSAGE_BYTES = int(os.environ.get("LIVE_MAX_MESSAGE_BYTES", str(256 * 1024)))
LIVE_RATE_BURST = int(os.environ.get("LIVE_RATE_BURST", "60"))
LIVE_RATE_PER_SECOND = float(os.environ.get("LIVE_RATE_PER_SECOND", "20"))
LIVE_RATE_STRIKES = int(os.environ.get("LIVE_RATE_STRIKES", "20"))
LIVE_PRESENCE_BURST = int(os.environ.get("LIVE_PRESENCE_BURST", "10"))
LIVE_PRESENCE_PER_SECOND = float(os.environ.get("LIVE_PRESENCE_PER_SECOND", "10"))
CELERY_BEAT_SCHEDULE["checkpoint-quiet-live-sessions"] = {
    "task": "tierplan.live_checkpoint_idle",
    "schedule": float(max(LIVE_PAUSE_SECONDS, 5)),
    "options": {"queue": "fast", "expires": float(max(LIVE_PAUSE_SECONDS, 5))},
}

# Content-Security-Policy: the pages load only our own scripts, styles and images; user-derived SVG is
# shown as images (data: URIs inside it), never inlined as markup.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Production profile: everything `manage.py check --deploy` asks for.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    # Behind a load balancer that terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
    # The health endpoints answer load balancers over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "apps.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "apps.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
