"""Settings, read only from the environment (django-environ; ``.env`` when present).

The defaults are those of a developer's machine: SQLite, tasks run in-process, mail
printed to the console. Production sets ``DEBUG=false``, ``SECRET_KEY``,
``ALLOWED_HOSTS``, ``DATABASE_URL`` and ``REDIS_URL``.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")


def _bool(name: str, default: bool) -> bool:
    """A boolean variable; a value that is not one is an error, not a silent False."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def _rate(name: str, default: str) -> str | None:
    """A django-ratelimit rate, a count per period ("10/10m": ten in ten minutes; s, m,
    h or d); an empty value means no limit."""
    raw = env.str(name, default=default).strip()
    if not raw:
        return None
    if not re.fullmatch(r"[1-9][0-9]*/(?:[1-9][0-9]*)?[smhd]", raw):
        raise ImproperlyConfigured(
            f"{name} must be a rate such as 10/10m (a count / a period in s, m, h or d), "
            f"not {raw!r}."
        )
    return raw


DEBUG = _bool("DEBUG", False)

# Without DEBUG an unset key stays empty: commands that need none (migrations) run,
# and Django refuses whatever needs one ("The SECRET_KEY setting must not be empty").
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "reform.apps.AxesConfig",  # django-axes, its admin section named in the reader's language
    "csp",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "commitments",
    "surveys",
    "api",
    "dossiers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the web processes themselves (compressed, cached for ever under
    # their hashed names), right after the security headers and before any session.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "reform.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reform.urls"
