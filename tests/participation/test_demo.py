"""The demo participation of seed_demo: an open consultation on Latvia's plan in co-creation
with comments, votes, offline inputs, responses (some still pending) and a reported comment,
written through the services; loading the demo twice changes nothing, and nobody is mailed."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from action_plans.models import ActionPlan
from action_plans.selectors import plan_submission_checklist
from ogp_platform.members.models import OrganisationMembership
from participation import selectors
from participation.demo import CITIZEN_PASSWORD, CITIZENS, CONSULTATION
from participation.links import args_of
from participation.models import (
    Comment,
    CommentVote,
    Consultation,
    Follow,
    Input,
    Notification,
    Report,
    Vote,
)
from participation.policies import has_verified_email

pytestmark = pytest.mark.django_db

Disposition = Input.Disposition


@pytest.fixture
def seed(settings):
    settings.DEBUG = True

    def seed():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        return out.getvalue()

    return seed


def plan():
    return ActionPlan.objects.get(identifier="AP_LVA01")


def snapshot() -> dict:
    """How many rows of each kind of participation the demo left, history included."""
    return {
        "consultations": Consultation.objects.count(),
        "consultation versions": Consultation.history.count(),
        "comments": Comment.objects.count(),
        "comment versions": Comment.history.count(),
        "votes": Vote.objects.count(),
        "up-votes": CommentVote.objects.count(),
        "inputs": Input.objects.count(),
        "input versions": Input.history.count(),
        "reports": Report.objects.count(),
        "follows": Follow.objects.count(),
        "notifications": Notification.objects.count(),
        "memberships": OrganisationMembership.objects.count(),
        # (Only Delna's: the members demo refreshes Civio's membership on every run.)
        "delna membership versions": OrganisationMembership.history.filter(
            organisation__slug="delna"
        ).count(),
        "users": get_user_model().objects.count(),
        "passwords": sorted(
            get_user_model()
            .objects.filter(email__in=[email for _key, email, _name in CITIZENS])
            .values_list("password", flat=True)
        ),
    }


def test_seed_demo_twice_changes_nothing_the_second_time(seed):
    """The second run finds the consultation in place and adds nothing, not even history rows
    or a new password hash; both runs print the same summary line."""
    first_output = seed()
    first = snapshot()
    assert first["consultations"] == 1
    # Latvia's consultation; the co-production demo comments on its process too.
    assert Comment.objects.filter(consultation__isnull=False).count() == 11
    second_output = seed()
    assert snapshot() == first
    line = "Consultation on AP_LVA01: 11 comments, 10 votes, 9 inputs (5 pending), by 5 citizens"
    assert line in first_output
    assert line in second_output
    assert CITIZEN_PASSWORD in first_output


def test_the_consultation_is_open_for_three_weeks_with_latvian_rules_and_questions(seed):
    seed()
    consultation = selectors.current_consultation(plan())
    assert consultation.title == CONSULTATION["title"]
    assert consultation.is_open
    assert consultation.opened_at is not None
    window = consultation.closes_at - consultation.opens_at
    assert window.days == 21
    assert len(consultation.question_list) == 3
    assert "pamatotu atbildi" in consultation.rules
    assert consultation.created_by.email == "officer@demo.ogp.example"


def test_the_expected_comments_votes_and_up_votes(seed):
    """Comments on the plan and two commitments, with replies (one by the officer) and one
    comment for Delna; support and opposition on three commitments; up-votes on comments."""
    seed()
    space = plan()
    commitments = {c.identifier: c for c in space.commitments.all()}
    on = selectors.content_type_of

    def comments(target):
        return Comment.objects.filter(target_type=on(target), target_id=target.pk)

    assert comments(space).count() == 5
    assert comments(commitments["LV0001"]).count() == 3
    assert comments(commitments["LV0003"]).count() == 3
    assert Comment.objects.filter(consultation__isnull=False, parent__isnull=False).count() == 4
    assert Comment.objects.filter(author__email="officer@demo.ogp.example").get().depth == 1

    for_cso = Comment.objects.get(organisation__isnull=False)
    assert for_cso.organisation.slug == "delna"
    assert for_cso.target == commitments["LV0001"]
    assert "<strong>5 darba dienu laikā</strong>" in for_cso.body_html
    membership = OrganisationMembership.objects.get(organisation__slug="delna", user=for_cso.author)
    assert membership.status == OrganisationMembership.Status.APPROVED
    assert for_cso.input.organisation_kind == Input.OrganisationKind.CSO

    assert selectors.vote_counts(commitments["LV0001"]) == {"support": 4, "oppose": 1}
    assert selectors.vote_counts(commitments["LV0003"]) == {"support": 3, "oppose": 1}
    assert selectors.vote_counts(commitments["LV0002"]) == {"support": 1, "oppose": 0}
    assert Vote.objects.filter(user__email="cso@demo.ogp.example").count() == 1
    assert CommentVote.objects.count() == 8
    assert CommentVote.objects.filter(comment=for_cso).count() == 3
    for upvote in CommentVote.objects.select_related("comment"):
        assert upvote.user_id != upvote.comment.author_id

    # Each comment of the demo stays within the service's per-person limits.
    assert all(
        comments_by <= 3
        for comments_by in (
            Comment.objects.filter(author__email=email).count() for _k, email, _n in CITIZENS
        )
    )


def test_the_register_has_answered_and_pending_inputs(seed):
    """Seven top-level comments and two offline inputs; four responses with reasons (two taken
    into commitments); five inputs pending, so the plan cannot be submitted yet."""
    seed()
    space = plan()
    totals = selectors.register_totals(space)
    assert totals.total == 9
    assert totals.count(source=Input.Source.COMMENT) == 7
    assert totals.count(source=Input.Source.WRITTEN) == 1
    assert totals.count(source=Input.Source.MEETING) == 1
    assert totals.count(disposition=Disposition.ACCEPTED) == 2
    assert totals.count(disposition=Disposition.PARTIAL) == 1
    assert totals.count(disposition=Disposition.NOT_ACCEPTED) == 1
    assert totals.pending == 5

    answered = selectors.register_of(space).exclude(disposition=Disposition.PENDING)
    for item in answered:
        assert item.reason
        assert item.responded_by.email == "officer@demo.ogp.example"
    taken = {item.taken_into.identifier for item in answered if item.taken_into_id}
    assert taken == {"LV0001", "LV0004"}

    checklist = plan_submission_checklist(plan=space)
    assert [item.text for item in checklist.missing] == [
        "5 inputs are still waiting for a reasoned response."
    ]


def test_one_abusive_comment_waits_in_the_moderation_queue(seed):
    seed()
    queue = list(selectors.moderation_queue())
    assert len(queue) == 1
    (comment,) = queue
    assert comment.open_report_count == 1
    assert comment.open_reports[0].reason == Report.Reason.ABUSE
    assert comment.author.email == "citizen5@demo.ogp.example"
    assert not comment.is_hidden


def test_the_citizens_are_verified_latvian_participants(seed):
    seed()
    User = get_user_model()
    for _key, email, name in CITIZENS:
        user = User.objects.get(email=email)
        assert user.display_name == name
        assert user.preferred_language == "lv"
        assert user.check_password(CITIZEN_PASSWORD)
        assert has_verified_email(user)
    assert set("āīūņš") <= set("".join(name for *_rest, name in CITIZENS).lower())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_loading_the_demo_mails_nobody(seed):
    """Replies, new comments on what people follow and responses record notifications, all
    handled without email: once seed_demo's transaction commits, the queued sending finds
    nothing to send, and the demo's people are not mailed for what the demo did."""
    seed()
    assert Notification.objects.exists()
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert mail.outbox == []


