"""The rules for bad input on plans, commitments and milestones, each with its own test: every
refusal says what to fix, and what was already saved stays as it was."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from action_plans import selectors
from action_plans import services as plan_services
from action_plans.models import ActionPlan, months_between
from commitments import services
from commitments.models import Commitment, Milestone, OgpValue
from ogp_platform.members.models import ContraryToProcess, Member, MemberRole
from ogp_platform.members.policies import OGP_ADMINS_GROUP
from tests.factories import UserFactory
from tests.members.factories import (
    InstitutionFactory,
    LocalMemberFactory,
    MemberFactory,
    MemberRoleFactory,
)
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

Status = ActionPlan.Status
START = datetime.date(2026, 9, 1)
END = datetime.date(2028, 8, 31)
DEADLINE = datetime.date(2026, 8, 31)


def months_later(start: datetime.date, months: int) -> datetime.date:
    """The last day of a period of `months` whole months starting on `start` (a 1st)."""
    index = start.month - 1 + months
    return datetime.date(start.year + index // 12, index % 12 + 1, 1) - datetime.timedelta(days=1)


def officer_of(member):
    return MemberRoleFactory(member=member, role=MemberRole.Role.OFFICER).user


def ogp_admin():
    user = UserFactory()
    Group.objects.get(name=OGP_ADMINS_GROUP).user_set.add(user)
    return user


@pytest.fixture
def member():
    return MemberFactory()


@pytest.fixture
def officer(member):
    return officer_of(member)


@pytest.fixture
def plan(member, officer):
    """A draft plan, 1 September 2026 – 31 August 2028, deadline 31 August 2026."""
    return plan_services.action_plan_create(
        actor=officer, member=member, title="Sixth action plan", start_date=START, end_date=END
    )


def complete(plan, **overrides) -> dict:
    """The fields of a commitment complete in OGP's template."""
    fields = {
        "title": "Publish public procurement contracts as open data",
        "short_title": "Open procurement",
        "problem": "Contracts are published late and as scanned documents.",
        "status_quo": "A portal lists tenders, but not the signed contracts.",
        "description": "Publish every contract in the Open Contracting Data Standard.",
        "contribution": "Journalists and CSOs can follow public money.",
        "values_relevance": "Access to information and public accountability.",
        "values": [OgpValue.ACCESS_TO_INFORMATION, OgpValue.PUBLIC_ACCOUNTABILITY],
        "lead_institution": InstitutionFactory(member=plan.member),
        "start_date": datetime.date(2026, 10, 1),
        "end_date": datetime.date(2028, 6, 30),
    }
    fields.update(overrides)
    return fields


def commitment_in(plan, actor, **overrides) -> Commitment:
    return services.commitment_create(actor=actor, plan=plan, **complete(plan, **overrides))


def milestone_in(commitment, actor, **overrides) -> Milestone:
    fields = {
        "title": "Contracts register online",
        "expected_output": "A register of signed contracts on the open data portal.",
        "start_date": datetime.date(2026, 11, 1),
        "end_date": datetime.date(2027, 3, 31),
    }
    fields.update(overrides)
    return services.milestone_create(actor=actor, commitment=commitment, **fields)


def in_cocreation(plan, actor) -> ActionPlan:
    return plan_services.action_plan_open_cocreation(actor=actor, plan=plan)


def messages(error: ValidationError, field: str | None = None) -> str:
    """The error's messages (for one field, or all of them) as one string to search."""
    if field is None:
        return " ".join(error.messages)
    return " ".join(error.message_dict[field])


