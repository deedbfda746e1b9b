"""Consultations: the rules of scheduling one, opening and closing by hand, and the tick that
opens and closes them on time (idempotent, safe when two workers run it at once)."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from participation.models import Consultation
from participation.selectors import current_consultation
from participation.services.consultations import (
    consultation_close,
    consultation_create,
    consultation_open,
    consultation_update,
    consultations_tick,
)
from tests.factories import UserFactory
from tests.members.factories import MemberRoleFactory
from tests.participation.factories import ConsultationFactory
from tests.plans.factories import ActionPlanFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def plan():
    return ActionPlanFactory(status="cocreation", published=True)


@pytest.fixture
def officer(plan):
    return MemberRoleFactory(member=plan.member, role="officer").user


def schedule(plan, **fields) -> Consultation:
    """A consultation written directly (no rules checked), for setting up a state: scheduled
    unless `opened_at` (and `closed_at`) say otherwise."""
    values = {
        "rules": "Everyone with a verified account may comment.",
        "questions": "What should the plan change?",
    }
    return ConsultationFactory(space=plan, state="scheduled", **{**values, **fields})


def create(actor, plan, **fields):
    now = timezone.now()
    values = {
        "title": "Consultation on the fifth action plan",
        "rules": "Be kind.\nEvery input gets a reasoned response.",
        "questions": "What is missing?\n\n  Which commitment matters most?  \n",
        "opens_at": now + DAY,
        "closes_at": now + 15 * DAY,
    }
    values.update(fields)
    return consultation_create(actor=actor, space=plan, **values)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Scheduling ------------------------------------------------------------------------------


def test_an_officer_schedules_a_consultation_on_a_plan_in_cocreation(plan, officer):
    consultation = create(officer, plan)
    assert consultation.state == Consultation.State.SCHEDULED
    assert consultation.space == plan
    assert consultation.member == plan.member
    assert consultation.created_by == officer
    assert consultation.question_list == ["What is missing?", "Which commitment matters most?"]
    assert consultation.questions == "What is missing?\nWhich commitment matters most?"
    assert consultation.history.get().history_user == officer


def test_questions_may_be_given_as_a_list(plan, officer):
    consultation = create(officer, plan, questions=["One?", " ", "Two?"])
    assert consultation.question_list == ["One?", "Two?"]


@pytest.mark.parametrize("status", ["draft", "submitted", "implementation", "ended", "withdrawn"])
def test_only_a_plan_in_cocreation_accepts_a_consultation(officer, plan, status):
    plan.status = status
    plan.save()
    with pytest.raises(PermissionDenied):
        create(officer, plan)
    assert not Consultation.objects.exists()


def test_people_who_do_not_respond_for_the_member_cannot_schedule_one(plan):
    other_officer = MemberRoleFactory(role="officer").user
    forum = MemberRoleFactory(member=plan.member, role="forum").user
    for person in (UserFactory(), other_officer, forum):
        with pytest.raises(PermissionDenied):
            create(person, plan)
    assert not Consultation.objects.exists()


def test_it_closes_after_it_opens(plan, officer):
    opens = timezone.now() + DAY
    for closes in (opens, opens - HOUR):
        with pytest.raises(ValidationError) as excinfo:
            create(officer, plan, opens_at=opens, closes_at=closes)
        assert list(errors_of(excinfo)) == ["closes_at"]


def test_it_asks_at_least_one_question(plan, officer):
    for questions in ("", "  \n \n", []):
        with pytest.raises(ValidationError) as excinfo:
            create(officer, plan, questions=questions)
        assert list(errors_of(excinfo)) == ["questions"]


def test_it_has_a_title_and_rules(plan, officer):
    with pytest.raises(ValidationError) as excinfo:
        create(officer, plan, title="  ", rules="\n")
    assert set(errors_of(excinfo)) == {"title", "rules"}


def test_it_opens_now_or_later_but_not_in_the_past(plan, officer):
    now = timezone.now()
    with pytest.raises(ValidationError) as excinfo:
        create(officer, plan, opens_at=now - datetime.timedelta(minutes=10))
    assert list(errors_of(excinfo)) == ["opens_at"]
    # "Now", as typed into a form a minute ago, is accepted.
    consultation = create(officer, plan, opens_at=now - datetime.timedelta(minutes=1))
    assert consultation.state == Consultation.State.SCHEDULED


def test_every_field_error_is_reported_at_once(plan, officer):
    now = timezone.now()
    with pytest.raises(ValidationError) as excinfo:
        create(officer, plan, questions="", opens_at=now - DAY, closes_at=now - 2 * DAY)
    assert set(errors_of(excinfo)) == {"questions", "opens_at", "closes_at"}


@pytest.mark.parametrize("other_state", ["scheduled", "open"])
def test_it_does_not_overlap_a_scheduled_or_open_consultation_of_the_same_plan(
    plan, officer, other_state
):
    now = timezone.now()
    other = schedule(plan, opens_at=now + 2 * DAY, closes_at=now + 5 * DAY)
    if other_state == "open":
        other.opens_at = now - DAY
        other.opened_at = now - DAY
        other.save()
    with pytest.raises(ValidationError) as excinfo:
        create(officer, plan, opens_at=now + 4 * DAY, closes_at=now + 8 * DAY)
    assert list(errors_of(excinfo)) == ["opens_at"]
    assert other.title in errors_of(excinfo)["opens_at"][0]
    # One that starts when the other ends does not overlap it.
    create(officer, plan, opens_at=now + 5 * DAY, closes_at=now + 8 * DAY)


def test_closed_consultations_and_other_plans_do_not_count_as_overlapping(plan, officer):
    now = timezone.now()
    schedule(plan, opens_at=now - DAY, closes_at=now + 5 * DAY, opened_at=now - DAY, closed_at=now)
    other_plan = ActionPlanFactory(member=plan.member, status="cocreation", published=True)
    schedule(other_plan, opens_at=now, closes_at=now + 5 * DAY)
    consultation = create(officer, plan, opens_at=now + HOUR, closes_at=now + 3 * DAY)
    assert consultation.pk


# --- Changing --------------------------------------------------------------------------------


def test_a_scheduled_consultation_changes_entirely(plan, officer):
    consultation = create(officer, plan)
    later = timezone.now() + 3 * DAY
    consultation_update(
        actor=officer,
        consultation=consultation,
        title="New title",
        questions="A?\nB?",
        opens_at=later,
        closes_at=later + DAY,
    )
    consultation.refresh_from_db()
    assert (consultation.title, consultation.question_list) == ("New title", ["A?", "B?"])
    assert (consultation.opens_at, consultation.closes_at) == (later, later + DAY)
    assert consultation.history.count() == 2


def test_a_change_follows_the_same_rules(plan, officer):
    consultation = create(officer, plan)
    with pytest.raises(ValidationError) as excinfo:
        consultation_update(
            actor=officer, consultation=consultation, closes_at=consultation.opens_at - HOUR
        )
    assert list(errors_of(excinfo)) == ["closes_at"]
    with pytest.raises(ValidationError) as excinfo:
        consultation_update(actor=officer, consultation=consultation, opens_at=timezone.now() - DAY)
    assert list(errors_of(excinfo)) == ["opens_at"]
    with pytest.raises(ValidationError) as excinfo:
        consultation_update(actor=officer, consultation=consultation, questions="\n")
    assert list(errors_of(excinfo)) == ["questions"]


def test_a_consultation_does_not_overlap_itself_and_keeps_an_opening_already_due(plan, officer):
    """Changing the title of one whose opening came while no worker ran is not refused because
    its (unchanged) opening time is now in the past."""
    consultation = schedule(plan, opens_at=timezone.now() - DAY)
    consultation_update(actor=officer, consultation=consultation, title="Renamed")
    consultation.refresh_from_db()
    assert consultation.title == "Renamed"


def test_of_an_open_consultation_only_the_closing_time_changes_and_not_into_the_past(plan, officer):
    now = timezone.now()
    consultation = schedule(plan, opens_at=now - DAY, opened_at=now - DAY)
    with pytest.raises(ValidationError):
        consultation_update(actor=officer, consultation=consultation, title="Renamed")
    with pytest.raises(ValidationError) as excinfo:
        consultation_update(actor=officer, consultation=consultation, closes_at=now - HOUR)
    assert list(errors_of(excinfo)) == ["closes_at"]
    consultation_update(actor=officer, consultation=consultation, closes_at=now + 30 * DAY)
    consultation.refresh_from_db()
    assert consultation.closes_at == now + 30 * DAY
    assert consultation.title == "Consultation on the draft plan"


def test_an_open_consultation_is_not_extended_into_the_next_one(plan, officer):
    now = timezone.now()
    consultation = schedule(plan, opens_at=now - DAY, opened_at=now - DAY, closes_at=now + DAY)
    schedule(plan, opens_at=now + 2 * DAY, closes_at=now + 4 * DAY, title="Second round")
    with pytest.raises(ValidationError) as excinfo:
        consultation_update(actor=officer, consultation=consultation, closes_at=now + 3 * DAY)
    assert "Second round" in errors_of(excinfo)["closes_at"][0]


def test_a_closed_consultation_does_not_change(plan, officer):
    now = timezone.now()
    consultation = schedule(
        plan, opens_at=now - 2 * DAY, opened_at=now - 2 * DAY, closes_at=now - DAY, closed_at=now
    )
    with pytest.raises(ValidationError):
        consultation_update(actor=officer, consultation=consultation, closes_at=now + DAY)


def test_only_officers_change_a_consultation(plan, officer):
    consultation = create(officer, plan)
    with pytest.raises(PermissionDenied):
        consultation_update(actor=UserFactory(), consultation=consultation, title="Mine")


# --- By hand ---------------------------------------------------------------------------------


def test_opening_by_hand_opens_it_now(plan, officer):
    consultation = create(officer, plan)
    before = timezone.now()
    consultation_open(actor=officer, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.OPEN
    assert before <= consultation.opened_at <= timezone.now()
    assert consultation.opens_at == consultation.opened_at
    assert consultation.history.latest().history_user == officer


def test_opening_by_hand_keeps_an_opening_time_already_passed(plan, officer):
    due = timezone.now() - HOUR
    consultation = schedule(plan, opens_at=due)
    consultation_open(actor=officer, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.opens_at == due
    assert consultation.opened_at > due


def test_opening_by_hand_is_for_scheduled_consultations_on_a_plan_in_cocreation(plan, officer):
    now = timezone.now()
    opened = schedule(plan, opens_at=now - DAY, opened_at=now - DAY)
    with pytest.raises(ValidationError):
        consultation_open(actor=officer, consultation=opened)
    other = ActionPlanFactory(member=plan.member, status="submitted", published=True)
    scheduled = schedule(other)
    with pytest.raises(PermissionDenied):
        consultation_open(actor=officer, consultation=scheduled)
    later = schedule(plan, opens_at=now + 20 * DAY, closes_at=now + 30 * DAY)
    with pytest.raises(PermissionDenied):
        consultation_open(actor=UserFactory(), consultation=later)


def test_opening_by_hand_does_not_overlap_the_open_one(plan, officer):
    now = timezone.now()
    schedule(plan, opens_at=now - DAY, opened_at=now - DAY, closes_at=now + 2 * DAY)
    later = schedule(plan, opens_at=now + 3 * DAY, closes_at=now + 5 * DAY)
    with pytest.raises(ValidationError):
        consultation_open(actor=officer, consultation=later)
    later.refresh_from_db()
    assert later.opened_at is None


def test_opening_by_hand_is_refused_once_the_closing_time_has_passed(plan, officer):
    now = timezone.now()
    consultation = schedule(plan, opens_at=now - 2 * DAY, closes_at=now - DAY)
    with pytest.raises(ValidationError):
        consultation_open(actor=officer, consultation=consultation)


def test_closing_by_hand_closes_it_now(plan, officer):
    now = timezone.now()
    consultation = schedule(plan, opens_at=now - DAY, opened_at=now - DAY)
    consultation_close(actor=officer, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.CLOSED
    assert consultation.closes_at == consultation.closed_at
    assert now <= consultation.closed_at <= timezone.now()


def test_closing_by_hand_is_for_open_consultations_and_officers(plan, officer):
    now = timezone.now()
    with pytest.raises(ValidationError):
        consultation_close(actor=officer, consultation=schedule(plan))
    opened = schedule(plan, opens_at=now - DAY, opened_at=now - DAY)
    for person in (UserFactory(), MemberRoleFactory(role="officer").user):
        with pytest.raises(PermissionDenied):
            consultation_close(actor=person, consultation=opened)
    opened.refresh_from_db()
    assert opened.is_open


def test_an_officer_closes_an_open_consultation_after_the_plan_left_cocreation(plan, officer):
    now = timezone.now()
    consultation = schedule(plan, opens_at=now - DAY, opened_at=now - DAY)
    plan.status = "submitted"
    plan.save()
    consultation_close(actor=officer, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.CLOSED


# --- The tick --------------------------------------------------------------------------------


def test_the_tick_opens_due_consultations_and_closes_due_ones(plan):
    now = timezone.now()
    other = ActionPlanFactory(status="cocreation", published=True)
    third = ActionPlanFactory(status="cocreation", published=True)
    due_to_open = schedule(plan, opens_at=now - HOUR, closes_at=now + DAY)
    not_yet = schedule(other, opens_at=now + HOUR, closes_at=now + DAY)
    due_to_close = schedule(third, opens_at=now - DAY, opened_at=now - DAY, closes_at=now)
    still_open = schedule(
        third, opens_at=now + HOUR - DAY, opened_at=now - DAY, closes_at=now + 2 * DAY
    )

    assert consultations_tick(now=now) == (1, 1)

    for consultation in (due_to_open, not_yet, due_to_close, still_open):
        consultation.refresh_from_db()
    assert due_to_open.state == Consultation.State.OPEN and due_to_open.opened_at == now
    assert not_yet.state == Consultation.State.SCHEDULED and not_yet.opened_at is None
    assert due_to_close.state == Consultation.State.CLOSED and due_to_close.closed_at == now
    assert still_open.state == Consultation.State.OPEN and still_open.closed_at is None
    reasons = set(Consultation.history.values_list("history_change_reason", flat=True))
    assert {"Opened on schedule", "Closed on schedule"} <= reasons


def test_the_tick_is_idempotent(plan):
    now = timezone.now()
    consultation = schedule(plan, opens_at=now - HOUR, closes_at=now + DAY)
    assert consultations_tick(now=now) == (1, 0)
    assert consultations_tick(now=now + datetime.timedelta(minutes=1)) == (0, 0)
    consultation.refresh_from_db()
    assert consultation.opened_at == now
    assert consultation.history.filter(history_change_reason="Opened on schedule").count() == 1


def test_a_consultation_due_to_open_and_to_close_is_opened_and_closed_in_one_tick(plan):
    now = timezone.now()
    consultation = schedule(plan, opens_at=now - 2 * DAY, closes_at=now - DAY)
    assert consultations_tick(now=now) == (1, 1)
    consultation.refresh_from_db()
    assert consultation.opened_at == now and consultation.closed_at == now
    assert consultation.state == Consultation.State.CLOSED
    assert consultations_tick(now=now) == (0, 0)


def test_the_tick_does_not_open_a_consultation_on_a_plan_that_left_cocreation(plan):
    now = timezone.now()
    consultation = schedule(plan, opens_at=now - HOUR, closes_at=now + DAY)
    plan.status = "submitted"
    plan.save()
    assert consultations_tick(now=now) == (0, 1)
    consultation.refresh_from_db()
    assert consultation.opened_at is None and consultation.closed_at == now
    assert consultation.state == Consultation.State.CLOSED
    assert current_consultation(plan) == consultation


def test_the_tick_uses_the_current_time_by_default(plan):
    consultation = schedule(plan, opens_at=timezone.now() - HOUR)
    assert consultations_tick() == (1, 0)
    consultation.refresh_from_db()
    assert consultation.is_open


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_ticking_at_once_open_each_consultation_once():
    """Two ticks racing on PostgreSQL: each due consultation is opened by exactly one."""
    now = timezone.now()
    plans = [ActionPlanFactory(status="cocreation", published=True) for _ in range(20)]
    for plan in plans:
        schedule(plan, opens_at=now - HOUR, closes_at=now + DAY)
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(consultations_tick(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(opened for opened, _ in results) == 20
    assert Consultation.objects.filter(opened_at=now).count() == 20
    assert Consultation.history.filter(history_change_reason="Opened on schedule").count() == 20
