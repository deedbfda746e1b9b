"""Permission matrix of the moderation views.

Reporting is for signed-in people with a verified address, other than the comment's author.
The queue, the record, the comment page and hiding, restoring and dismissing are for moderators
only: officers of the member and OGP admins get 403 like everyone else. Anonymous visitors are
sent to sign in.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation.models import ModerationAction, Report
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory, ConsultationFactory
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

pytestmark = pytest.mark.django_db

ROLES = [ANONYMOUS, UNVERIFIED, USER, CSO_MEMBER, OFFICER, OTHER_OFFICER, MODERATOR, OGP_ADMIN]
REPORTERS = set(ROLES) - {ANONYMOUS, UNVERIFIED}
MODERATORS = {MODERATOR}


@pytest.fixture
def world(people):
    plan = ActionPlanFactory(member=people.member, status="cocreation", published=True)
    commitment = CommitmentFactory(plan=plan)
    consultation = ConsultationFactory(space=plan)
    comment = CommentFactory(target=commitment, consultation=consultation)
    hidden = CommentFactory(
        target=commitment,
        consultation=consultation,
        hidden_at=timezone.now(),
        hidden_by=UserFactory(),
        hidden_reason="Spam.",
    )
    Report.objects.create(comment=comment, reporter=UserFactory(), reason="spam")
    return {
        "commitment": commitment,
        "comment": comment,
        "hidden": hidden,
    }


def assert_allowed(response, role, allowed: set, ok: int):
    if role == ANONYMOUS:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in allowed:
        assert response.status_code == ok
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_reporting_a_comment(client, people, world, role):
    person, comment = people.sign_in(client, role), world["comment"]
    url = reverse("participation:comment_report", args=[comment.pk])
    assert_allowed(client.get(url), role, REPORTERS, 200)
    assert_allowed(client.post(url, {"reason": "abuse"}), role, REPORTERS, 302)
    reported = Report.objects.filter(comment=comment, reporter_id=person.pk).exists()
    assert reported is (role in REPORTERS)


def test_the_author_does_not_report_their_own_comment(client, world):
    client.force_login(world["comment"].author)
    url = reverse("participation:comment_report", args=[world["comment"].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "spam"}).status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["moderation_queue", "moderation_record", "moderation_comment"])
def test_the_moderation_pages(client, people, world, role, page):
    people.sign_in(client, role)
    args = [world["comment"].pk] if page == "moderation_comment" else []
    assert_allowed(client.get(reverse(f"participation:{page}", args=args)), role, MODERATORS, 200)


@pytest.mark.parametrize("role", ROLES)
def test_hiding_restoring_and_dismissing(client, people, world, role):
    people.sign_in(client, role)
    comment, hidden = world["comment"], world["hidden"]
    response = client.post(
        reverse("participation:comment_reports_dismiss", args=[comment.pk]),
        {"dismiss-reason": "Fine."},
    )
    assert_allowed(response, role, MODERATORS, 302)
    response = client.post(
        reverse("participation:comment_hide", args=[comment.pk]), {"hide-reason": "Spam."}
    )
    assert_allowed(response, role, MODERATORS, 302)
    response = client.post(
        reverse("participation:comment_restore", args=[hidden.pk]), {"restore-reason": "Fine."}
    )
    assert_allowed(response, role, MODERATORS, 302)
    comment.refresh_from_db()
    hidden.refresh_from_db()
    acted = role in MODERATORS
    assert comment.is_hidden is acted and hidden.is_hidden is not acted
    expected = ["dismiss", "hide", "restore"] if acted else []
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == (
        expected
    )


def test_moderation_views_answer_only_posts_and_enforce_csrf(world, people):
    moderator = people[MODERATOR]
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    for name in ("comment_hide", "comment_restore", "comment_reports_dismiss"):
        url = reverse(f"participation:{name}", args=[world["comment"].pk])
        assert client.get(url).status_code == 405
        assert client.post(url, {"hide-reason": "x", "restore-reason": "x"}).status_code == 403
    assert not ModerationAction.objects.exists()
    url = reverse("participation:comment_report", args=[world["comment"].pk])
    people.sign_in(client, USER)
    assert client.post(url, {"reason": "spam"}).status_code == 403
    assert Report.objects.count() == 1


def test_nobody_reports_a_comment_on_a_plan_they_may_not_read(client):
    draft = ActionPlanFactory()
    comment = CommentFactory(consultation=ConsultationFactory(space=draft))
    client.force_login(UserFactory())
    assert client.get(reverse("participation:comment_report", args=[comment.pk])).status_code == 404