# --- The plan's period ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "allowed"),
    [
        (12, False),
        (19, False),
        (20, True),
        (24, True),
        (25, False),
        (36, False),
        (43, False),
        (44, True),
        (48, True),
        (49, False),
    ],
)
def test_a_plan_runs_20_to_24_or_44_to_48_months(member, officer, months, allowed):
    """A plan runs two or four years with at least 20 months of implementation; any other length
    is refused on the end date, with the length it has and the lengths it may have."""

    def create():
        return plan_services.action_plan_create(
            actor=officer,
            member=member,
            title="A plan",
            start_date=START,
            end_date=months_later(START, months),
        )

    if allowed:
        plan = create()
        assert months_between(plan.start_date, plan.end_date) == months
    else:
        with pytest.raises(ValidationError) as refused:
            create()
        text = messages(refused.value, "end_date")
        assert f"this one runs {months} months" in text
        assert "20 to 24 months, or 44 to 48 months" in text
        assert not ActionPlan.objects.filter(member=member).exists()


@pytest.mark.parametrize("end", [START, START - datetime.timedelta(days=1)])
def test_a_plan_ending_before_it_starts_is_refused(member, officer, end):
    """A plan's end date must come after its start date."""
    with pytest.raises(ValidationError) as refused:
        plan_services.action_plan_create(
            actor=officer, member=member, title="A plan", start_date=START, end_date=end
        )
    assert messages(refused.value, "end_date") == "The end date must be after the start date."


def test_an_inactive_member_starts_no_plan(officer, member):
    """Only active members (or those under review) start new plans."""
    member.status = Member.Status.SUSPENDED
    member.save()
    with pytest.raises(ValidationError) as refused:
        plan_services.action_plan_create(
            actor=officer, member=member, title="A plan", start_date=START, end_date=END
        )
    assert "only active members start new action plans" in messages(refused.value)


def test_shrinking_a_plan_that_would_leave_commitments_outside_is_refused(plan, officer):
    """A plan's period cannot shrink past its commitments' dates: the refusal names them, and
    the plan keeps its period."""
    late = commitment_in(plan, officer, end_date=datetime.date(2028, 6, 30))
    later = commitment_in(plan, officer, end_date=datetime.date(2028, 8, 31))
    commitment_in(plan, officer, end_date=datetime.date(2027, 12, 31))  # stays inside
    with pytest.raises(ValidationError) as refused:
        plan_services.action_plan_update(
            actor=officer, plan=plan, end_date=months_later(START, 20), title="Shorter"
        )
    text = messages(refused.value)
    assert f"{late.identifier}, {later.identifier}" in text
    assert "dates outside the new period" in text
    plan.refresh_from_db()
    assert (plan.end_date, plan.title) == (END, "Sixth action plan")


def test_a_refused_plan_update_leaves_the_plan_as_it_was(plan, officer):
    """A period of the wrong length is refused, and neither it nor the title given with it is
    saved."""
    with pytest.raises(ValidationError):
        plan_services.action_plan_update(
            actor=officer, plan=plan, title="New title", end_date=months_later(START, 30)
        )
    plan.refresh_from_db()
    assert (plan.title, plan.end_date) == ("Sixth action plan", END)
    assert plan.history.count() == 1


# --- Submission ----------------------------------------------------------------------------


def test_a_plan_without_commitments_is_not_submitted(plan, officer):
    """A plan needs at least one commitment before it is submitted."""
    in_cocreation(plan, officer)
    with pytest.raises(ValidationError) as refused:
        plan_services.action_plan_submit(actor=officer, plan=plan, today=DEADLINE)
    text = messages(refused.value)
    assert "The plan cannot be submitted yet:" in text
    assert "The plan has at least one commitment." in text
    plan.refresh_from_db()
    assert plan.status == Status.COCREATION
    assert plan.submitted_on is None


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("problem", "problem addressed"),
        ("status_quo", "status quo"),
        ("description", "description"),
        ("contribution", "how it will contribute to solving the problem"),
        ("values_relevance", "relevance to OGP values"),
        ("lead_institution", "lead institution"),
    ],
)
def test_a_commitment_missing_a_required_section_blocks_submission(plan, officer, field, label):
    """Every section of OGP's template is needed before submission: the refusal names the
    commitment and the section it misses."""
    ready = commitment_in(plan, officer)
    milestone_in(ready, officer)
    incomplete = commitment_in(
        plan, officer, **{field: None if field == "lead_institution" else ""}
    )
    milestone_in(incomplete, officer)
    in_cocreation(plan, officer)
    with pytest.raises(ValidationError) as refused:
        plan_services.action_plan_submit(actor=officer, plan=plan, today=DEADLINE)
    text = messages(refused.value)
    assert f"{incomplete.identifier} “Open procurement” needs: {label}." in text
    assert f"{ready.identifier} " not in text
    plan.refresh_from_db()
    assert plan.status == Status.COCREATION


