import pytest
from django.test import RequestFactory
from django.urls import reverse

from ogp_platform import views
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_has_landmarks_and_skip_link(client):
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    for landmark in ("<header", "<nav", "<footer"):
        assert landmark in html
    assert 'href="/accounts/login/"' in html


def test_home_page_shows_the_signed_in_user(client):
    client.force_login(UserFactory(display_name="Giulia Rossi"))
    html = client.get(reverse("home")).content.decode()
    assert "Giulia Rossi" in html
    assert 'action="/accounts/logout/"' in html


def test_home_page_query_count_is_small(client, django_assert_max_num_queries):
    client.force_login(UserFactory())
    # session, user, and the user's and groups' permissions (for the header's admin links)
    with django_assert_max_num_queries(5):
        client.get(reverse("home"))


def test_user_written_names_are_escaped(client):
    client.force_login(UserFactory(display_name='<script>alert("x")</script>'))
    html = client.get(reverse("home")).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_allauth_pages_use_the_platform_layout(client):
    for name in ("account_login", "account_signup", "account_reset_password"):
        html = client.get(reverse(name)).content.decode()
        assert 'class="skip-link"' in html, name
        assert 'class="site-footer"' in html, name
        assert '<label class="field__label" for="id_email"' in html or 'for="id_login"' in html


def test_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="skip-link"' in response.content.decode()


def test_friendly_403_and_500():
    request = RequestFactory().get("/")
    request.user = UserFactory()
    assert b"You do not have access" in views.error_403(request).content
    response = views.error_500(request)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.urls("tests.platform.crash_urls")
def test_500_page_renders_when_a_view_crashes(client):
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_state_changing_views_refuse_get(client):
    """Log-out, language switch: GET does not change state."""
    client.force_login(UserFactory())
    assert client.get(reverse("set_language") + "?language=it").status_code == 405
    client.get(reverse("account_logout"))
    assert "_auth_user_id" in client.session
