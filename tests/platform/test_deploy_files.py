"""No Docker engine runs in CI: keep docker-compose.yml and the Dockerfile honest by reading."""

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "beat")


def _command(service):
    command = SERVICES[service].get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_declares_the_production_services():
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(SERVICES)


def test_exactly_one_beat():
    beats = [name for name in SERVICES if "beat" in _command(name)]
    assert beats == ["beat"]
    assert SERVICES["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert "worker" in _command("worker") and "celery" in _command("worker")


def test_app_services_get_their_configuration_from_the_environment():
    for name in APP_SERVICES:
        env = SERVICES[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://"), name
        assert env["REDIS_URL"].startswith("redis://redis:6379"), name
        assert "DJANGO_SECRET_KEY" in env, name
        assert env.get("DJANGO_DEBUG", "0") in ("0", "false", "False", 0, False), name
        depends = SERVICES[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_secret_key_has_no_default():
    env = SERVICES["web"]["environment"]
    assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?"), env["DJANGO_SECRET_KEY"]


def test_web_serves_with_gunicorn_on_8000_and_is_health_checked():
    assert "gunicorn" in _command("web")
    assert any(str(p).endswith("8000") for p in SERVICES["web"]["ports"])
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    for name in ("postgres", "redis", "worker"):
        assert SERVICES[name]["healthcheck"]["test"], name


def test_data_lives_on_volumes():
    assert {"postgres-data", "media"} <= set(COMPOSE["volumes"])
    assert any("postgres-data:" in v for v in SERVICES["postgres"]["volumes"])
    for name in ("web", "worker"):
        assert any(v.startswith("media:") for v in SERVICES[name]["volumes"]), name


def test_migrations_run_once_before_web_starts():
    assert "migrate" in _command("migrate")
    assert SERVICES["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_dockerfile_installs_weasyprint_libraries_and_fonts():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-dejavu-core",
        "gettext",
    ):
        assert package in dockerfile, package
    assert "compilemessages" in dockerfile
    assert "collectstatic" in dockerfile
    assert "USER " in dockerfile  # does not run as root


def test_redis_memory_is_bounded_and_evicts_only_expiring_keys():
    """The page cache fills Redis with pages that expire; the broker's queues and the page
    cache's generation counters (no expiry) must never be evicted to make room."""
    command = SERVICES["redis"]["command"]
    assert "--maxmemory" in command
    assert command[command.index("--maxmemory-policy") + 1] == "volatile-lru"