def test_a_commitment_without_milestones_blocks_submission(plan, officer):
    """Each commitment needs at least one milestone before submission."""
    commitment = commitment_in(plan, officer)
    in_cocreation(plan, officer)
    with pytest.raises(ValidationError) as refused:
        plan_services.action_plan_submit(actor=officer, plan=plan, today=DEADLINE)
    assert f"{commitment.identifier} “Open procurement” needs: at least one milestone." in (
        messages(refused.value)
    )


def test_a_withdrawn_commitment_does_not_block_submission(plan, officer):
    """Withdrawn commitments are left out of the checklist."""
    milestone_in(commitment_in(plan, officer), officer)
    withdrawn = commitment_in(plan, officer, problem="")
    services.commitment_update(actor=officer, commitment=withdrawn, status="withdrawn")
    in_cocreation(plan, officer)
    plan_services.action_plan_submit(actor=officer, plan=plan, today=DEADLINE)
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


@pytest.fixture
def ready_plan(plan, officer):
    """The plan in co-creation with one complete commitment and a milestone."""
    milestone_in(commitment_in(plan, officer), officer)
    return in_cocreation(plan, officer)


@pytest.mark.parametrize(
    ("today", "late", "contrary"),
    [
        (datetime.date(2026, 8, 1), False, False),
        (DEADLINE, False, False),
        (DEADLINE + datetime.timedelta(days=1), True, False),
        (datetime.date(2026, 12, 31), True, False),
        (datetime.date(2027, 1, 1), True, True),
        (datetime.date(2027, 5, 3), True, True),
    ],
)
def test_late_submission(ready_plan, officer, today, late, contrary):
    """A plan submitted after its deadline is marked late; from 1 January after the deadline's
    year the member is also recorded as acting contrary to process (and not before)."""
    plan = plan_services.action_plan_submit(actor=officer, plan=ready_plan, today=today)
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert plan.submitted_on == today
    assert plan.is_late is late
    records = ContraryToProcess.objects.filter(member=plan.member)
    if contrary:
        record = records.get()
        assert record.plan_identifier == plan.identifier
        assert record.recorded_by == officer
        assert "after 1 January following its deadline of 2026-08-31" in record.reason
    else:
        assert not records.exists()


def test_a_plan_resubmitted_after_reopening_is_recorded_contrary_to_process_once(
    ready_plan, officer
):
    """The record is about the plan: submitting it again after a reopening adds no second
    one."""
    late = datetime.date(2027, 2, 1)
    plan_services.action_plan_submit(actor=officer, plan=ready_plan, today=late)
    plan_services.action_plan_reopen(actor=ogp_admin(), plan=ready_plan, reason="One more.")
    plan_services.action_plan_submit(
        actor=officer, plan=ready_plan, today=late + datetime.timedelta(days=30)
    )
    assert ContraryToProcess.objects.filter(member=ready_plan.member).count() == 1


def test_a_plan_resubmitted_after_reopening_keeps_its_first_submission_date(ready_plan, officer):
    """A plan delivered on time and reopened by OGP for changes is not late when it comes back
    after the deadline: its first submission date decides."""
    plan_services.action_plan_submit(actor=officer, plan=ready_plan, today=DEADLINE)
    plan_services.action_plan_reopen(actor=ogp_admin(), plan=ready_plan, reason="One more.")
    plan = plan_services.action_plan_submit(
        actor=officer, plan=ready_plan, today=datetime.date(2027, 3, 1)
    )
    plan.refresh_from_db()
    assert (plan.status, plan.submitted_on, plan.is_late) == (Status.SUBMITTED, DEADLINE, False)
    assert not ContraryToProcess.objects.exists()
    assert [t.to_status for t in plan.transitions.all()][-3:] == [
        Status.SUBMITTED,
        Status.COCREATION,
        Status.SUBMITTED,
    ]


