"""Settings, read from the environment and safe by default.

With nothing set the portal runs for development: SQLite and a file-system Celery broker
under var/, e-mails printed to the console. DATABASE_URL and CELERY_BROKER_URL switch to
PostgreSQL and Redis. DJANGO_ENV=production refuses to start without a real secret key
and allowed hosts, and turns on every transport-security setting.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from digitalmarkt.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DIGITALMARKT_VAR_DIR", str(BASE_DIR / "var")))

DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'")
PRODUCTION = DJANGO_ENV == "production"
TESTING = "pytest" in sys.modules or env_bool("DIGITALMARKT_TESTING")

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION and not TESTING)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    if len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET_KEY:
        raise ImproperlyConfigured("Production needs DJANGO_SECRET_KEY (at least 50 random chars).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs DJANGO_ALLOWED_HOSTS.")
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")

SITE_ID = 1
PORTAL_BASE_URL = env_str("DIGITALMARKT_BASE_URL", "http://127.0.0.1:8000")
# The name e-mails and allauth's pages give the portal (django.contrib.sites' Site, kept in
# step by accounts' data migration and `setup_portal`).
PORTAL_SITE_NAME = env_str("DIGITALMARKT_SITE_NAME", "DigitalMarkt")

# Support as the help page and the e-mails name it: the operator's channels, not code's.
SUPPORT_EMAIL = env_str("DIGITALMARKT_SUPPORT_EMAIL", "support@digitalmarkt.example")
SUPPORT_PHONE = env_str("DIGITALMARKT_SUPPORT_PHONE", "+49 89 000000-0")
SUPPORT_HOURS = env_str("DIGITALMARKT_SUPPORT_HOURS", "Mo–Fr 8:00–16:00")

INSTALLED_APPS = [
    # Django's admin, without its own login form (see accounts/admin_site.py).
    "accounts.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    # Django's widget templates, found by the project's template engine (FORM_RENDERER).
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "auditlog",
    "accounts",
    "geo",
    "catalog",
    "orders",
    "rollin",
    "dashboard",
    "reports",
    "portal",
    "benchmarks",
    "audit",
    "outreach",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses HTML and JSON (whitenoise serves static files pre-compressed). BREACH reads a
    # secret out of the size of compressed responses that also reflect attacker-chosen text.
    # Our one secret in page bodies is the CSRF token, and Django masks it with a fresh random
    # value on every response, so no two pages repeat it; the session cookie travels in a
    # header, which gzip does not touch; and GZipMiddleware pads each response with up to 100
    # random bytes ("Heal the BREACH"). First in the list (after security), so it compresses
    # the finished body.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.sessions.IdleSessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.security.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user kept in memory per version of it (accounts.session_user).
    "accounts.middleware.SessionUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.security.RequireMfaMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "portal.middleware.NoStoreForSignedInMiddleware",
]

if PRODUCTION:
    # gunicorn serves the collected, hashed static files itself; runserver and tests use
    # django.contrib.staticfiles.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "digitalmarkt.urls"
WSGI_APPLICATION = "digitalmarkt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.context_processors.portal",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'digitalmarkt.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The portal's statements are short: PostgreSQL's JIT compiler spent 240 ms compiling
    # for a 130 ms white-spot aggregate (EXPLAIN ANALYZE, 50,000 orders) and 1.1 s for a
    # 0.7 s history query. Off for every connection; DATABASE_JIT=on brings it back.
    jit = "on" if env_bool("DATABASE_JIT", False) else "off"
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c jit={jit}"
    # Server-side binding (Django's option for psycopg 3): the parameters travel apart from the
    # statement, and psycopg prepares what a connection runs a fifth time (prepare_threshold,
    # which Django leaves off unless asked), so PostgreSQL neither parses nor plans it anew:
    # the user's row on every signed-in request, the worker's statements on every step.
    # DATABASE_SERVER_SIDE_BINDING=0 behind a pooler that cannot keep prepared statements
    # (PgBouncer in transaction mode). A migration that changes a table's columns ends with a
    # restart of the processes, whose prepared statements go with them.
    if env_bool("DATABASE_SERVER_SIDE_BINDING", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; a timeout lets web, worker and beat share the file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth rate limits and the worker heartbeat need a cache shared by processes) ----
# Production without CACHE_URL falls back to the file cache under var/, which the processes
# of one host share (rate limits still hold); a deployment on several hosts must set
# CACHE_URL=redis://… (docker-compose.yml does), or each host counts login failures alone.
CACHE_URL = env_str("CACHE_URL", "")
CACHES: dict[str, dict[str, Any]]
if CACHE_URL.startswith("redis"):
    CACHES = {"default": {"BACKEND": "portal.cache.ReusingRedisCache", "LOCATION": CACHE_URL}}
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# The parts of the layout that depend only on the language, the role and the URLconf (footer,
# account links, navigation): rendered once per process and kept in its memory, so a page
# neither rebuilds them nor asks Redis for them (see templates/base.html).
CACHES["layout"] = {
    "BACKEND": "portal.cache.ProcessMemoryCache",
    "LOCATION": "layout",
}
# Cached values derived from rows are forgotten when the writer's transaction commits
# (portal.cache.cache_forget). Tests' transactions never commit: they forget at once too.
CACHE_FORGET_AT_ONCE = env_bool("DIGITALMARKT_CACHE_FORGET_AT_ONCE", TESTING)
# The signed-in users and their states, per version of them (accounts.session_user): a
# request reads one version from the shared cache instead of two rows from the database.
CACHES["users"] = {
    "BACKEND": "portal.cache.ProcessMemoryCache",
    "LOCATION": "users",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
# The overview's and the map's rendered blocks, keyed by the versions of their figures, which
# live in the shared cache (rollin.figure_versions): a key names exactly one rendering, so each
# process may keep its own copy and a visit fetches no 100 KB block over the network.
CACHES["figures"] = {
    "BACKEND": "portal.cache.ProcessMemoryCache",
    "LOCATION": "figures",
    "OPTIONS": {"MAX_ENTRIES": 200},
}
# The coordination filters' choice lists of services, states and areas, per version of the
# reference data (portal.choices): the same for every visit until an edit or an import.
CACHES["choices"] = {
    "BACKEND": "portal.cache.ProcessMemoryCache",
    "LOCATION": "choices",
    "OPTIONS": {"MAX_ENTRIES": 500},
}

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[DigitalMarkt] "
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
# Brute-force protection; the counters live in the cache above.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Sign-up asks for first and last name: the portal names people, not addresses.
ACCOUNT_FORMS = {"signup": "accounts.signup_forms.NamedSignupForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "DigitalMarkt"
# Roles that must have an activated TOTP authenticator before they can use the portal
# (portal.security.RequireMfaMiddleware). Enforced by default in production only: the demo
# users of `make run` and the tests sign in with a password alone, and a development
# machine holds no real data. Set DIGITALMARKT_REQUIRE_MFA_ROLES="" to switch off, or to a
# list (e.g. "coordinator,admin") to enforce in development too.
DIGITALMARKT_REQUIRE_MFA_ROLES = env_list(
    "DIGITALMARKT_REQUIRE_MFA_ROLES", "coordinator,admin" if PRODUCTION else ""
)

SESSION_COOKIE_AGE = env_int("DIGITALMARKT_SESSION_IDLE_SECONDS", 30 * 60)
# Idle expiry: activity pushes the expiry forward, at most once a minute (portal.sessions).
SESSION_REFRESH_SECONDS = env_int("DIGITALMARKT_SESSION_REFRESH_SECONDS", 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# With a Redis cache a signed-in request reads its session from Redis, not from the database
# (one round trip less per request), together with its user's version (portal.session_store,
# Django's cached_db otherwise); the database keeps every session, so a Redis restart
# signs nobody out. Logout (flush) deletes from both. Revocation does not depend on the
# session: the user is checked against their version on every request (accounts.session_user),
# so a changed password (session hash) or a deactivated account ends the session at once.
if CACHE_URL.startswith("redis"):
    SESSION_ENGINE = "portal.session_store"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["digitalmarkt.formats"]  # English with day-first dates (see there)
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Uploads (signed contracts) live outside the web root and are served only through
# access-checked views; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = VAR_DIR / "uploads"
MEDIA_URL = "/uploads-not-served/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DIGITALMARKT_MAX_UPLOAD_BYTES = env_int("DIGITALMARKT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "DigitalMarkt <noreply@digitalmarkt.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Django waits forever on a mail server that accepts the connection and then hangs; a timeout
# turns that into a failed attempt that the outbox retries.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# The outbox (portal.models.OutgoingEmail): retries back off exponentially with jitter from the
# base to the maximum; after the last attempt a row is given up and shown to operators in the
# admin. A claim outlives a send (EMAIL_TIMEOUT) so two workers never send one row at once.
EMAIL_OUTBOX_RETRY_BASE_SECONDS = float(env_str("EMAIL_OUTBOX_RETRY_BASE_SECONDS", "30"))
EMAIL_OUTBOX_RETRY_MAX_SECONDS = float(env_str("EMAIL_OUTBOX_RETRY_MAX_SECONDS", "3600"))
EMAIL_OUTBOX_MAX_ATTEMPTS = env_int("EMAIL_OUTBOX_MAX_ATTEMPTS", 12)
EMAIL_OUTBOX_CLAIM_SECONDS = float(env_str("EMAIL_OUTBOX_CLAIM_SECONDS", "120"))
# How long after commit the sweep leaves a new row to its own task before enqueuing it again.
EMAIL_OUTBOX_SWEEP_GRACE_SECONDS = float(env_str("EMAIL_OUTBOX_SWEEP_GRACE_SECONDS", "60"))

# --- Forms, API -----------------------------------------------------------------------------
# Widgets render with the project's templates, so templates/django/forms/ can override
# Django's (the select's options inline, without an include per option).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = ("kern",)
CRISPY_TEMPLATE_PACK = "kern"
# A filter left empty reads "alle" (as the white-spot filter does), not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("alle")
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "portal.security.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_str("DIGITALMARKT_API_RATE", "600/hour")},
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DigitalMarkt Open Data API",
    "DESCRIPTION": "Catalog and coverage of digital administrative services (read-only).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Security headers -----------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE (the library's sentinel, not the string "'nonce'", which browsers would
        # ignore) becomes 'nonce-…' on pages that use {{ request.csp_nonce }}.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    if env_bool("DJANGO_BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are bound to this exact host, over HTTPS, with path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        # Else kombu keeps its exchange table in ./control, in whatever folder a process starts.
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery 5.6+ closes every database connection before and after each task unless this is
# set: a new PostgreSQL session per roll-in step (fork, authentication, session setup) cost
# bench_worker more than the step itself. With it, a connection serves this many tasks, and
# between tasks Django's own rule decides (CONN_MAX_AGE, health check; digitalmarkt.celery).
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 500)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "rollin-sweep": {"task": "rollin.tasks.sweep", "schedule": env_int("ROLLIN_SWEEP_SECONDS", 60)},
    "worker-heartbeat": {"task": "portal.tasks.heartbeat", "schedule": 30},
    # Reminders go out as one digest per person and day (portal.digests); the task only
    # sends what is due, so running it often costs one query when there is nothing.
    "digests": {
        "task": "portal.tasks.send_digests",
        "schedule": env_int("DIGEST_SWEEP_SECONDS", 300),
    },
    "email-sweep": {
        "task": "portal.tasks.sweep_emails",
        "schedule": env_int("EMAIL_OUTBOX_SWEEP_SECONDS", 60),
    },
    # Reminds booked authorities the day before their training session (once per booking).
    "training-reminders": {"task": "outreach.tasks.send_training_reminders", "schedule": 900},
}

# --- Domain ---------------------------------------------------------------------------------
# Campaign e-mails go into the outbox in batches of this size, one batch per interval, so a
# campaign to a thousand authorities does not flood the mail server or the recipients' spam
# filters.
OUTREACH_CAMPAIGN_BATCH = env_int("OUTREACH_CAMPAIGN_BATCH", 50)
OUTREACH_CAMPAIGN_BATCH_SECONDS = env_int("OUTREACH_CAMPAIGN_BATCH_SECONDS", 60)
# Folder with the official reference data (Destatis GV-ISys CSVs, BKG GeoJSON). The project
# ships its own copy in geo/data/de, so a clone runs anywhere. A relative path counts from the
# checkout, not from the working directory, so web, worker and commands started from elsewhere
# all find the same folder.
DIGITALMARKT_DATA_DIR = (BASE_DIR / Path(env_str("DIGITALMARKT_DATA_DIR", "geo/data/de"))).resolve()
# AGS prefixes of the states `make run` imports; "all" imports Germany.
DIGITALMARKT_IMPORT_STATES = env_list("DIGITALMARKT_IMPORT_STATES", "09")

# Roll-in worker: where the simulated Fachverfahren answers ("inprocess" as ROLLIN_CONNECTOR
# calls it without HTTP), how long a worker's claim on an order lasts, retry backoff.
ROLLIN_SIMULATOR_BASE_URL = env_str(
    "ROLLIN_SIMULATOR_BASE_URL", "http://127.0.0.1:8000/rollin/simulator"
)
ROLLIN_CONNECTOR = env_str("ROLLIN_CONNECTOR", "http")
# Serve the simulator's JSON endpoints (development and demo; off in production).
ROLLIN_SIMULATOR_HTTP = env_bool("ROLLIN_SIMULATOR_HTTP", not PRODUCTION)
# The secret the connector sends to the simulator's configure, submissions and ack endpoints.
# Unset, one is generated once under VAR_DIR (rollin.simulator.simulator_secret), which the
# web server and worker of one checkout share; production serving the simulator must set it.
ROLLIN_SIMULATOR_SECRET = env_str("ROLLIN_SIMULATOR_SECRET", "")
if PRODUCTION and ROLLIN_SIMULATOR_HTTP and len(ROLLIN_SIMULATOR_SECRET) < 32:
    raise ImproperlyConfigured("ROLLIN_SIMULATOR_HTTP needs ROLLIN_SIMULATOR_SECRET (32+ chars).")
# The connector's bodies are a few hundred bytes; anything far larger is not from it.
ROLLIN_SIMULATOR_MAX_BODY_BYTES = env_int("ROLLIN_SIMULATOR_MAX_BODY_BYTES", 16 * 1024)
ROLLIN_CONNECTOR_TIMEOUT = float(env_str("ROLLIN_CONNECTOR_TIMEOUT", "10"))
ROLLIN_CLAIM_SECONDS = float(env_str("ROLLIN_CLAIM_SECONDS", "60"))
ROLLIN_RETRY_BASE_SECONDS = float(env_str("ROLLIN_RETRY_BASE_SECONDS", "30"))
ROLLIN_RETRY_MAX_SECONDS = float(env_str("ROLLIN_RETRY_MAX_SECONDS", "3600"))
ROLLIN_MAX_ATTEMPTS = env_int("ROLLIN_MAX_ATTEMPTS", 6)
ROLLIN_STUCK_SECONDS = env_int("ROLLIN_STUCK_SECONDS", 600)
ROLLIN_REMIND_EVERY_DAYS = env_int("ROLLIN_REMIND_EVERY_DAYS", 5)
# A transition that leaves automatic work queues the worker after commit. Only the demo turns
# this off (it walks every order itself); the sweep still finds anything left due.
ROLLIN_WAKE_WORKER = True
# Local hour from which the day's reminder digest is sent (portal.digests.digests_send).
DIGEST_SEND_HOUR = env_int("DIGEST_SEND_HOUR", 7)
# A written e-mail is handed to the worker after commit; only the demo turns this off (it drops
# the e-mails of its invented past). The outbox sweep still sends any row left pending.
EMAIL_OUTBOX_PUBLISH = True
# Figures rendered once per roll-in data version (coordinator overview, map) are kept this
# long: the version makes them exact, the expiry bounds a transaction that commits after a
# newer one and date-based figures. Off under pytest, where tests that need it turn it on.
ROLLIN_FIGURES_CACHE_SECONDS = env_int("ROLLIN_FIGURES_CACHE_SECONDS", 0 if TESTING else 60)

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if PRODUCTION else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
