"""While the database cannot be reached, pages answer a clean 503 (with Retry-After, in the
visitor's language, without a traceback) and /healthz says so; once it is back, they work again
in the same process.

The outage is simulated by making every new cursor raise what psycopg raises when PostgreSQL is
down or restarting; benchmarks/faults/postgres_restart.py does it for real, under load.
"""

import contextlib
import logging
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


@contextlib.contextmanager
def database_down(error=OperationalError):
    with mock.patch.object(connection, "_cursor", side_effect=error(REFUSED)):
        yield


def assert_clean_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert '<p class="error-page__code">503</p>' in body
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert "Connection refused" not in body
    return body


def test_a_page_answers_503_while_the_database_is_down(client, caplog):
    url = reverse("members:directory")
    with database_down(), caplog.at_level(logging.ERROR, logger="ogp_platform.middleware"):
        response = client.get(url, {"q": "x"})
    body = assert_clean_503(response)
    assert "The platform is briefly unavailable" in body
    # The page offers to load the same page again.
    assert f'href="{url}?q=x"' in body
    [record] = [r for r in caplog.records if r.name == "ogp_platform.middleware"]
    assert "503" in record.getMessage()
    assert "GET /members/" in record.getMessage()
    assert record.exc_info is None  # one line, no traceback per request


def test_the_page_is_in_the_visitors_language(client):
    with database_down():
        response = client.get(reverse("members:directory"), HTTP_ACCEPT_LANGUAGE="lv")
    body = assert_clean_503(response)
    assert '<html lang="lv">' in body
    with translation.override("lv"):
        skip_link = translation.gettext("Skip to main content")
    assert skip_link != "Skip to main content"
    assert skip_link in body


def test_a_signed_in_visitor_whose_session_cannot_be_read_gets_503(client):
    """The session and the user are read from the database before the view runs."""
    client.force_login(UserFactory())
    with database_down():
        response = client.get(reverse("home"))
    assert_clean_503(response)


def test_a_cut_connection_is_handled_like_a_refused_one(client):
    with database_down(InterfaceError):
        response = client.get(reverse("members:directory"))
    assert_clean_503(response)


def test_a_form_sent_during_the_outage_is_not_offered_again(client):
    client.force_login(UserFactory())
    with database_down():
        response = client.post(reverse("profile"), {"display_name": "X"})
    body = assert_clean_503(response)
    assert "Try again" not in body
    assert "check whether it was saved" in body


def test_a_protocol_relative_path_is_not_offered_as_a_link(client):
    with database_down():
        response = client.get("//evil.example/members/")
    body = assert_clean_503(response)
    assert "evil.example" not in body


def test_health_check_reports_the_database(client):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"


def test_pages_work_again_once_the_database_is_back(client):
    url = reverse("members:directory")
    with database_down():
        assert client.get(url).status_code == 503
    assert client.get(url).status_code == 200
    assert client.get("/healthz").json()["checks"]["database"] == "ok"


def test_other_errors_are_not_disguised_as_an_outage(client):
    client.raise_request_exception = False
    with mock.patch.object(connection, "_cursor", side_effect=RuntimeError("a bug")):
        response = client.get(reverse("members:directory"))
    assert response.status_code == 500
