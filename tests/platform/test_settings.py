"""Settings come from the environment. Each case runs in a fresh interpreter, as a process
started with that environment would."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DUMP = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({'db': s.DATABASES['default'], 'cache': s.CACHES['default'], "
    "'broker': s.CELERY_BROKER_URL, 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'debug': s.DEBUG}, default=str))"
)


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
    assert _settings(DJANGO_SECRET_KEY="k" * 50)["debug"] is False
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
        DJANGO_SECRET_KEY="a-production-like-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="ogp.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
