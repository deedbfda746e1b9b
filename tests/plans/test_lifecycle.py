"""The action plan lifecycle, service by service: who may take each step (a permission matrix,
anonymous visitor included), from which states, and what the timeline records.

Refusals for lack of a role and refusals for the wrong state are both PermissionDenied (the
policies decide both); a refused step changes neither the plan nor its timeline.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from action_plans import services
from action_plans.models import ActionPlan
from ogp_platform.members.models import MemberRole
from tests.members.factories import (
    MemberRoleFactory,
)
from tests.people import (
    ANONYMOUS,
    CSO_MEMBER,
    FORUM,
    OFFICER,
    OGP_ADMIN,
    OTHER_OFFICER,
    POINT_OF_CONTACT,
    USER,
)
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

Status = ActionPlan.Status

# --- Actors (tests/people.py) -------------------------------------------------------------

ACTORS = [ANONYMOUS, USER, CSO_MEMBER, FORUM, OTHER_OFFICER, POINT_OF_CONTACT, OFFICER, OGP_ADMIN]
DRAFTERS = {POINT_OF_CONTACT, OFFICER}


def almighty(people):
    """An OGP admin who is also an officer of the member: refused only for the plan's state."""
    user = people[OGP_ADMIN]
    MemberRoleFactory(member=people.member, user=user, role=MemberRole.Role.OFFICER)
    return user


def plan_in(status, **fields) -> ActionPlan:
    """A plan in `status`, with one commitment complete in OGP's template and a milestone, so
    that only the policy can refuse to submit it (its deadline is far ahead)."""
    published = status != Status.DRAFT
    plan = ActionPlanFactory(
        status=status,
        published_at=timezone.now() if published else None,
        submission_deadline=datetime.date(2099, 8, 31),
        **fields,
    )
    MilestoneFactory(commitment=CommitmentFactory(plan=plan))
    return plan


# --- The transitions ------------------------------------------------------------------------

REASON = "The forum asked for two more commitments on procurement."


def _submit(actor, plan):
    return services.action_plan_submit(actor=actor, plan=plan, today=datetime.date(2026, 6, 1))


# name: (service call, the state it is tried from, the state it leads to, who may take it,
#        the states it may be taken from, the reason it records)
TRANSITIONS = {
    "open_cocreation": (
        lambda actor, plan: services.action_plan_open_cocreation(actor=actor, plan=plan),
        Status.DRAFT,
        Status.COCREATION,
        DRAFTERS,
        {Status.DRAFT},
        "",
    ),
    "submit": (
        _submit,
        Status.COCREATION,
        Status.SUBMITTED,
        DRAFTERS,
        {Status.COCREATION},
        "",
    ),
    "start_implementation": (
        lambda actor, plan: services.action_plan_start_implementation(actor=actor, plan=plan),
        Status.SUBMITTED,
        Status.IMPLEMENTATION,
        DRAFTERS | {OGP_ADMIN},
        {Status.SUBMITTED},
        "",
    ),
    "end": (
        lambda actor, plan: services.action_plan_end(actor=actor, plan=plan),
        Status.IMPLEMENTATION,
        Status.ENDED,
        DRAFTERS | {OGP_ADMIN},
        {Status.IMPLEMENTATION},
        "",
    ),
    "withdraw": (
        lambda actor, plan: services.action_plan_withdraw(actor=actor, plan=plan, reason=REASON),
        Status.COCREATION,
        Status.WITHDRAWN,
        DRAFTERS | {OGP_ADMIN},
        {Status.DRAFT, Status.COCREATION, Status.SUBMITTED, Status.IMPLEMENTATION},
        REASON,
    ),
    "reopen": (
        lambda actor, plan: services.action_plan_reopen(actor=actor, plan=plan, reason=REASON),
        Status.SUBMITTED,
        Status.COCREATION,
        {OGP_ADMIN},
        {Status.SUBMITTED, Status.IMPLEMENTATION},
        REASON,
    ),
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_by_role(people, name, actor):
    """Each lifecycle step is taken by exactly the roles allowed to take it; it records who took
    it, from which state to which, and why. Everyone else is refused and nothing changes."""
    call, from_status, to_status, allowed, _states, reason = TRANSITIONS[name]
    plan = plan_in(from_status, member=people.member)
    user = people[actor]
    before = list(plan.transitions.values_list("pk", flat=True))

    if actor in allowed:
        result = call(user, plan)
        plan.refresh_from_db()
        assert result.status == plan.status == to_status
        step = plan.transitions.exclude(pk__in=before).get()
        assert (step.actor, step.from_status, step.to_status, step.reason) == (
            user,
            from_status,
            to_status,
            reason,
        )
    else:
        with pytest.raises(PermissionDenied):
            call(user, plan)
        plan.refresh_from_db()
        assert plan.status == from_status
        assert list(plan.transitions.values_list("pk", flat=True)) == before


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_by_state(people, name, status):
    """Each step is taken only from the states it leaves (reopening a draft, submitting a draft,
    ending a submitted plan, withdrawing an ended plan are refused), even for someone who holds
    every role."""
    call, _from, to_status, _allowed, states, _reason = TRANSITIONS[name]
    plan = plan_in(status, member=people.member)
    user = almighty(people)
    if status in states:
        assert call(user, plan).status == to_status
        plan.refresh_from_db()
        assert plan.status == to_status
        assert plan.transitions.last().from_status == status
    else:
        with pytest.raises(PermissionDenied):
            call(user, plan)
        plan.refresh_from_db()
        assert plan.status == status
        assert plan.transitions.count() == 1  # the factory's "created as draft" row


def test_a_plan_goes_through_its_whole_cycle_and_the_timeline_records_each_step(people):
    """Draft → co-creation → submitted → (reopened) co-creation → submitted → implementation →
    ended: one timeline row per step, in order, with its actor and reason."""
    member = people.member
    officer = people[OFFICER]
    admin = people[OGP_ADMIN]
    plan = services.action_plan_create(
        actor=officer,
        member=member,
        title="Sixth national action plan",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2028, 8, 31),
    )
    MilestoneFactory(commitment=CommitmentFactory(plan=plan))
    services.action_plan_open_cocreation(actor=officer, plan=plan)
    _submit(officer, plan)
    services.action_plan_reopen(actor=admin, plan=plan, reason=REASON)
    _submit(officer, plan)
    services.action_plan_start_implementation(actor=admin, plan=plan)
    services.action_plan_end(actor=officer, plan=plan)

    steps = list(plan.transitions.values_list("actor", "from_status", "to_status", "reason"))
    assert steps == [
        (officer.pk, "", Status.DRAFT, ""),
        (officer.pk, Status.DRAFT, Status.COCREATION, ""),
        (officer.pk, Status.COCREATION, Status.SUBMITTED, ""),
        (admin.pk, Status.SUBMITTED, Status.COCREATION, REASON),
        (officer.pk, Status.COCREATION, Status.SUBMITTED, ""),
        (admin.pk, Status.SUBMITTED, Status.IMPLEMENTATION, ""),
        (officer.pk, Status.IMPLEMENTATION, Status.ENDED, ""),
    ]
    plan.refresh_from_db()
    assert plan.status == Status.ENDED
    assert plan.published_at is not None
    # The history attributes each saved version to its actor.
    assert {version.history_user for version in plan.history.all()} == {officer, admin}