def test_a_moved_deadline_decides_lateness(ready_plan, officer):
    """An OGP admin's new deadline is the one the submission is measured against."""
    plan_services.action_plan_set_deadline(
        actor=ogp_admin(), plan=ready_plan, submission_deadline=datetime.date(2027, 3, 31)
    )
    plan = plan_services.action_plan_submit(
        actor=officer, plan=ready_plan, today=datetime.date(2027, 2, 1)
    )
    assert plan.is_late is False
    assert not ContraryToProcess.objects.exists()


# --- Reopening, and editing a submitted plan ------------------------------------------------


@pytest.fixture
def submitted(ready_plan, officer):
    return plan_services.action_plan_submit(actor=officer, plan=ready_plan, today=DEADLINE)


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(submitted, reason):
    """An OGP admin reopens a submitted plan only when saying why; without, nothing changes."""
    with pytest.raises(ValidationError) as refused:
        plan_services.action_plan_reopen(actor=ogp_admin(), plan=submitted, reason=reason)
    assert messages(refused.value, "reason") == "Say why the plan is reopened."
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert submitted.transitions.last().to_status == Status.SUBMITTED


def test_withdrawing_needs_a_reason(plan, officer):
    with pytest.raises(ValidationError) as refused:
        plan_services.action_plan_withdraw(actor=officer, plan=plan, reason=" ")
    assert messages(refused.value, "reason") == "Say why the plan is withdrawn."
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


def test_a_submitted_plan_is_not_edited_until_reopened(submitted, officer):
    """After submission neither the plan, nor its commitments, nor their milestones change;
    once an OGP admin reopens it (back to co-creation, with the reason on the timeline) its team
    edits it again."""
    commitment = Commitment.objects.get(plan=submitted)
    edits = {
        "action_plan_update": lambda: plan_services.action_plan_update(
            actor=officer, plan=ActionPlan.objects.get(pk=submitted.pk), title="Changed"
        ),
        "commitment_update": lambda: services.commitment_update(
            actor=officer, commitment=Commitment.objects.get(pk=commitment.pk), title="Changed"
        ),
        "milestone_create": lambda: milestone_in(
            Commitment.objects.get(pk=commitment.pk), officer, title="Another"
        ),
        "commitment_create": lambda: commitment_in(
            ActionPlan.objects.get(pk=submitted.pk), officer
        ),
    }
    for edit in edits.values():
        with pytest.raises(PermissionDenied):
            edit()
    submitted.refresh_from_db()
    commitment.refresh_from_db()
    assert submitted.title == "Sixth action plan"
    assert commitment.title == "Publish public procurement contracts as open data"
    assert commitment.milestones.count() == 1
    assert Commitment.objects.filter(plan=submitted).count() == 1

    admin = ogp_admin()
    plan_services.action_plan_reopen(actor=admin, plan=submitted, reason="Add a gender lens.")
    submitted.refresh_from_db()
    assert submitted.status == Status.COCREATION
    step = submitted.transitions.last()
    assert (step.actor, step.from_status, step.reason) == (
        admin,
        Status.SUBMITTED,
        "Add a gender lens.",
    )
    for edit in edits.values():
        edit()
    submitted.refresh_from_db()
    commitment.refresh_from_db()
    assert submitted.title == "Changed"
    assert commitment.title == "Changed"
    assert commitment.milestones.count() == 2
    assert Commitment.objects.filter(plan=submitted).count() == 2