WSGI_APPLICATION = "reform.wsgi.application"

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
                "commitments.context_processors.navigation",
                "commitments.context_processors.recompute",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL in production (postgres://user@host/name).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured(
        f"DATABASE_URL must be a sqlite:/// or postgres:// URL, not {env.str('DATABASE_URL')!r}."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An index that includes the columns a query reads besides its keys (PostgreSQL's
# INCLUDE: ``status_indicator_period``) is a plain index on SQLite, which is what SQLite
# needs of it; migrate would warn of the included columns at every run.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# One REDIS_URL feeds the Celery broker and the cache. Without it, tasks run in-process.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # The years whose changes wait in the outbox: a kick lost to the broker or a worker
    # that died is made good within a minute. Expires so that a worker back after a
    # long stop runs one, not every missed minute.
    "recompute-pending": {
        "task": "commitments.tasks.recompute_pending",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 50},
    },
    "recompute-nightly": {
        "task": "commitments.tasks.recompute_all",
        "schedule": crontab(hour=1, minute=30),
    },
    "report-reminders": {
        "task": "commitments.tasks.report_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Answers whose kick was lost are counted within a minute.
    "survey-tally": {
        "task": "surveys.tasks.survey_tally",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 50},
    },
    "survey-keys-forget": {
        "task": "surveys.tasks.survey_keys_forget",
        "schedule": crontab(hour=2, minute=15),
    },
}
# A desk's answers within this many seconds of each other are counted by one tally.
SURVEY_TALLY_SECONDS = env.int("SURVEY_TALLY_SECONDS", default=5)
# The public survey's throttles (django-ratelimit, counted in the default cache), on the
# answers sent (showing the form is never limited): per client address (the one django-axes
# reads, RATELIMIT_IP_META_KEY) over every desk, and per desk whatever the address; a kiosk
# counts for its desk only. Past either, the answers are refused with 429 and nothing is
# stored. An empty value lifts a limit (a load test from one address). While the cache
# cannot be reached the answers go through, and the log says so.
SURVEY_RATE_CLIENT = _rate("SURVEY_RATE_CLIENT", "10/10m")
SURVEY_RATE_DESK = _rate("SURVEY_RATE_DESK", "600/m")
# A save's drain is queued this many seconds after it commits: at once by default, as a
# change of figures recomputes only what it touched, and a drain covers every request
# waiting when it starts, so saves made while one runs share the next.
RECOMPUTE_DELAY_SECONDS = env.int("RECOMPUTE_DELAY_SECONDS", default=0)
# A tree of more units is recomputed in parts of at most this many units, each a task
# that any worker runs (memory bounded by a part; more workers, sooner done).
RECOMPUTE_PART_UNITS = env.int("RECOMPUTE_PART_UNITS", default=500)
# A change that touches more (unit, data element) pairs asks for the whole year.
RECOMPUTE_TOUCHED_MAX = env.int("RECOMPUTE_TOUCHED_MAX", default=200)
# A recompute in parts not finished after this long is started again by the next drain.
RECOMPUTE_RUN_TIMEOUT_SECONDS = env.int("RECOMPUTE_RUN_TIMEOUT_SECONDS", default=900)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Log-in throttling (django-axes). The standalone backend only refuses locked-out
# attempts; ModelBackend still checks the password and the permissions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Off only for the test run (pyproject.toml), where Django's test client logs in without
# a request; the lockout tests switch it back on.
AXES_ENABLED = _bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# A user name from one address: by address alone, one person's typos would lock a whole
# office behind one NAT; by name alone, anyone could lock anyone out. Axes reads the address
# from REMOTE_ADDR: behind a TLS proxy every client has the proxy's, so the lock is then
# in effect per user name.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # typos spread over a working day never add up to a lockout
# The wait runs from the lockout: a user who tries again meanwhile does not prolong it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"  # in the user's language
# The password-reset form is throttled by client address and by email address typed
# (django-ratelimit, reform/accounts.py), counted in the default cache. The
# client address is the one django-axes reads, so that both throttles see the same
# client, and a proxy set up for one is set up for the other. django_ratelimit is not in
# INSTALLED_APPS: all that would add is its cache check, which flags Django's own
# RedisCache ("not officially supported", django-ratelimit issue #283) as well as the
# LocMemCache of a single-process development or test run.
RATELIMIT_IP_META_KEY = "axes.helpers.get_client_ip_address"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "commitments:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
NUMBER_GROUPING = 3  # Django's Vietnamese formats name the separator but not the grouping

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded evidence: outside static/, with no URL; a view checks who may download it.
EVIDENCE_ROOT = str(env.path("EVIDENCE_ROOT", default=MEDIA_ROOT("private")))
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed copies for production (collectstatic); the development server
    # and the tests serve the files as they are.
    "staticfiles": {
        "BACKEND": "reform.storage.StaticFiles"
        if _bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": EVIDENCE_ROOT, "base_url": None},
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640

# Quarterly reports are due this many days after the quarter ends, unless an admin sets
# another day for a quarter (ReportingDeadline). Reminders go this many days from it.
REPORT_DEADLINE_DAYS = env.int("REPORT_DEADLINE_DAYS", default=10)
# How many quarters (the current one included) a unit's staff may still write a report
# for; older quarters need an admin to reopen them. 0: every quarter that has begun.
REPORT_OPEN_QUARTERS = env.int("REPORT_OPEN_QUARTERS", default=4)
REPORT_REMINDER_OFFSETS = env.list("REPORT_REMINDER_OFFSETS", cast=int, default=[-3, -1, 1, 3])

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = _bool("EMAIL_USE_TLS", False)
# The sender of the password-reset emails.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")
# Where the site is reached from outside: the links in emails sent by tasks, which
# have no request to read the host from.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Security: strict unless DEBUG; each can be relaxed from the environment (e.g. a
# proxy that terminates TLS sets SECURE_PROXY_SSL_HEADER and SECURE_SSL_REDIRECT).
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain HTTP, behind the TLS they terminate.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = _bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env.str("SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = (env.str("SECURE_PROXY_SSL_HEADER"), "https")
# A session lasts one working day (8 hours) and ends when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4): the pages load only the project's own static
# files; no inline script, style attribute or event handler anywhere, the admin included.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# The REST API (/api/v1/, README "REST API"): JSON only, a token (django-rest-knox,
# stored hashed, with an expiry) or the session of a signed-in user; every error is an
# RFC 9457 problem; each token (or user, or address) is throttled on its own, counted in
# the default cache (Redis when REDIS_URL is set).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_THROTTLE_RATE", default="600/min")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
KNOX_TOKEN_MODEL = "api.ApiToken"
# django-rest-knox's migrations create its own token table even when the token model is
# swapped (as here, for api.ApiToken); without them nothing of knox is in the database.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    # A token lasts API_TOKEN_DAYS unless its owner picks a shorter life.
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_DAYS", default=90)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Reform commitments API",
    "DESCRIPTION": "REST API v1 of the reform commitments tracker (README, REST API).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The docs load Swagger UI from the project's own static files: the CSP stays self-only.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.problems.problem_responses_hook",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # In-process tasks would print a line per recompute into every command's output.
    # django-axes announces itself at every start, every management command included.
    "loggers": {
        "celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"},
        "axes.apps": {"level": "WARNING"},
    },
}