# --- Creating, changing, and the deadline -------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_create_by_role(people, actor):
    """Only the member's points of contact and officers start a plan for it; the new plan is a
    draft whose timeline starts with its creator."""
    member = people.member
    user = people[actor]

    def create():
        return services.action_plan_create(
            actor=user,
            member=member,
            title="Sixth national action plan",
            start_date=datetime.date(2026, 9, 1),
            end_date=datetime.date(2028, 8, 31),
        )

    if actor in DRAFTERS:
        plan = create()
        assert plan.status == Status.DRAFT
        assert plan.created_by == user
        assert plan.submission_deadline == datetime.date(2026, 8, 31)
        step = plan.transitions.get()
        assert (step.actor, step.from_status, step.to_status) == (user, "", Status.DRAFT)
    else:
        with pytest.raises(PermissionDenied):
            create()
        assert not ActionPlan.objects.filter(member=member).exists()


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("status", [Status.DRAFT, Status.COCREATION])
def test_update_by_role(people, status, actor):
    """While a plan is being written, its points of contact and officers change it; nobody
    else does, not even an OGP admin."""
    plan = plan_in(status, member=people.member, title="Old title")
    user = people[actor]
    if actor in DRAFTERS:
        services.action_plan_update(actor=user, plan=plan, title="New title")
        plan.refresh_from_db()
        assert plan.title == "New title"
        assert plan.history.first().history_user == user
    else:
        with pytest.raises(PermissionDenied):
            services.action_plan_update(actor=user, plan=plan, title="New title")
        plan.refresh_from_db()
        assert plan.title == "Old title"


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.IMPLEMENTATION, Status.ENDED, Status.WITHDRAWN]
)
def test_update_by_state(people, status):
    """Once submitted (or later), a plan is not changed, even by someone holding every role."""
    plan = plan_in(status, member=people.member, title="Old title")
    with pytest.raises(PermissionDenied):
        services.action_plan_update(actor=almighty(people), plan=plan, title="New title")
    plan.refresh_from_db()
    assert plan.title == "Old title"


@pytest.mark.parametrize("actor", ACTORS)
def test_set_deadline_by_role(people, actor):
    """Only OGP admins move a plan's submission deadline."""
    plan = plan_in(Status.COCREATION, member=people.member)
    old = plan.submission_deadline
    new = datetime.date(2099, 10, 31)
    user = people[actor]
    if actor == OGP_ADMIN:
        services.action_plan_set_deadline(actor=user, plan=plan, submission_deadline=new)
        plan.refresh_from_db()
        assert plan.submission_deadline == new
        assert plan.history.first().history_user == user
    else:
        with pytest.raises(PermissionDenied):
            services.action_plan_set_deadline(actor=user, plan=plan, submission_deadline=new)
        plan.refresh_from_db()
        assert plan.submission_deadline == old


@pytest.mark.parametrize("status", Status.values)
def test_set_deadline_by_state(people, status):
    """The deadline moves until the plan ended or was withdrawn."""
    plan = plan_in(status)
    new = datetime.date(2099, 10, 31)
    admin = people[OGP_ADMIN]
    if status in (Status.ENDED, Status.WITHDRAWN):
        with pytest.raises(PermissionDenied):
            services.action_plan_set_deadline(actor=admin, plan=plan, submission_deadline=new)
        plan.refresh_from_db()
        assert plan.submission_deadline != new
    else:
        services.action_plan_set_deadline(actor=admin, plan=plan, submission_deadline=new)
        plan.refresh_from_db()
        assert plan.submission_deadline == new