# --- Commitment and milestone dates ---------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "dates"),
    [
        ("start_date", {"start_date": datetime.date(2026, 8, 31)}),
        ("end_date", {"end_date": datetime.date(2028, 9, 1)}),
    ],
)
def test_commitment_dates_outside_the_plan_are_refused(plan, officer, field, dates):
    """A commitment's dates lie inside its plan's period; the message gives the period."""
    with pytest.raises(ValidationError) as refused:
        commitment_in(plan, officer, **dates)
    assert messages(refused.value, field) == (
        "Choose a date inside the plan's period, from 1 September 2026 to 31 August 2028."
    )
    assert not plan.commitments.exists()


@pytest.mark.parametrize(
    ("field", "dates"),
    [
        ("start_date", {"start_date": datetime.date(2026, 9, 30)}),
        ("end_date", {"end_date": datetime.date(2028, 7, 1)}),
    ],
)
def test_milestone_dates_outside_the_commitment_are_refused(plan, officer, field, dates):
    """A milestone's dates lie inside its commitment's period (1 October 2026 – 30 June 2028),
    even where the plan's period would allow them."""
    commitment = commitment_in(plan, officer)
    with pytest.raises(ValidationError) as refused:
        milestone_in(commitment, officer, **dates)
    assert messages(refused.value, field) == (
        "Choose a date inside the commitment's period, from 1 October 2026 to 30 June 2028."
    )
    assert not commitment.milestones.exists()


def test_a_commitment_ending_before_it_starts_is_refused(plan, officer):
    with pytest.raises(ValidationError) as refused:
        commitment_in(
            plan,
            officer,
            start_date=datetime.date(2027, 5, 1),
            end_date=datetime.date(2027, 4, 30),
        )
    assert messages(refused.value, "end_date") == "The end date must not be before the start date."
    assert not plan.commitments.exists()


def test_a_milestone_ending_before_it_starts_is_refused(plan, officer):
    commitment = commitment_in(plan, officer)
    with pytest.raises(ValidationError) as refused:
        milestone_in(
            commitment,
            officer,
            start_date=datetime.date(2027, 5, 1),
            end_date=datetime.date(2027, 4, 30),
        )
    assert messages(refused.value, "end_date") == "The end date must not be before the start date."
    assert not commitment.milestones.exists()


def test_moving_a_commitment_past_its_milestones_is_refused(plan, officer):
    """A commitment's new dates must still hold its milestones: the refusal names them."""
    commitment = commitment_in(plan, officer)
    milestone_in(commitment, officer, title="Contracts register online")
    with pytest.raises(ValidationError) as refused:
        services.commitment_update(
            actor=officer, commitment=commitment, start_date=datetime.date(2027, 1, 1)
        )
    assert "Contracts register online" in messages(refused.value, "end_date")
    commitment.refresh_from_db()
    assert commitment.start_date == datetime.date(2026, 10, 1)


# --- OGP values, institutions, budget -------------------------------------------------------


def test_technology_and_innovation_alone_is_refused(plan, officer):
    """Technology and innovation must serve a core value."""
    with pytest.raises(ValidationError) as refused:
        commitment_in(plan, officer, values=[OgpValue.TECHNOLOGY_INNOVATION])
    assert "Technology and innovation cannot stand alone" in messages(refused.value, "values")
    assert not plan.commitments.exists()


def test_technology_and_innovation_with_a_core_value_is_allowed(plan, officer):
    commitment = commitment_in(
        plan, officer, values=[OgpValue.TECHNOLOGY_INNOVATION, OgpValue.CIVIC_PARTICIPATION]
    )
    assert commitment.values == [OgpValue.CIVIC_PARTICIPATION, OgpValue.TECHNOLOGY_INNOVATION]


def test_a_draft_commitment_may_have_no_values_but_the_checklist_asks_for_one(plan, officer):
    """A draft saves without OGP values; the submission checklist lists the core value as
    missing for that commitment."""
    commitment = commitment_in(plan, officer, values=[])
    milestone_in(commitment, officer)
    assert commitment.values == []
    checklist = selectors.plan_submission_checklist(plan=plan)
    assert not checklist.ready
    assert [item.text for item in checklist.missing] == [
        f"{commitment.identifier} “Open procurement” needs: a core OGP value."
    ]


