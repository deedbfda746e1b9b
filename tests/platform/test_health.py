import pytest
from django.urls import reverse

from ogp_platform.celery import app

pytestmark = pytest.mark.django_db


def test_healthy(client, settings):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"] in {"ok", "inline"}


def test_cache_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 200  # pages still serve: stay in the load balancer
    assert response.json() == {
        "status": "degraded",
        "checks": {
            "database": "ok",
            "cache": "error",
            "broker": response.json()["checks"]["broker"],
        },
    }


def test_broker_checked_for_real(client, redis_url, monkeypatch):
    monkeypatch.setitem(app.conf, "broker_url", redis_url)
    assert client.get(reverse("healthz")).json()["checks"]["broker"] == "ok"
    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"] == "error"


def test_health_is_not_cached_and_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_probes_by_internal_address_are_answered(client, settings):
    """Container probes use 127.0.0.1 or a pod IP, which ALLOWED_HOSTS does not list."""
    settings.ALLOWED_HOSTS = ["ogp.example.org"]
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400
