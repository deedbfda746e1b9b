"""Settings come from the environment. Each case runs in a fresh interpreter, as a process
started with that environment would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

DUMP = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({'db': s.DATABASES['default'], 'cache': s.CACHES['default'], "
    "'broker': s.CELERY_BROKER_URL, 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'debug': s.DEBUG}, default=str))"
)


# What a production process is given (docker-compose.yml sets the same variables).
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-like-secret-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "ogp.example.org",
    "DATABASE_URL": "postgres://ogp:pw@db.internal:5432/ogp",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "OGP <noreply@ogp.example.org>",
}


def _run(code, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_"))
    }
    base["DJANGO_SETTINGS_MODULE"] = "ogp_platform.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _settings(**env):
    result = _run(DUMP, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_without_secret_key_refuses_to_start():
    result = _run(DUMP, DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    production = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_DEBUG"}
    assert _settings(**production)["debug"] is False
    assert _settings(DJANGO_DEBUG="1")["debug"] is True


def test_embedded_default_is_sqlite_inline_tasks_and_local_cache():
    s = _settings(DJANGO_DEBUG="1")
    assert s["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["db"]["NAME"].endswith("db.sqlite3")
    assert s["cache"]["BACKEND"].endswith("LocMemCache")
    assert s["eager"] is True


def test_database_url_is_honoured():
    s = _settings(DJANGO_DEBUG="1", DATABASE_URL="postgres://ogp:pw@db.internal:5433/ogp_prod")
    assert s["db"]["ENGINE"] == "django.db.backends.postgresql"
    assert (s["db"]["HOST"], s["db"]["PORT"], s["db"]["NAME"], s["db"]["USER"]) == (
        "db.internal",
        5433,
        "ogp_prod",
        "ogp",
    )
    assert s["db"]["CONN_HEALTH_CHECKS"] is True


def test_redis_url_is_the_broker_result_backend_and_cache():
    s = _settings(DJANGO_DEBUG="1", REDIS_URL="redis://cache.internal:6380/2")
    assert s["broker"] == "redis://cache.internal:6380/2"
    assert s["eager"] is False
    assert s["cache"]["BACKEND"] == "ogp_platform.cache.FaultTolerantRedisCache"
    assert s["cache"]["LOCATION"] == "redis://cache.internal:6380/2"


def test_deploy_check_is_clean_under_production_settings():
    result = _run(
        "from django.core.management import execute_from_command_line as e; "
        "e(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_is_configured_by_the_documented_variables():
    s = _settings(**PRODUCTION)
    assert s["debug"] is False
    assert s["db"]["ENGINE"] == "django.db.backends.postgresql"
    assert s["cache"]["BACKEND"] == "ogp_platform.cache.FaultTolerantRedisCache"
    assert s["eager"] is False


@pytest.mark.parametrize(
    "variable",
    ["DATABASE_URL", "REDIS_URL", "DJANGO_EMAIL_BACKEND", "EMAIL_HOST", "DEFAULT_FROM_EMAIL"],
)
def test_production_refuses_to_fall_back_to_development_defaults(variable):
    """With debug off, a missing database, Redis or mail setting stops the process with a message
    naming it, instead of running on SQLite, a per-process cache, inline tasks or console mail."""
    env = {k: v for k, v in PRODUCTION.items() if k != variable}
    result = _run(DUMP, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"- {variable} (" in result.stderr
    assert "DJANGO_SINGLE_PROCESS=1" in result.stderr


def test_every_missing_setting_is_named_at_once():
    result = _run(DUMP, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode != 0
    for variable in ("DATABASE_URL", "REDIS_URL", "DJANGO_EMAIL_BACKEND"):
        assert f"- {variable} (" in result.stderr


def test_a_single_process_install_is_an_explicit_choice():
    """DJANGO_SINGLE_PROCESS=1 allows SQLite and no Redis with debug off; mail must still be
    configured, since nobody can finish signing up without it."""
    s = _settings(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_SINGLE_PROCESS="1",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.example.org",
        DEFAULT_FROM_EMAIL="noreply@example.org",
    )
    assert s["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["eager"] is True
    without_mail = _run(
        DUMP, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50, DJANGO_SINGLE_PROCESS="1"
    )
    assert without_mail.returncode != 0
    assert "- DJANGO_EMAIL_BACKEND (" in without_mail.stderr
    assert "DATABASE_URL" not in without_mail.stderr
