"""Readiness checks of the services the platform depends on, for /healthz."""

import logging
import uuid

from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("value written to the cache could not be read back")
    cache.delete(key)
    return "ok"


def check_broker() -> str:
    from ogp_platform.celery import app

    if app.conf.broker_url.startswith("memory://"):
        return "inline"  # no broker configured: tasks run in the web process
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def run_checks() -> tuple[bool, dict[str, str]]:
    """Run every check; return whether all passed and each one's status."""
    results = {}
    healthy = True
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure of a dependency means "not ready"
            logger.warning("health check %s failed: %s", name, exc)
            results[name] = "error"
            healthy = False
    return healthy, results
