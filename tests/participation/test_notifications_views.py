"""The notification settings page and the one-click unsubscribe page.

Settings: signed-in people only (anonymous visitors are sent to sign in), each changing their own
setting, POST with CSRF, PRG. Unsubscribe: the token in the link is the proof, so it works
signed out; GET only shows a button (link scanners open links), POST unsubscribes, an unknown
token is a 404, and the mail client's one-click POST (RFC 8058) works without a CSRF token.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from participation.links import args_of
from participation.models import Follow, NotificationSetting
from participation.selectors import content_type_of
from participation.services.notifications import frequency_of, setting_for
from tests.factories import UserFactory
from tests.people import (
    ANONYMOUS,
    CSO_MEMBER,
    MODERATOR,
    OFFICER,
    OGP_ADMIN,
    OTHER_OFFICER,
    UNVERIFIED,
    USER,
)
from tests.plans.factories import ActionPlanFactory, CommitmentFactory
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/notifications/settings/"
Frequency = NotificationSetting.Frequency
ROLES = [ANONYMOUS, UNVERIFIED, USER, CSO_MEMBER, OFFICER, OTHER_OFFICER, MODERATOR, OGP_ADMIN]


def unsubscribe_url(user) -> str:
    return reverse(
        "participation:notifications_unsubscribe", args=[setting_for(user).unsubscribe_token]
    )


def fresh_frequency(user) -> str:
    return NotificationSetting.objects.filter(user=user).values_list("frequency", flat=True).first()


# --- The settings page ------------------------------------------------------------------------


def test_the_settings_url():
    assert reverse("participation:notifications_settings") == SETTINGS_URL


@pytest.mark.parametrize("role", ROLES)
def test_who_changes_the_setting(client, people, role):
    """Anonymous visitors are sent to sign in; everyone signed in (verified or not, whatever
    their roles) changes their own setting, and only their own."""
    person = people.sign_in(client, role)
    bystander = UserFactory()
    response = client.post(SETTINGS_URL, {"frequency": "daily"})
    if role == ANONYMOUS:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert not NotificationSetting.objects.exists()
        assert client.get(SETTINGS_URL).status_code == 302
    else:
        assert response.status_code == 302 and response["Location"] == SETTINGS_URL
        assert fresh_frequency(person) == "daily"
        assert client.get(SETTINGS_URL).status_code == 200
    assert fresh_frequency(bystander) is None


def test_the_page_shows_the_current_setting_and_saves_a_new_one(client, user):
    client.force_login(user)
    page = client.get(SETTINGS_URL).content.decode()
    assert re.search(r'value="immediately"[^>]*checked', page)
    response = client.post(SETTINGS_URL, {"frequency": "off"}, follow=True)
    assert "Your notification settings have been saved." in response.content.decode()
    assert re.search(r'value="off"[^>]*checked', response.content.decode())
    user.refresh_from_db()
    assert frequency_of(user) == Frequency.OFF


def test_an_unknown_choice_is_a_form_error(client, user):
    client.force_login(user)
    response = client.post(SETTINGS_URL, {"frequency": "hourly"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert fresh_frequency(user) is None


def test_the_page_lists_what_one_follows_with_a_way_to_stop(client, user):
    plan = ActionPlanFactory(status="cocreation", published=True)
    commitment = CommitmentFactory(plan=plan, title="Open <b>contracts</b>")
    hidden_draft = ActionPlanFactory(status="draft")
    for target in (plan, commitment, hidden_draft):
        Follow.objects.create(target_type=content_type_of(target), target_id=target.pk, user=user)
    client.force_login(user)
    page = client.get(SETTINGS_URL).content.decode()
    assert plan.get_absolute_url() in page and commitment.get_absolute_url() in page
    assert "Open &lt;b&gt;contracts&lt;/b&gt;" in page
    assert hidden_draft.get_absolute_url() not in page  # no longer readable: not listed
    unfollow = reverse("participation:unfollow", args=args_of(plan))
    assert f'action="{unfollow}"' in page
    response = client.post(unfollow, {"next": SETTINGS_URL})
    assert response.status_code == 302 and response["Location"] == SETTINGS_URL
    assert not Follow.objects.filter(target_id=plan.pk, target_type=content_type_of(plan)).exists()


def test_saving_the_setting_needs_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(SETTINGS_URL, {"frequency": "off"}).status_code == 403
    assert fresh_frequency(user) is None
    page = client.get(SETTINGS_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(SETTINGS_URL, {"frequency": "off", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert fresh_frequency(user) == "off"


def test_the_profile_page_links_to_the_settings(client, user):
    client.force_login(user)
    assert f'href="{SETTINGS_URL}"' in client.get(reverse("profile")).content.decode()


# --- Unsubscribe ------------------------------------------------------------------------------


def test_opening_the_link_does_not_unsubscribe(client, user):
    """Link scanners open every link of an email: GET only shows the button."""
    url = unsubscribe_url(user)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<form method="post" action="{url}">' in page
    assert "Unsubscribe</button>" in page
    assert frequency_of(user) == Frequency.IMMEDIATELY
    assert fresh_frequency(user) == "immediately"


def test_the_button_unsubscribes_signed_out_and_comes_back_to_say_so(client, user):
    url = unsubscribe_url(user)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == url
    assert fresh_frequency(user) == "off"
    page = client.get(url).content.decode()
    assert "You are unsubscribed" in page
    assert "Unsubscribe</button>" not in page


def test_the_token_unsubscribes_its_owner_whoever_is_signed_in(client, user):
    other = UserFactory()
    client.force_login(other)
    client.post(unsubscribe_url(user))
    assert fresh_frequency(user) == "off"
    assert fresh_frequency(other) is None


def test_the_mail_clients_one_click_post_needs_no_csrf_token(user):
    """RFC 8058: the client POSTs "List-Unsubscribe=One-Click", without cookies or a form
    token, and gets an answer (not a redirect)."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe_url(user),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert fresh_frequency(user) == "off"
    # Again: still unsubscribed, still fine.
    assert client.post(unsubscribe_url(user), {"List-Unsubscribe": "One-Click"}).status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_token_is_not_found(client, user, method):
    setting_for(user)
    url = reverse("participation:notifications_unsubscribe", args=["not-a-token"])
    assert getattr(client, method)(url).status_code == 404
    assert fresh_frequency(user) == "immediately"


def test_only_get_and_post(client, user):
    assert client.put(unsubscribe_url(user)).status_code == 405
    assert fresh_frequency(user) == "immediately"


def test_tokens_are_long_random_and_distinct():
    first, second = setting_for(UserFactory()), setting_for(UserFactory())
    assert len(first.unsubscribe_token) >= 40
    assert first.unsubscribe_token != second.unsubscribe_token


def test_the_settings_page_costs_the_same_for_2_and_8_followed_plans_and_commitments(client):
    """What `title` and `may_read` need of each followed object is read per kind of object,
    not per object (each commitment here is in a plan of its own, of a member of its own)."""
    from participation.services import votes
    from tests.participation.test_comments import plan_in_consultation

    url = reverse("participation:notifications_settings")

    def following(n: int):
        def setup():
            user = UserFactory()
            for _ in range(n):
                commitment = CommitmentFactory(plan=plan_in_consultation())
                votes.follow(actor=user, target=commitment)
                votes.follow(actor=user, target=commitment.plan)
            client.force_login(user)
            client.get(url)  # content types are cached once per process
            return n

        return setup

    def settings_page(n: int):
        response = client.get(url)
        assert response.content.decode().count("Stop following") == 2 * n

    assert_queries_constant(settings_page, following(2), following(8))