def test_a_changed_citizen_password_is_put_back(seed):
    seed()
    User = get_user_model()
    user = User.objects.get(email="citizen2@demo.ogp.example")
    user.set_password("something-else-entirely")
    user.save()
    seed()
    user.refresh_from_db()
    assert user.check_password(CITIZEN_PASSWORD)


def test_the_plan_page_shows_the_consultation_and_comments_to_anonymous_visitors(seed, client):
    """Anonymous visitors read the open consultation, the comments and the register's summary
    on the plan page, the comment for Delna on the commitment page with its votes, and the
    public report with the responses; the abusive comment is still visible (not hidden yet)."""
    seed()
    space = plan()
    response = client.get(space.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert CONSULTATION["title"] in page
    assert "Ilze Liepiņa" in page
    assert "Paldies par iespēju piedalīties!" in page
    assert "Sign in to take part" in page
    assert "9 inputs received, 44% answered." in page

    commitment = space.commitments.get(identifier="LV0001")
    response = client.get(commitment.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dace Krūmiņa" in page
    assert "for <bdi>Sabiedrība par atklātību – Delna</bdi>" in page
    assert "Ļoti svarīgi, lai dati būtu mašīnlasāmi" in page
    assert "Sign in to vote" in page

    report = reverse("participation:register_report", args=args_of(space))
    response = client.get(report)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Publicēšanas termiņš (5 darba dienas)" in page
    assert "Latvijas Pilsoniskā alianse" in page
    assert "Waiting for a reasoned response." in page
