import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


def _sign_up(client, capture, email="new.person@example.org", **extra):
    with capture(execute=True):
        return client.post(
            reverse("account_signup"),
            {
                "email": email,
                "display_name": "Ilze Kalniņa",
                "password1": PASSWORD,
                "password2": PASSWORD,
                **extra,
            },
        )


def test_sign_up_verify_log_in_log_out(client, django_capture_on_commit_callbacks):
    """A new user signs up, confirms the address from the email, and can log in and out."""
    response = _sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = get_user_model().objects.get(email="new.person@example.org")
    assert user.display_name == "Ilze Kalniņa"
    assert not user.emailaddress_set.get().verified

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)

    page = client.get(link)
    assert page.status_code == 200
    assert b"Confirm" in page.content
    response = client.post(link)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified

    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session

    response = client.post(
        reverse("account_login"), {"login": "New.Person@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_sign_up_records_the_interface_language(client, django_capture_on_commit_callbacks):
    """Who signs up while browsing in Latvian gets Latvian as preferred language."""
    client.cookies["django_language"] = "lv"
    _sign_up(client, django_capture_on_commit_callbacks)
    assert get_user_model().objects.get().preferred_language == "lv"


def test_sign_up_with_a_taken_address_is_refused(client, django_capture_on_commit_callbacks):
    """Addresses are unique whatever their case; nothing is created twice."""
    UserFactory(email="taken@example.org")
    response = _sign_up(client, django_capture_on_commit_callbacks, email="Taken@Example.org")
    assert get_user_model().objects.filter(email__iexact="taken@example.org").count() == 1
    # allauth prevents account enumeration: it behaves as for a new address, and mails the owner.
    assert response.status_code == 302
    assert mail.outbox[0].to == ["taken@example.org"]


def test_invalid_sign_up_shows_an_error_summary(client):
    """Errors are listed at the top, each linking to its field; what was typed is kept."""
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-address", "display_name": "Jānis", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_email"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Jānis"' in html
    assert not get_user_model().objects.exists()


def test_wrong_password_gives_a_clear_message(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_unverified_address_cannot_log_in(client, django_capture_on_commit_callbacks):
    """Verification is mandatory: the user is told to check their email, and gets a new link."""
    user = UserFactory(verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_login"),
            {"login": user.email, "password": DEFAULT_PASSWORD},
            follow=True,
        )
    assert "_auth_user_id" not in client.session
    assert "Verify Your Email Address" in response.content.decode()
    assert mail.outbox and mail.outbox[0].to == [user.email]


def test_failed_logins_lock_the_account_for_a_while(client):
    """After five wrong passwords, even the right one is refused for the rest of the window."""
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_up_rate_limit_answers_429(client):
    """The eleventh sign-up attempt in a minute from one address gets the 'too many' page."""
    statuses = [
        client.post(reverse("account_signup"), {"email": f"x{i}@example.org"}).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_rate_limit_page_uses_the_platform_layout(client):
    for i in range(11):
        response = client.post(reverse("account_signup"), {"email": f"x{i}@example.org"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert 'class="skip-link"' in response.content.decode()


def test_password_reset_sends_a_working_link(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"password1": "another-long-passphrase", "password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "new-long-passphrase-1",
            "password2": "new-long-passphrase-1",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-long-passphrase-1")


def test_profile_requires_login_and_saves(client):
    assert client.get(reverse("profile")).status_code == 302
    user = UserFactory(display_name="Old")
    client.force_login(user)
    response = client.post(
        reverse("profile"), {"display_name": "Žanis Ķēniņš", "preferred_language": "it"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.preferred_language) == ("Žanis Ķēniņš", "it")
    assert response.cookies["django_language"].value == "it"


def test_email_is_the_login_and_case_insensitive():
    User = get_user_model()
    user = User.objects.create_user("Mixed.Case@Example.ORG", "pw")
    assert user.email == "mixed.case@example.org"
    assert User.objects.get_by_natural_key("MIXED.case@example.org") == user
    assert str(user) == f"Participant {user.pk}"  # the address is never shown publicly


def test_admin_is_available_to_staff_only(client):
    assert client.get("/admin/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/accounts/user/").status_code == 200


# --- No user enumeration (ACCOUNT_PREVENT_ENUMERATION) ----------------------------------------


def _page(response, *addresses) -> str:
    """The page as a visitor sees it, without what differs between any two requests (the CSRF
    token) or simply echoes what was typed (the address)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    for address in addresses:
        html = html.replace(address, "ADDRESS")
    return html


def test_sign_up_answers_the_same_for_a_taken_and_a_new_address(
    client, django_capture_on_commit_callbacks
):
    """Both lead to the same page; the owner of the taken address is told by email, instead of
    the visitor on the page."""
    UserFactory(email="taken@example.org")
    taken = _sign_up(Client(), django_capture_on_commit_callbacks, email="taken@example.org")
    new = _sign_up(Client(), django_capture_on_commit_callbacks, email="new@example.org")
    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    assert _page(client.get(taken["Location"])) == _page(client.get(new["Location"]))
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "Account Already Exists" in by_address["taken@example.org"].subject
    assert "/accounts/confirm-email/" in by_address["new@example.org"].body


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    url = reverse("account_reset_password")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": user.email})
        unknown = client.post(url, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert _page(client.get(known["Location"])) == _page(client.get(unknown["Location"]))
    # Each address hears what applies to it; only the known one gets a link.
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "/accounts/password/reset/key/" in by_address[user.email].body
    assert "Unknown Account" in by_address["nobody@example.org"].subject
    assert "/accounts/password/reset/key/" not in by_address["nobody@example.org"].body


def test_login_fails_the_same_for_an_unknown_address_and_a_wrong_password(client):
    user = UserFactory()
    url = reverse("account_login")
    wrong_password = client.post(url, {"login": user.email, "password": "wrong"})
    unknown = client.post(url, {"login": "nobody@example.org", "password": "wrong"})
    assert wrong_password.status_code == unknown.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        unknown.content.decode()
    )
    assert _page(wrong_password, user.email) == _page(unknown, "nobody@example.org")


def test_sign_up_hashes_a_password_for_a_taken_address_too(
    django_capture_on_commit_callbacks, monkeypatch
):
    """Hashing the password is nearly all the time a sign-up takes: a taken address, which
    creates no account, hashes the typed password as well, so both answer in the same time
    (benchmarks/signup_timing.py measures it with the production hasher)."""
    from django.contrib.auth import hashers

    hashed = []
    real_encode = hashers.MD5PasswordHasher.encode

    def counting_encode(self, password, salt):
        hashed.append(password)
        return real_encode(self, password, salt)

    monkeypatch.setattr(hashers.MD5PasswordHasher, "encode", counting_encode)
    UserFactory(email="taken@example.org")
    hashed.clear()
    _sign_up(Client(), django_capture_on_commit_callbacks, email="taken@example.org")
    taken = list(hashed)
    hashed.clear()
    _sign_up(Client(), django_capture_on_commit_callbacks, email="new@example.org")
    assert taken == hashed == [PASSWORD]


# --- The admin signs in through allauth ------------------------------------------------------


def test_the_admin_sign_in_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("account_login") + "?next=%2Fadmin%2Faccounts%2Fuser%2F"
    )
    # The admin itself sends visitors there too.
    follow = client.get("/admin/", follow=True)
    assert follow.redirect_chain[-1][0].startswith(reverse("account_login"))


def test_a_password_posted_to_the_admin_sign_in_is_refused(client):
    """Django's own admin form has no rate limit: it is never reached."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = client.post("/admin/login/", {"username": admin.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 405
    assert "_auth_user_id" not in client.session


def test_the_admin_is_locked_out_after_failed_passwords(client, monkeypatch):
    """Twelve wrong passwords and then the right one: refused, for the lockout period; after it,
    the right password lets the admin in (and on to the admin, as asked)."""
    import time

    admin = UserFactory(is_staff=True, is_superuser=True)
    url = client.get("/admin/login/?next=/admin/")["Location"]
    for _ in range(12):
        client.post(url, {"login": admin.email, "password": "wrong"})
    refused = client.post(url, {"login": admin.email, "password": DEFAULT_PASSWORD})
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session

    later = time.time() + 5 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    accepted = client.post(url, {"login": admin.email, "password": DEFAULT_PASSWORD})
    assert accepted.status_code == 302 and accepted["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert client.get("/admin/accounts/user/").status_code == 200


def test_signed_in_people_who_are_not_staff_are_refused_by_the_admin_sign_in(client):
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == 403
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/login/")["Location"] == "/admin/"


# --- Rate limits count per person ---------------------------------------------------------------


def test_one_accounts_failures_never_refuse_another_accounts_password(client):
    """Many failed passwords for one account, from one address (an office, or every visitor when
    the proxy count is wrong), leave another account's right password accepted."""
    victim, other = UserFactory(), UserFactory()
    for _ in range(20):
        client.post(reverse("account_login"), {"login": victim.email, "password": "wrong"})
    response = Client().post(
        reverse("account_login"), {"login": other.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    # The account that failed is locked, whoever tries.
    locked = Client().post(
        reverse("account_login"), {"login": victim.email, "password": DEFAULT_PASSWORD}
    )
    assert "Too many failed login attempts" in locked.content.decode()


def test_behind_the_proxy_each_client_has_its_own_sign_in_budget(settings):
    """With the deployment's one proxy counted, the client's address (the last entry of
    X-Forwarded-For) is what the per-address limit counts, not the proxy's."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = reverse("account_login")
    flooding = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    statuses = {
        flooding.post(url, {"login": f"x{i}@example.org", "password": "wrong"}).status_code
        for i in range(31)
    }
    assert 429 in statuses
    user = UserFactory()
    elsewhere = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    response = elsewhere.post(url, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


# --- The site's name in account emails ----------------------------------------------------------


def test_migrating_keeps_the_site_row_equal_to_the_settings(settings):
    """Account emails say "Hello from <site name>": the row they read is updated after every
    migrate, although this app has no models of its own (post_migrate skips such apps)."""
    from django.apps import apps
    from django.contrib.sites.models import Site
    from django.core.management.sql import emit_post_migrate_signal

    settings.SITE_NAME, settings.SITE_DOMAIN = "OGP Latvia", "ogp.example.lv"
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": "example.com"})
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.name, site.domain) == ("OGP Latvia", "ogp.example.lv")
    assert apps.get_app_config("ogp_platform").models_module is None


def test_account_emails_name_the_platform(client, django_capture_on_commit_callbacks):
    _sign_up(client, django_capture_on_commit_callbacks)
    body = mail.outbox[0].body
    assert "example.com" not in body
    assert "OGP Co-creation" in body


@pytest.mark.parametrize("hostile", ["//evil.example/", "http://testserver//evil.example/"])
def test_the_admin_sign_in_passes_on_only_a_local_next(client, hostile):
    response = client.get("/admin/login/", {"next": hostile})
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
