"""Settings for the OGP co-creation platform, read from the environment (12-factor).

Every variable is documented in the README's "Configuration" section. With no environment at all
the platform refuses to start: debug is off by default, and a production process must be given a
secret key. The README's run command sets DJANGO_DEBUG=1 for the embedded default (SQLite, Celery
tasks inline, mail to the console).
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# With debug off, a missing variable must not quietly fall back to a development default (SQLite,
# a per-process cache, inline tasks, mail printed to the console): what is missing is collected
# here and the process refuses to start, naming all of it (see the end of this file).
# DJANGO_SINGLE_PROCESS=1 is the explicit choice of a one-process install on SQLite without Redis.
SINGLE_PROCESS = env.bool("DJANGO_SINGLE_PROCESS", default=False)
_missing_in_production: list[str] = []

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. A production process (DJANGO_DEBUG off) needs a long "
            "random secret key, e.g. DJANGO_SECRET_KEY=$(python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'). For local development set DJANGO_DEBUG=1."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.forms",
    "allauth",
    "allauth.account",
    "guardian",
    "simple_history",
    "ogp_platform.apps.OgpPlatformConfig",
    "ogp_platform.accounts",
    "ogp_platform.members",
    "ogp_platform.outbox",
    "ogp_platform.audit",
    "action_plans",
    "commitments",
    "participation",
    "use_cases",
    "use_cases.coproduction",
    "use_cases.joint_planning",
]

MIDDLEWARE = [
    "ogp_platform.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ogp_platform.middleware.DatabaseUnavailableMiddleware",
    "ogp_platform.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ogp_platform.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "ogp_platform.urls"
WSGI_APPLICATION = "ogp_platform.wsgi.application"
SITE_ID = 1
SITE_NAME = env.str("DJANGO_SITE_NAME", default="OGP Co-creation")
SITE_DOMAIN = env.str(
    "DJANGO_SITE_DOMAIN", default=ALLOWED_HOSTS[0] if ALLOWED_HOSTS else "localhost"
)
# Links in emails sent outside a request (invitations, notifications) start with this.
SITE_URL = (
    env.str("DJANGO_SITE_URL", default="")
    or ("http://127.0.0.1:8000" if DEBUG else f"https://{SITE_DOMAIN}")
).rstrip("/")

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
                "ogp_platform.context_processors.navigation",
            ],
        },
    },
]

FORM_RENDERER = "ogp_platform.forms.FormRenderer"

# --- Data ---
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if not DEBUG and not SINGLE_PROCESS and "DATABASE_URL" not in env:
    _missing_in_production.append(
        "DATABASE_URL (the PostgreSQL database, e.g. postgres://ogp:PASSWORD@db:5432/ogp)"
    )
# Persistent connections, checked before reuse so a restarted PostgreSQL does not leave broken
# connections behind in long-lived web processes.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database host fails a request within seconds (the 503 page of
    # DatabaseUnavailableMiddleware) instead of holding a web worker until gunicorn kills it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DJANGO_DB_CONNECT_TIMEOUT", default=5)
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if not DEBUG and not SINGLE_PROCESS and not REDIS_URL:
    _missing_in_production.append(
        "REDIS_URL (the cache, Celery's broker and the rate-limit store, e.g. redis://redis:6379/0)"
    )
if REDIS_URL:
    CACHES = {
        "default": {
            # An unreachable Redis is an empty cache, not an error (ogp_platform/cache.py); the
            # short timeouts keep a Redis that hangs from holding requests up.
            "BACKEND": "ogp_platform.cache.FaultTolerantRedisCache",
            "LOCATION": env.str("REDIS_CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": "ogp",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Key public pages are kept whole for visitors who are not signed in (ogp_platform/pagecache.py).
# Only with a cache every web process shares: a per-process cache could not be invalidated
# across processes. 0 turns it off.
PAGE_CACHE_SECONDS = env.int("DJANGO_PAGE_CACHE_SECONDS", default=60 if REDIS_URL else 0)

MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Users and permissions ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Public reads are decided by policies, not by grants to guardian's stand-in anonymous user, so
# guardian does not create that user (it would need a username, which our user model has not).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# After signing in (without a `next` to go back to), people start from their own work.
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth 65.x
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "ogp_platform.accounts.forms.SignupProfileForm"
ACCOUNT_FORMS = {"signup": "ogp_platform.accounts.signup.SignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# allauth's default, stated: sign-up, login and password reset answer the same whether or not an
# address has an account (the owner of a taken address is mailed instead).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[OGP] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Counted in the shared cache (Redis in production), so every web process sees the same budget.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Failed passwords count per account only: with a per-address budget as well, one person's
    # (or an attacker's) failures refused the right password of everyone behind the same address
    # (an office, a proxy). Five failures lock that account for five minutes, whoever tries.
    "login_failed": "5/5m/key",
    "signup": "10/m/ip,50/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# The number of proxies in front of the web processes that append to X-Forwarded-For: the rate
# limits take the client's address that many entries from the end. 0 (no proxy) uses the
# connection's address, which behind a proxy is the proxy's: everyone would share one budget.
# docker-compose.yml runs exactly one (Caddy) and sets 1.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# --- Internationalisation ---
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("it", _("Italian")),
    ("lv", _("Latvian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Day before month in every language, and a 24-hour clock (ogp_platform/formats/).
FORMAT_MODULE_PATH = ["ogp_platform.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Mail ---
# Mail is queued (ogp_platform/mail.py); the worker delivers it through this backend.
EMAIL_BACKEND = "ogp_platform.mail.QueuedEmailBackend"
OGP_EMAIL_DELIVERY_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = 20
# Where django.core.mail.backends.filebased.EmailBackend writes (benchmarks/faults count the files).
EMAIL_FILE_PATH = env.str("DJANGO_EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OGP Co-creation <noreply@localhost>")
if not DEBUG:
    # A single-process install still sends real mail: sign-up cannot finish without it.
    if "DJANGO_EMAIL_BACKEND" not in env:
        _missing_in_production.append(
            "DJANGO_EMAIL_BACKEND (how mail is delivered, e.g. "
            "django.core.mail.backends.smtp.EmailBackend)"
        )
    elif OGP_EMAIL_DELIVERY_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        _missing_in_production += [
            f"{name} (needed by the SMTP backend)"
            for name in ("EMAIL_HOST", "DEFAULT_FROM_EMAIL")
            if name not in env
        ]
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [("Platform admins", a) for a in env.list("DJANGO_ADMINS", default=[])]

# --- Celery ---
# Without Redis, tasks run inline in the web process: the embedded default needs no broker.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# A task is acknowledged only once it has finished, so a worker killed mid-task gets it
# redelivered: at once when only the pool process died (reject on worker lost), after
# visibility_timeout when the whole worker did (SIGKILL, out of memory, a lost machine). A task not
# acknowledged within the timeout is handed to another worker even if it is still running, and so
# are retries waiting for their countdown (retry_backoff, at most 600 s): the timeout must exceed
# both, with a margin. Longer only delays recovery from a dead worker (kombu also sweeps for such
# tasks only every ~100 s); a worker stopped normally finishes its tasks first.
# CELERY_VISIBILITY_TIMEOUT overrides it (benchmarks/faults/worker_killed.py uses a short one with
# short tasks).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=max(CELERY_TASK_TIME_LIMIT, 600) + 300
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # A Redis that hangs instead of refusing (frozen, failing over, a dropped route) would hold a
    # request that queues a task for ever: fail after these seconds instead. The worker's BRPOP
    # answers within a second, well inside them.
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Queueing a task whose result is kept subscribes to the result in Redis. Celery's default
    # policy retries that for about 20 s when Redis is down, holding the request; fail fast
    # instead (the caller's error handling or the outbox's sweeper takes over).
    "retry_policy": {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.1,
        "interval_max": 0.2,
    },
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing a task from a request tries the broker once, instead of four times over 0.6 s (and,
# with a Redis that hangs, four socket timeouts): with Redis down every comment and sign-up would
# pay it. Nothing is lost by failing fast: mail and notifications are re-queued by the sweepers,
# a PDF export shows "Try again", an import fails with a message. (A connection left over from
# before a Redis restart is replaced by redis-py before use, so it needs no retry.)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "ogp_platform.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    # Consultations open and close on time. A tick not started within the minute is dropped:
    # the next one does its work.
    "participation-consultations-tick": {
        "task": "participation.consultations_tick",
        "schedule": crontab(minute="*"),
        "options": {"expires": 55},
    },
    # Those who chose a daily digest of their notifications get it in the morning.
    "participation-daily-digests": {
        "task": "participation.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # What could not be queued when it happened (Redis down) is queued again a minute later;
    # each copy of a task sends at most once (ogp_platform/outbox/services.py).
    "outbox-requeue": {
        "task": "ogp_platform.outbox.requeue",
        "schedule": crontab(minute="*"),
        "options": {"expires": 55},
    },
    "outbox-prune": {
        "task": "ogp_platform.outbox.prune",
        "schedule": crontab(hour=3, minute=37),
    },
    "participation-requeue-unsent-notifications": {
        "task": "participation.requeue_unsent_notifications",
        "schedule": crontab(minute="*"),
        "options": {"expires": 55},
    },
}

# --- Security ---
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    # HSTS preloading is a near-irreversible decision about the operator's whole domain, so it is
    # opt-in (DJANGO_SECURE_HSTS_PRELOAD=1) rather than a default.
    "security.W021",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Each form limits its files (PDFs 10 MB, evidence 20 MB, the import 50 MB); a request larger
# than the largest a form can send (three evidence files) is refused before it is read.
MAX_UPLOAD_REQUEST_SIZE = 64 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "ogp_platform.uploads.RequestSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Sent on every response by ogp_platform.middleware.SecurityHeadersMiddleware. Everything comes
# from the platform itself: no inline script or style, no other origin, no framing.
CONTENT_SECURITY_POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# --- Logging ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every step of every rendering at INFO; its warnings (a resource refused
    # by the PDF's URL fetcher, CSS it ignores) are what matters.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if _missing_in_production:
    raise ImproperlyConfigured(
        "Debug is off (production), and these settings are missing:\n  - "
        + "\n  - ".join(_missing_in_production)
        + "\nSet them (docs/configuration.md). For local development set DJANGO_DEBUG=1; for a "
        "one-process install on SQLite without Redis set DJANGO_SINGLE_PROCESS=1."
    )