@pytest.mark.parametrize("field", ["lead_institution", "supporting_institutions"])
def test_an_institution_of_another_member_is_refused(plan, officer, field):
    """Lead and supporting institutions belong to the plan's member."""
    foreign = InstitutionFactory()
    value = [foreign] if field == "supporting_institutions" else foreign
    with pytest.raises(ValidationError) as refused:
        commitment_in(plan, officer, **{field: value})
    assert messages(refused.value, field) == f"Choose an institution of {plan.member.name}."
    assert not plan.commitments.exists()


def test_a_milestone_institution_of_another_member_is_refused(plan, officer):
    commitment = commitment_in(plan, officer)
    with pytest.raises(ValidationError) as refused:
        milestone_in(commitment, officer, responsible_institution=InstitutionFactory())
    assert messages(refused.value, "responsible_institution") == (
        f"Choose an institution of {plan.member.name}."
    )


def test_a_budget_needs_a_currency(plan, officer):
    with pytest.raises(ValidationError) as refused:
        commitment_in(plan, officer, budget=Decimal("250000"), budget_currency="")
    assert messages(refused.value, "budget_currency") == (
        "Give the currency of the budget, e.g. EUR."
    )
    commitment = commitment_in(plan, officer, budget=Decimal("250000"), budget_currency="eur")
    assert (commitment.budget, commitment.budget_currency) == (Decimal("250000"), "EUR")


# --- Ids -------------------------------------------------------------------------------------


def test_commitment_ids_follow_ogps_form_and_are_never_reused():
    """A national member's commitments are numbered with its alpha-2 code (LV0001, LV0002…), a
    local member's with its local code (MAD0001); a removed commitment's number is not handed
    out again, not even when it was the last one."""
    latvia = MemberFactory(country="LV", country_alpha3="LVA", name="Latvia", slug="latvia")
    madrid = LocalMemberFactory(local_code="MAD", name="Madrid", parent=None)
    latvian, madrilenian = officer_of(latvia), officer_of(madrid)
    plan = plan_services.action_plan_create(
        actor=latvian, member=latvia, title="Plan", start_date=START, end_date=END
    )
    local_plan = plan_services.action_plan_create(
        actor=madrilenian, member=madrid, title="Plan", start_date=START, end_date=END
    )
    first, second, third = (commitment_in(plan, latvian) for _ in range(3))
    assert [first.identifier, second.identifier, third.identifier] == [
        "LV0001",
        "LV0002",
        "LV0003",
    ]
    assert commitment_in(local_plan, madrilenian).identifier == "MAD0001"

    services.commitment_delete(actor=latvian, commitment=second)
    services.commitment_delete(actor=latvian, commitment=third)
    assert commitment_in(plan, latvian).identifier == "LV0004"
    # Numbering runs across a member's plans.
    next_plan = plan_services.action_plan_create(
        actor=latvian, member=latvia, title="Next plan", start_date=START, end_date=END
    )
    assert commitment_in(next_plan, latvian).identifier == "LV0005"


def test_plan_ids_are_ap_alpha3_and_two_digits():
    """Plans are numbered per member: AP_ + alpha-3 code (or local code) + two digits."""
    latvia = MemberFactory(country="LV", country_alpha3="LVA", name="Latvia", slug="latvia")
    madrid = LocalMemberFactory(local_code="MAD", name="Madrid", parent=None)
    latvian, madrilenian = officer_of(latvia), officer_of(madrid)

    def create(member, actor):
        return plan_services.action_plan_create(
            actor=actor, member=member, title="Plan", start_date=START, end_date=END
        ).identifier

    assert [create(latvia, latvian), create(latvia, latvian)] == ["AP_LVA01", "AP_LVA02"]
    assert create(madrid, madrilenian) == "AP_MAD01"


