"""The reasoned-response register (OGP Standard 4): recording inputs received outside the
platform, every disposition and its required reason, merging, what an input was taken into,
the email to the comment's author, the submission block, and the report's figures.

The helpers at the top are shared with test_register_views.py.
"""

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from action_plans import selectors as plan_selectors
from action_plans.services import action_plan_submit
from participation import selectors
from participation.interface import adapter_for
from participation.models import Comment, Consultation, Input
from participation.services import comments as comment_services
from participation.services.register import input_record, input_respond
from tests.factories import UserFactory
from tests.members.factories import MemberRoleFactory, OrganisationMembershipFactory
from tests.participation.factories import CommentFactory, ConsultationFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
NOT_PENDING = [d for d in Input.Disposition.values if d != Input.Disposition.PENDING]

# --- Shared helpers ---------------------------------------------------------------------------


def ready_plan(**fields):
    """A plan in co-creation that passes every other item of the submission checklist, with an
    open consultation."""
    plan = ActionPlanFactory(status="cocreation", published=True, **fields)
    commitment = CommitmentFactory(plan=plan)
    MilestoneFactory(commitment=commitment)
    ConsultationFactory(space=plan, created_by=plan.created_by)
    return plan


def officer_of(plan):
    return MemberRoleFactory(member=plan.member, role="officer").user


def comment_input(plan, author=None, body="Publish every contract within a week.", target=None):
    """A top-level comment posted through the comments service, and the input it created."""
    comment = comment_services.comment_post(
        actor=author or UserFactory(), target=target or plan, body=body
    )
    return comment.input


def quick_input(plan, **fields) -> Input:
    """An input written directly (no rules checked), for setting up a register quickly."""
    values = {
        "space": plan,
        "member": plan.member,
        "source": Input.Source.WRITTEN,
        "text": "A written submission.",
        "received_on": timezone.localdate(),
    }
    values.update(fields)
    return Input.objects.create(**values)


def quick_comment_input(plan, author=None, body="A remark.", target=None, **fields) -> Input:
    """A comment (on the plan, or on `target` in it) and its input, written directly (many of
    them, without the rate limit)."""
    consultation = Consultation.objects.filter(space_id=plan.pk).first() or ConsultationFactory(
        space=plan
    )
    comment = CommentFactory(
        target=target or plan,
        consultation=consultation,
        author=author or UserFactory(),
        body=body,
    )
    return quick_input(plan, source=Input.Source.COMMENT, text="", comment=comment, **fields)


def record(actor, plan, **fields) -> Input:
    values = {
        "source": Input.Source.WRITTEN,
        "text": "The Transparency Forum asks for a register of lobbyists.",
        "received_on": timezone.localdate() - DAY,
        "author_name": "Anna Bērziņa",
        "organisation_name": "Transparency Forum",
        "organisation_kind": Input.OrganisationKind.CSO,
    }
    values.update(fields)
    return input_record(actor=actor, space=plan, **values)


def respond(actor, item, disposition="accepted", reason="It is in commitment 1.", **kwargs):
    return input_respond(actor=actor, input=item, disposition=disposition, reason=reason, **kwargs)


