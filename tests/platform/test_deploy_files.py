"""No Docker engine runs in CI: keep docker-compose.yml and the Dockerfile honest by reading."""

import sys
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
    assert "8000" in [str(p) for p in SERVICES["web"]["expose"]]
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


def test_the_proxy_is_the_only_way_in_and_the_rate_limits_know_it():
    """Caddy terminates TLS and sets X-Forwarded-For, replacing what a client sent; gunicorn is
    not published, so nobody can reach it with a forged header. One proxy: the rate limits take
    the last address of X-Forwarded-For (DJANGO_TRUSTED_PROXY_COUNT=1), the client's own."""
    proxy = SERVICES["proxy"]
    assert proxy["image"].startswith("caddy:")
    assert "reverse-proxy" in _command("proxy") and "web:8000" in _command("proxy")
    assert {str(p) for p in proxy["ports"]} == {"80:80", "443:443"}
    published = [name for name, service in SERVICES.items() if service.get("ports")]
    assert published == ["proxy"]
    for name in APP_SERVICES:
        assert SERVICES[name]["environment"]["DJANGO_TRUSTED_PROXY_COUNT"].endswith(":-1}"), name


def _required(value):
    return str(value).startswith("${") and ":?" in str(value)


def test_secrets_and_addresses_have_no_defaults():
    """A missing password or mail server stops `docker compose` with the variable's name instead
    of deploying with a guessable database password or mail sent to nowhere."""
    assert _required(SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"])
    env = SERVICES["web"]["environment"]
    assert "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"]
    for name in (
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_SITE_DOMAIN",
        "EMAIL_HOST",
        "DEFAULT_FROM_EMAIL",
    ):
        assert _required(env[name]), name


def test_env_example_lists_every_required_variable():
    example = (ROOT / ".env.example").read_text()
    required = {
        part.split(":?")[0]
        for service in SERVICES.values()
        for value in [*service.get("environment", {}).values(), *service.get("command", [])]
        for part in str(value).split("${")[1:]
        if ":?" in part.split("}")[0]
    }
    assert required >= {"POSTGRES_PASSWORD", "EMAIL_HOST", "DJANGO_SECRET_KEY"}
    for name in required:
        assert f"\n{name}=" in example, name


def test_ogp_run_points_links_at_the_port_it_serves():
    """`PORT=8765 ./ogp run` serves on 8765, so the PDF's "Read it online" link and the links
    in emails (DJANGO_SITE_URL) must say 8765 too; an explicit DJANGO_SITE_URL wins."""
    import os
    import subprocess

    def run_env(**env):
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORT"))}
        out = subprocess.run(
            [str(ROOT / "ogp"), "env"], env={**base, **env}, capture_output=True, text=True
        ).stdout
        return dict(line.split("=", 1) for line in out.split())

    assert run_env(PORT="8765")["DJANGO_SITE_URL"] == "http://127.0.0.1:8765"
    assert run_env()["DJANGO_SITE_URL"] == "http://127.0.0.1:8000"
    assert (
        run_env(PORT="8765", DJANGO_SITE_URL="https://ogp.example.org")["DJANGO_SITE_URL"]
        == "https://ogp.example.org"
    )

    # And the settings take the PDF's links from it.
    dump = "import django; from django.conf import settings as s; django.setup(); print(s.SITE_URL)"
    site_url = subprocess.run(
        [sys.executable, "-c", dump],
        cwd=ROOT,
        env={
            **os.environ,
            **run_env(PORT="8765"),
            "DJANGO_SETTINGS_MODULE": "ogp_platform.settings",
        },
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert site_url == "http://127.0.0.1:8765"