# --- Refused changes keep what was saved ----------------------------------------------------


def test_a_refused_commitment_update_leaves_the_saved_row_unchanged(plan, officer):
    """A change with one bad field saves none of the fields given with it."""
    commitment = commitment_in(plan, officer)
    versions = commitment.history.count()
    with pytest.raises(ValidationError):
        services.commitment_update(
            actor=officer,
            commitment=commitment,
            title="A new title",
            problem="A new problem",
            values=[OgpValue.TECHNOLOGY_INNOVATION],
            supporting_institutions=[InstitutionFactory()],
        )
    commitment.refresh_from_db()
    assert commitment.title == "Publish public procurement contracts as open data"
    assert commitment.problem == "Contracts are published late and as scanned documents."
    assert commitment.values == [OgpValue.ACCESS_TO_INFORMATION, OgpValue.PUBLIC_ACCOUNTABILITY]
    assert not commitment.supporting_institutions.exists()
    assert commitment.history.count() == versions


def test_a_refused_milestone_update_leaves_the_saved_row_unchanged(plan, officer):
    milestone = milestone_in(commitment_in(plan, officer), officer)
    with pytest.raises(ValidationError):
        services.milestone_update(
            actor=officer,
            milestone=milestone,
            title="Renamed",
            end_date=datetime.date(2030, 1, 1),
        )
    milestone.refresh_from_db()
    assert (milestone.title, milestone.end_date) == (
        "Contracts register online",
        datetime.date(2027, 3, 31),
    )


# --- Order ------------------------------------------------------------------------------------


def test_commitments_are_reordered_and_stable_at_the_ends(plan, officer):
    """Moving a commitment swaps it with its neighbour; moving the first up or the last down
    changes nothing."""
    a, b, c = (commitment_in(plan, officer, title=title) for title in "ABC")

    def order():
        return "".join(
            plan.commitments.order_by("position", "number").values_list("title", flat=True)
        )

    services.commitment_move(actor=officer, commitment=c, direction="up")
    assert order() == "ACB"
    services.commitment_move(actor=officer, commitment=a, direction="up")
    assert order() == "ACB"
    services.commitment_move(actor=officer, commitment=b, direction="down")
    assert order() == "ACB"
    services.commitment_move(actor=officer, commitment=a, direction="down")
    assert order() == "CAB"
    assert list(plan.commitments.order_by("position").values_list("position", flat=True)) == [
        1,
        2,
        3,
    ]


def test_milestones_are_reordered_and_stable_at_the_ends(plan, officer):
    commitment = commitment_in(plan, officer)
    a, b, c = (milestone_in(commitment, officer, title=title) for title in "ABC")

    def order():
        return "".join(
            commitment.milestones.order_by("position", "pk").values_list("title", flat=True)
        )

    services.milestone_move(actor=officer, milestone=a, direction="down")
    assert order() == "BAC"
    services.milestone_move(actor=officer, milestone=b, direction="up")
    assert order() == "BAC"
    services.milestone_move(actor=officer, milestone=c, direction="down")
    assert order() == "BAC"
    services.milestone_move(actor=officer, milestone=c, direction="up")
    assert order() == "BCA"


def test_reordering_a_submitted_plan_is_refused(submitted, officer):
    commitment = Commitment.objects.get(plan=submitted)
    with pytest.raises(PermissionDenied):
        services.commitment_move(actor=officer, commitment=commitment, direction="up")
    with pytest.raises(PermissionDenied):
        services.milestone_move(
            actor=officer, milestone=commitment.milestones.get(), direction="up"
        )


def test_factories_and_services_agree_on_a_complete_commitment():
    """The factories' commitment is complete in OGP's template (the lifecycle tests rely on it)."""
    milestone = MilestoneFactory(commitment=CommitmentFactory(plan=ActionPlanFactory()))
    assert milestone.commitment.missing_for_submission() == []
