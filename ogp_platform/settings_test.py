"""Settings for the test suite: the real settings, made fast and deterministic.

DATABASE_URL and REDIS_URL are honoured as in production, so CI runs the suite against the real
PostgreSQL and Redis. Celery tasks run inline unless a test starts a real worker.
"""

import os
from urllib.parse import urlsplit

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-used-anywhere-else")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
# Debug stays off, as in production; without DATABASE_URL and REDIS_URL the suite is a
# one-process install (SQLite, a local cache, inline tasks). Mail goes to Django's test outbox.
os.environ.setdefault("DJANGO_SINGLE_PROCESS", "1")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from .settings import *  # noqa: F403
from .settings import CACHES, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
OGP_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
# The suite runs in one process: the page cache is on with or without Redis, so every test that
# reads a public page after a change also proves the change reached the cache.
PAGE_CACHE_SECONDS = 60
if REDIS_URL:
    # The suite flushes its cache between tests: keep it in a Redis database of its own so that
    # neither the broker's queues nor a developer's data are touched.
    CACHES["default"]["LOCATION"] = urlsplit(REDIS_URL)._replace(path="/15").geturl()
# Static files come straight from the app and project folders, as under runserver.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Worker threads in tests must not keep connections open past the test database's life.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# A module that exists only in the tests (tests/pilot/): it plugs into the core as a pilot
# module would, so the tests hold the core to its contract with modules other than plans.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.pilot"]  # noqa: F405
