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
# Without these a web process cannot serve pages. Without the others it still can (the cache
# degrades to misses, what is queued waits in the outbox): the process is "degraded" and stays
# in the load balancer, since taking every web process out while Redis is down would turn a
# degraded site into a dead one.
REQUIRED = {"database"}


def run_checks() -> tuple[str, dict[str, str]]:
    """Run every check; return the overall status ("ok", "degraded" when only an optional
    dependency failed, "error" when a required one did) and each check's status."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure of a dependency is reported
            logger.warning("health check %s failed: %s", name, exc)
            results[name] = "error"
    failed = {name for name, result in results.items() if result == "error"}
    status = "error" if failed & REQUIRED else "degraded" if failed else "ok"
    return status, results