def field_errors(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.fixture
def plan():
    return ready_plan()


@pytest.fixture
def officer(plan):
    return officer_of(plan)


# --- Recording inputs received outside the platform -----------------------------------------


@pytest.mark.parametrize("source", ["written", "meeting", "email", "other"])
def test_an_officer_records_an_input_received_outside_the_platform(plan, officer, source):
    """The input enters the plan's register, pending, with its source, date and contributor,
    recorded by the officer, and its history names them."""
    item = record(officer, plan, source=source)
    assert item.space == plan and item.member == plan.member
    assert item.source == source
    assert item.disposition == Input.Disposition.PENDING
    assert item.received_on == timezone.localdate() - DAY
    assert (item.author_name, item.organisation_name) == ("Anna Bērziņa", "Transparency Forum")
    assert item.organisation_kind == Input.OrganisationKind.CSO
    assert item.recorded_by == officer and item.comment is None
    assert item.history.get().history_user == officer
    assert selectors.pending_input_count(plan) == 1


def test_comments_cannot_be_recorded_by_hand(plan, officer):
    with pytest.raises(ValidationError) as refused:
        record(officer, plan, source=Input.Source.COMMENT)
    assert list(field_errors(refused)) == ["source"]
    assert not Input.objects.exists()


@pytest.mark.parametrize("text", ["", "   \n "])
def test_the_text_is_required(plan, officer, text):
    with pytest.raises(ValidationError) as refused:
        record(officer, plan, text=text)
    assert list(field_errors(refused)) == ["text"]
    assert not Input.objects.exists()


def test_the_date_cannot_be_in_the_future(plan, officer):
    with pytest.raises(ValidationError) as refused:
        record(officer, plan, received_on=timezone.localdate() + DAY)
    assert field_errors(refused) == {"received_on": ["The date cannot be in the future."]}
    assert record(officer, plan, received_on=timezone.localdate()).pk


def test_recording_is_for_those_who_respond_on_the_plan(plan):
    """Participants, CSO members, forum members, officers of another member, moderators and
    OGP admins do not record inputs."""
    people = [
        UserFactory(),
        OrganisationMembershipFactory().user,
        MemberRoleFactory(member=plan.member, role="forum").user,
        MemberRoleFactory(role="officer").user,
    ]
    for person in people:
        with pytest.raises(PermissionDenied):
            record(person, plan)
    assert not Input.objects.exists()
    contact = MemberRoleFactory(member=plan.member, role="point_of_contact").user
    assert record(contact, plan).recorded_by == contact


def test_a_top_level_comment_enters_the_register_but_a_reply_does_not(plan):
    item = comment_input(plan)
    comment_services.comment_post(
        actor=UserFactory(), target=plan, body="Agreed.", parent=item.comment
    )
    assert list(selectors.register_of(plan)) == [item]
    assert item.source == Input.Source.COMMENT and item.disposition == Input.Disposition.PENDING


# --- Dispositions and reasons ---------------------------------------------------------------


@pytest.mark.parametrize("disposition", NOT_PENDING)
def test_every_disposition_with_a_reason_is_recorded_signed_and_dated(plan, officer, disposition):
    item = record(officer, plan)
    other = record(officer, plan, text="The same point, made at the forum.")
    extra = {"merged_into": other} if disposition == Input.Disposition.MERGED else {}
    before = timezone.now()
    respond(officer, item, disposition=disposition, reason="  Because of X.  ", **extra)
    item.refresh_from_db()
    assert item.disposition == disposition
    assert item.reason == "Because of X."
    assert item.responded_by == officer
    assert before <= item.responded_at <= timezone.now()
    assert item.history.latest().history_user == officer
    assert item.history.count() == 2


@pytest.mark.parametrize("disposition", NOT_PENDING)
@pytest.mark.parametrize("reason", ["", "  \n"])
def test_every_disposition_but_pending_needs_a_reason(plan, officer, disposition, reason):
    item = record(officer, plan)
    other = record(officer, plan, text="Another input.")
    extra = {"merged_into": other} if disposition == Input.Disposition.MERGED else {}
    with pytest.raises(ValidationError) as refused:
        respond(officer, item, disposition=disposition, reason=reason, **extra)
    assert list(field_errors(refused)) == ["reason"]
    item.refresh_from_db()
    assert item.disposition == Input.Disposition.PENDING and item.responded_at is None


@pytest.mark.parametrize("disposition", NOT_PENDING)
def test_the_database_refuses_a_response_without_a_reason(plan, disposition):
    item = quick_input(plan, merged_into=quick_input(plan))
    with pytest.raises(IntegrityError), transaction.atomic():
        Input.objects.filter(pk=item.pk).update(disposition=disposition, reason="")


def test_an_unknown_disposition_is_refused(plan, officer):
    with pytest.raises(ValidationError) as refused:
        respond(officer, record(officer, plan), disposition="maybe")
    assert "disposition" in field_errors(refused)


def test_back_to_pending_withdraws_the_response(plan, officer):
    """An officer may take a response back: the input is pending again, unsigned."""
    item = record(officer, plan)
    respond(officer, item)
    respond(officer, item, disposition="pending", reason="")
    item.refresh_from_db()
    assert item.disposition == Input.Disposition.PENDING
    assert item.responded_at is None and item.responded_by is None


def test_responding_is_for_those_who_respond_on_the_plan(plan, officer):
    item = record(officer, plan)
    moderator = UserFactory()
    moderator.groups.add(*Group.objects.filter(name__in=["Moderators", "OGP admins"]))
    for person in (UserFactory(), MemberRoleFactory(role="officer").user, moderator):
        with pytest.raises(PermissionDenied):
            respond(person, item)
    item.refresh_from_db()
    assert item.disposition == Input.Disposition.PENDING


def test_an_input_on_a_commitment_belongs_to_the_plan_register(plan, officer):
    """A comment on a commitment is an input of its plan's register, answered there."""
    commitment = plan.commitments.get()
    item = comment_input(plan, target=commitment)
    assert item.space == plan
    respond(officer, item, taken_into=commitment)
    item.refresh_from_db()
    assert item.taken_into == commitment


# --- Merging ----------------------------------------------------------------------------------


def test_merged_names_the_input_it_is_merged_into(plan, officer):
    item, other = record(officer, plan), record(officer, plan, text="Same point.")
    with pytest.raises(ValidationError) as refused:
        respond(officer, item, disposition="merged", reason="Same as the other.")
    assert list(field_errors(refused)) == ["merged_into"]
    respond(officer, item, disposition="merged", reason="Same as the other.", merged_into=other)
    item.refresh_from_db()
    assert item.merged_into == other


def test_an_input_cannot_be_merged_into_itself(plan, officer):
    item = record(officer, plan)
    with pytest.raises(ValidationError) as refused:
        respond(officer, item, disposition="merged", reason="Same.", merged_into=item)
    assert field_errors(refused) == {"merged_into": ["An input cannot be merged into itself."]}


def test_an_input_is_merged_only_into_one_of_the_same_register(plan, officer):
    elsewhere = ready_plan()
    foreign = record(officer_of(elsewhere), elsewhere)
    item = record(officer, plan)
    with pytest.raises(ValidationError) as refused:
        respond(officer, item, disposition="merged", reason="Same.", merged_into=foreign)
    assert list(field_errors(refused)) == ["merged_into"]


def test_merging_cannot_go_round_in_a_circle(plan, officer):
    """a → b → c is fine; then c → a (or c → b) would close a circle and is refused."""
    a, b, c = (record(officer, plan, text=f"Point {n}.") for n in "abc")
    respond(officer, a, disposition="merged", reason="Same as b.", merged_into=b)
    respond(officer, b, disposition="merged", reason="Same as c.", merged_into=c)
    for target in (a, b):
        with pytest.raises(ValidationError) as refused:
            respond(officer, c, disposition="merged", reason="Same.", merged_into=target)
        assert list(field_errors(refused)) == ["merged_into"]
        assert "circle" in field_errors(refused)["merged_into"][0]
    c.refresh_from_db()
    assert c.disposition == Input.Disposition.PENDING


def test_only_a_merged_input_names_another(plan, officer):
    item, other = record(officer, plan), record(officer, plan, text="Other.")
    with pytest.raises(ValidationError) as refused:
        respond(officer, item, disposition="accepted", merged_into=other)
    assert list(field_errors(refused)) == ["merged_into"]


def test_the_database_requires_a_merged_input_to_name_another(plan):
    item = quick_input(plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Input.objects.filter(pk=item.pk).update(disposition="merged", reason="Same.")


# --- Taken into -------------------------------------------------------------------------------


@pytest.mark.parametrize("disposition", ["accepted", "partial"])
def test_an_accepted_input_may_name_the_commitment_it_was_taken_into(plan, officer, disposition):
    commitment = plan.commitments.get()
    item = record(officer, plan)
    respond(officer, item, disposition=disposition, taken_into=commitment)
    item.refresh_from_db()
    assert item.taken_into == commitment


def test_taken_into_is_optional(plan, officer):
    item = respond(officer, record(officer, plan))
    assert item.taken_into is None


@pytest.mark.parametrize("disposition", ["not_accepted", "out_of_scope", "merged"])
def test_only_an_accepted_input_is_taken_into_a_commitment(plan, officer, disposition):
    item, other = record(officer, plan), record(officer, plan, text="Other.")
    extra = {"merged_into": other} if disposition == "merged" else {}
    with pytest.raises(ValidationError) as refused:
        respond(officer, item, disposition=disposition, taken_into=plan.commitments.get(), **extra)
    assert list(field_errors(refused)) == ["taken_into"]


def test_taken_into_is_a_commitment_of_the_same_plan(plan, officer):
    """A commitment of another plan, a milestone, the plan itself, or anything not
    participable are not among the commitments the plan offers."""
    item = record(officer, plan)
    milestone = plan.commitments.get().milestones.get()
    for wrong in (CommitmentFactory(), milestone, plan, UserFactory()):
        with pytest.raises(ValidationError) as refused:
            respond(officer, item, taken_into=wrong)
        assert list(field_errors(refused)) == ["taken_into"], wrong
    item.refresh_from_db()
    assert item.disposition == Input.Disposition.PENDING


def test_the_plan_offers_its_commitments_through_its_adapter(plan):
    second = CommitmentFactory(plan=plan)
    CommitmentFactory()  # another plan's
    assert list(adapter_for(plan).children(plan)) == [plan.commitments.first(), second]


# --- The email to the author ----------------------------------------------------------------


def test_the_author_of_a_comment_is_emailed_once_when_it_is_answered(
    plan, officer, django_capture_on_commit_callbacks
):
    author = UserFactory(display_name="Ilze")
    item = comment_input(plan, author=author, body="Publish every contract within a week.")
    with django_capture_on_commit_callbacks(execute=True):
        respond(
            officer,
            item,
            disposition="partial",
            reason="Within a month, not a week.",
            taken_into=plan.commitments.get(),
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [author.email]
    assert "received a response" in message.subject
    assert "Partially accepted" in message.body
    assert "Within a month, not a week." in message.body
    assert "Publish every contract within a week." in message.body
    assert plan.commitments.get().title in message.body
    assert f"#input-{item.pk}" in message.body
    # The same response again is no change: no second email.
    with django_capture_on_commit_callbacks(execute=True):
        respond(
            officer,
            item,
            disposition="partial",
            reason="Within a month, not a week.",
            taken_into=plan.commitments.get(),
        )
    assert len(mail.outbox) == 1


def test_each_change_of_the_response_is_emailed_once(
    plan, officer, django_capture_on_commit_callbacks
):
    item = comment_input(plan)
    with django_capture_on_commit_callbacks(execute=True):
        respond(officer, item, disposition="not_accepted", reason="Out of budget.")
    with django_capture_on_commit_callbacks(execute=True):
        respond(officer, item, disposition="accepted", reason="Budget was found.")
    assert [("Budget was found." in m.body) for m in mail.outbox] == [False, True]


def test_no_email_before_commit_nor_when_the_transaction_rolls_back(
    plan, officer, django_capture_on_commit_callbacks
):
    item = comment_input(plan)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                respond(officer, item)
                assert mail.outbox == []
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []


def test_the_email_is_in_the_authors_language(plan, officer, django_capture_on_commit_callbacks):
    """Italian author, Italian dates (Django's own catalogue); English author, English ones."""
    italian = UserFactory(preferred_language="it")
    english = UserFactory(preferred_language="en")
    first, second = comment_input(plan, author=italian), comment_input(plan, author=english)
    moment = timezone.make_aware(datetime.datetime(2026, 3, 4, 12))
    Comment.objects.filter(pk__in=[first.comment_id, second.comment_id]).update(created_at=moment)
    with django_capture_on_commit_callbacks(execute=True):
        respond(officer, first)
        respond(officer, second)
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert "marzo" in by_recipient[italian.email].lower()
    assert "March" not in by_recipient[italian.email]
    assert "March" in by_recipient[english.email]


def test_no_email_for_inputs_received_outside_the_platform_or_when_set_back_to_pending(
    plan, officer, django_capture_on_commit_callbacks
):
    offline = record(officer, plan)
    item = comment_input(plan)
    with django_capture_on_commit_callbacks(execute=True):
        respond(officer, offline)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        respond(officer, item)
    assert len(mail.outbox) == 1
    # Withdrawing the response sends nothing more. (A response withdrawn before its email went
    # out is not sent at all: see test_notifications.py.)
    with django_capture_on_commit_callbacks(execute=True):
        respond(officer, item, disposition="pending", reason="")
    assert len(mail.outbox) == 1


# --- The submission block -------------------------------------------------------------------


def test_a_plan_with_a_pending_input_cannot_be_submitted(plan, officer):
    """The refusal says how many inputs are pending; the checklist item links to them."""
    first, second = comment_input(plan), record(officer, plan)
    with pytest.raises(ValidationError) as refused:
        action_plan_submit(actor=officer, plan=plan)
    assert "2 inputs are still waiting for a reasoned response." in refused.value.messages
    plan.refresh_from_db()
    assert plan.status == "cocreation"
    checklist = plan_selectors.plan_submission_checklist(plan=plan)
    [missing] = checklist.missing
    assert missing.url.endswith(f"/register/plan/{plan.pk}/?disposition=pending")

    respond(officer, first)
    with pytest.raises(ValidationError) as refused:
        action_plan_submit(actor=officer, plan=plan)
    assert "1 input is still waiting for a reasoned response." in refused.value.messages

    respond(officer, second, disposition="out_of_scope", reason="A matter for parliament.")
    action_plan_submit(actor=officer, plan=plan)
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_the_checklist_says_when_every_input_is_answered(plan, officer):
    respond(officer, record(officer, plan))
    checklist = plan_selectors.plan_submission_checklist(plan=plan)
    assert checklist.ready
    assert checklist.items[-1].text == "Every input has a reasoned response."


def test_inputs_of_another_plan_do_not_block(plan, officer):
    other = ready_plan()
    record(officer_of(other), other)
    assert plan_selectors.plan_submission_checklist(plan=plan).ready


# --- The report's figures -------------------------------------------------------------------


def test_the_figures_of_a_known_register(plan, officer):
    """Ten inputs: 3 accepted, 1 partial, 2 not accepted, 1 merged, 1 out of scope, 2 pending.
    Answered: 8 of 10 = 80 %. Days to response of the eight: 0, 1, 2, 3, 4, 5, 10, 30, so the
    median is (3 + 4) / 2 = 3.5."""
    today = timezone.localdate()
    target = quick_input(plan, received_on=today)
    answered = [
        ("accepted", 0),
        ("accepted", 1),
        ("accepted", 2),
        ("partial", 3),
        ("not_accepted", 4),
        ("not_accepted", 5),
        ("merged", 10),
        ("out_of_scope", 30),
    ]
    now = timezone.now()
    for disposition, days in answered:
        extra = {"merged_into": target} if disposition == "merged" else {}
        quick_input(
            plan,
            received_on=timezone.localdate(now) - datetime.timedelta(days=days),
            disposition=disposition,
            reason="Considered.",
            responded_by=officer,
            responded_at=now,
            **extra,
        )
    quick_comment_input(plan)
    quick_input(ready_plan(), disposition="accepted", reason="Elsewhere.", responded_at=now)

    totals = selectors.register_totals(plan)
    assert totals.total == 10
    assert {row["value"]: row["count"] for row in totals.by_disposition} == {
        "pending": 2,
        "accepted": 3,
        "partial": 1,
        "not_accepted": 2,
        "merged": 1,
        "out_of_scope": 1,
    }
    assert (totals.answered, totals.pending, totals.share_answered) == (8, 2, 80)
    assert totals.count(source="comment") == 1
    assert totals.count(disposition="pending", source="written") == 1
    assert selectors.register_median_days(plan) == 3.5


def test_the_figures_of_an_empty_register(plan):
    totals = selectors.register_totals(plan)
    assert (totals.total, totals.share_answered) == (0, None)
    assert selectors.register_median_days(plan) is None


def test_the_share_is_rounded_down_so_that_100_means_every_input(plan, officer):
    for _ in range(199):
        quick_input(plan, disposition="accepted", reason="Yes.", responded_at=timezone.now())
    quick_input(plan)
    assert selectors.register_totals(plan).share_answered == 99


def test_the_time_to_response_counts_from_the_day_received(plan, officer):
    """Received on 1 March, answered on 11 March: 10 days; one answered the same day: 0."""
    item = record(officer, plan, received_on=datetime.date(2026, 3, 1))
    same_day = record(officer, plan, received_on=datetime.date(2026, 3, 11))
    answered_at = timezone.make_aware(datetime.datetime(2026, 3, 11, 15))
    with mock.patch("django.utils.timezone.now", return_value=answered_at):
        respond(officer, item)
    assert selectors.register_median_days(plan) == 10
    with mock.patch("django.utils.timezone.now", return_value=answered_at):
        respond(officer, same_day)
    assert selectors.register_median_days(plan) == 5
