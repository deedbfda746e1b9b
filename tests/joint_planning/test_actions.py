"""Actions of a joint plan: proposed by a participating body (its entry entering the plan's
register), edited, taken under review, and consolidated, merged or rejected with a reason that
is the reasoned response to the entry; who may do each."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from participation import policies as participation_policies
from participation.models import Input
from tests.factories import UserFactory
from tests.joint_planning.factories import plan_world
from tests.members.factories import InstitutionFactory
from tests.people import OGP_ADMIN, OTHER_OFFICER, USER
from use_cases.joint_planning.models import Action, PlanBody
from use_cases.joint_planning.services import actions as services
from use_cases.joint_planning.services import plans as plan_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people):
    return plan_world(people)


def propose(world, actor=None, body=None, **fields):
    values = {
        "objective": world.objective,
        "proposed_by": body or world.city,
        "title": "Open the city's data",
        "description": "Publish every dataset.",
        "expected_result": "A portal with 200 datasets.",
    }
    values.update(fields)
    return services.action_propose(actor=actor or world.city_person, **values)


def reviewed(world, action=None):
    action = action or world.actions[0]
    return services.action_review(actor=world.ministry_person, action=action)


# --- Proposing -------------------------------------------------------------------------------


def test_a_participating_body_proposes_an_action_that_enters_the_plans_register(world):
    action = propose(
        world,
        lead=world.city,
        contributors=[world.co_owner, world.lead, world.co_owner],
        cost_estimate="12500.5",
        starts_on=datetime.date(2025, 3, 1),
        ends_on=datetime.date(2026, 3, 1),
    )
    assert action.status == Action.Status.PROPOSED
    assert (action.plan, action.proposed_by, action.lead) == (world.plan, world.city, world.city)
    assert set(action.contributors.all()) == {world.co_owner, world.lead}
    assert action.cost_estimate == Decimal("12500.50")
    assert action.created_by == world.city_person

    entry = action.input
    assert entry.space == world.plan
    assert entry.member == world.lead.institution.member
    assert entry.disposition == Input.Disposition.PENDING
    assert entry.organisation_name == "City Innovation Department"
    assert entry.organisation_kind == Input.OrganisationKind.PUBLIC
    assert entry.recorded_by == world.city_person
    assert "Open the city's data" in entry.text
    assert "One identity for every service" in entry.text
    assert "A portal with 200 datasets." in entry.text


def test_observers_and_people_of_other_bodies_do_not_propose_for_a_body(world, people):
    observer_person = UserFactory()
    observer = plan_services.body_add(
        actor=world.ministry_person,
        plan=world.plan,
        institution=InstitutionFactory(),
        role=PlanBody.Role.OBSERVER,
    )
    plan_services.body_person_add(actor=world.ministry_person, body=observer, user=observer_person)
    refused = [
        (observer_person, observer),  # observers read
        (world.agency_person, world.city),  # not their body
        (people[OGP_ADMIN], world.city),  # OGP admins act for no body
        (people[USER], world.city),
        (people[OTHER_OFFICER], world.city),
    ]
    for actor, body in refused:
        with pytest.raises(PermissionDenied):
            propose(world, actor=actor, body=body)
    assert Action.objects.count() == 2


def test_the_proposing_body_and_the_bodies_named_are_of_the_plan(world, people):
    other = plan_world(people.of(member=people.member), name="Another plan")
    with pytest.raises(ValidationError) as error:
        propose(world, body=other.city, actor=other.city_person)
    assert set(error.value.message_dict) == {"proposed_by"}
    with pytest.raises(ValidationError) as error:
        propose(world, lead=other.lead, contributors=[other.city])
    assert set(error.value.message_dict) == {"lead", "contributors"}


def test_an_action_has_a_one_line_title_a_cost_of_zero_or_more_and_a_time_frame(world):
    with pytest.raises(ValidationError) as error:
        propose(
            world,
            title="Two\nlines",
            cost_estimate="-1",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2025, 1, 1),
        )
    assert set(error.value.message_dict) == {"title", "cost_estimate", "ends_on"}
    assert not Input.objects.filter(text__contains="Two").exists()


# --- Editing ---------------------------------------------------------------------------------


def test_the_proposing_body_edits_while_proposed_the_runners_until_decided(world):
    action = world.actions[0]
    services.action_update(actor=world.city_person, action=action, title="Sign-on everywhere")
    reviewed(world, action)
    with pytest.raises(PermissionDenied):
        services.action_update(actor=world.city_person, action=action, title="Again")
    services.action_update(
        actor=world.agency_person, action=action, cost_estimate=100, internal=True
    )
    action.refresh_from_db()
    assert (action.title, action.cost_estimate, action.internal) == (
        "Sign-on everywhere",
        Decimal("100.00"),
        True,
    )
    services.action_decide(
        actor=world.ministry_person, action=action, decision="consolidated", reason="Agreed."
    )
    with pytest.raises(PermissionDenied):
        services.action_update(actor=world.ministry_person, action=action, title="Later")


@pytest.mark.parametrize("role", [USER, OTHER_OFFICER])
def test_strangers_and_other_bodies_do_not_edit(world, people, role):
    with pytest.raises(PermissionDenied):
        services.action_update(actor=people[role], action=world.actions[0], title="X")
    # The agency's person runs the plan; the city's person does not edit the agency's action.
    with pytest.raises(PermissionDenied):
        services.action_update(actor=world.city_person, action=world.actions[1], title="X")


def test_an_edit_keeps_the_rules(world):
    with pytest.raises(ValidationError) as error:
        services.action_update(
            actor=world.city_person,
            action=world.actions[0],
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2025, 1, 1),
        )
    assert set(error.value.message_dict) == {"ends_on"}


# --- Review and decision -----------------------------------------------------------------------


def test_runners_take_an_action_under_review_once(world):
    with pytest.raises(PermissionDenied):
        services.action_review(actor=world.city_person, action=world.actions[0])
    action = reviewed(world)
    assert action.status == Action.Status.UNDER_REVIEW
    with pytest.raises(ValidationError):
        reviewed(world, action)


def test_consolidating_answers_the_entry_with_the_reason_the_body_reads(world):
    action = reviewed(world)
    services.action_decide(
        actor=world.agency_person,
        action=action,
        decision="consolidated",
        reason="It fits the national identity plan.",
    )
    action.refresh_from_db()
    assert action.status == Action.Status.CONSOLIDATED
    entry = action.input
    assert entry.disposition == Input.Disposition.ACCEPTED
    assert entry.reason == "It fits the national identity plan."
    assert entry.responded_by == world.agency_person
    # The proposing body reads its entry and why.
    assert participation_policies.can_read(world.city_person, world.plan)


def test_merging_names_another_action_of_the_objective_and_merges_the_entries(world):
    city_action, agency_action = world.actions
    reviewed(world, city_action)
    services.action_decide(
        actor=world.ministry_person,
        action=city_action,
        decision="merged",
        reason="The gateway covers it.",
        merged_into=agency_action,
    )
    city_action.refresh_from_db()
    assert (city_action.status, city_action.merged_into) == ("merged", agency_action)
    assert city_action.input.disposition == Input.Disposition.MERGED
    assert city_action.input.merged_into == agency_action.input


def test_a_merge_target_is_another_unmerged_action_of_the_same_objective(world, people):
    city_action, agency_action = world.actions
    reviewed(world, city_action)
    reviewed(world, agency_action)
    other_objective = plan_services.objective_create(
        actor=world.ministry_person, goal=world.goal, title="Another", owner=world.lead
    )
    elsewhere = propose(world, objective=other_objective)

    def merge(target):
        services.action_decide(
            actor=world.ministry_person,
            action=city_action,
            decision="merged",
            reason="Merged.",
            merged_into=target,
        )

    for target in (None, city_action, elsewhere):
        with pytest.raises(ValidationError) as error:
            merge(target)
        assert set(error.value.message_dict) == {"merged_into"}
    third = propose(world)
    reviewed(world, third)
    services.action_decide(
        actor=world.ministry_person,
        action=agency_action,
        decision="merged",
        reason="Into the third.",
        merged_into=third,
    )
    agency_action.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        merge(agency_action)
    assert "itself merged" in error.value.message_dict["merged_into"][0]
    with pytest.raises(ValidationError) as error:
        services.action_decide(
            actor=world.ministry_person,
            action=city_action,
            decision="rejected",
            reason="No.",
            merged_into=third,
        )
    assert set(error.value.message_dict) == {"merged_into"}


def test_rejecting_needs_a_reason_and_answers_not_accepted(world):
    action = reviewed(world)
    with pytest.raises(ValidationError) as error:
        services.action_decide(
            actor=world.ministry_person, action=action, decision="rejected", reason="  "
        )
    assert set(error.value.message_dict) == {"reason"}
    action.refresh_from_db()
    assert action.status == Action.Status.UNDER_REVIEW
    assert action.input.disposition == Input.Disposition.PENDING
    services.action_decide(
        actor=world.ministry_person, action=action, decision="rejected", reason="Out of scope."
    )
    action.refresh_from_db()
    assert action.status == Action.Status.REJECTED
    assert action.input.disposition == Input.Disposition.NOT_ACCEPTED


def test_only_runners_decide_and_only_on_reviewed_actions(world, people):
    action = world.actions[0]
    with pytest.raises(ValidationError) as error:
        services.action_decide(
            actor=world.ministry_person, action=action, decision="consolidated", reason="Yes."
        )
    assert "under review" in error.value.message_dict["decision"][0]
    reviewed(world, action)
    for actor in (world.city_person, people[USER], people[OTHER_OFFICER]):
        with pytest.raises(PermissionDenied):
            services.action_decide(
                actor=actor, action=action, decision="consolidated", reason="Yes."
            )
    with pytest.raises(ValidationError) as error:
        services.action_decide(
            actor=world.ministry_person, action=action, decision="proposed", reason="Yes."
        )
    assert set(error.value.message_dict) == {"decision"}
    # OGP admins support the runners.
    services.action_decide(
        actor=people[OGP_ADMIN], action=action, decision="consolidated", reason="Yes."
    )


def test_a_decision_changes_with_a_new_reason_and_history_keeps_both(world):
    action = reviewed(world)
    services.action_decide(
        actor=world.ministry_person, action=action, decision="rejected", reason="Too costly."
    )
    with pytest.raises(ValidationError) as error:
        services.action_decide(
            actor=world.ministry_person,
            action=action,
            decision="consolidated",
            reason="Too costly.",
        )
    assert set(error.value.message_dict) == {"reason"}
    with pytest.raises(PermissionDenied):
        services.action_decide(
            actor=world.city_person, action=action, decision="consolidated", reason="Please."
        )
    services.action_decide(
        actor=world.agency_person,
        action=action,
        decision="consolidated",
        reason="The region found the funds.",
    )
    action.refresh_from_db()
    assert action.status == Action.Status.CONSOLIDATED
    reasons = [h.reason for h in action.input.history.order_by("history_id")]
    assert "Too costly." in reasons and reasons[-1] == "The region found the funds."
    statuses = [h.status for h in action.history.order_by("history_id")]
    assert statuses[-2:] == ["rejected", "consolidated"]


# --- Discussion through participation ---------------------------------------------------------


def test_people_comment_on_a_plan_and_its_actions_which_enter_the_register(world, people):
    from participation.services.comments import comment_post

    citizen = people[USER]
    on_action = comment_post(actor=citizen, target=world.actions[0], body="Include the libraries.")
    on_plan = comment_post(actor=citizen, target=world.plan, body="Good start.")
    assert on_action.input.space == world.plan
    assert on_plan.input.space == world.plan
    assert on_plan.input.member == world.lead.institution.member

    from participation.models import Follow
    from participation.services.votes import follow

    follow(actor=citizen, target=world.actions[1])
    assert Follow.objects.filter(user=citizen, target_id=world.actions[1].pk).exists()


def test_nobody_outside_the_plan_comments_on_an_internal_action(world, people):
    from participation.services.comments import comment_post

    action = world.actions[0]
    services.action_update(actor=world.city_person, action=action, internal=True)
    action.refresh_from_db()
    with pytest.raises(PermissionDenied):
        comment_post(actor=people[USER], target=action, body="Let me in.")
