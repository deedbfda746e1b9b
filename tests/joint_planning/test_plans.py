"""Joint plans: creating one (with its co-production process, lead body and team), its bodies
and their people, goals and objectives, the commitments objectives link to; who may do each;
and the plan page's reads in a constant number of queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ogp_platform.members.models import Institution
from participation import interface
from tests.factories import UserFactory
from tests.joint_planning.factories import plan_world
from tests.members.factories import InstitutionFactory, LocalMemberFactory, MemberRoleFactory
from tests.people import OFFICER, OGP_ADMIN, OTHER_OFFICER, USER
from tests.plans.factories import ActionPlanFactory, CommitmentFactory
from tests.queries import assert_queries_constant
from use_cases.coproduction.models import Team
from use_cases.joint_planning import policies
from use_cases.joint_planning.models import Action, Goal, JointPlan, Objective, PlanBody
from use_cases.joint_planning.selectors.plans import plan_page
from use_cases.joint_planning.services import actions as action_services
from use_cases.joint_planning.services import plans as services

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 1, 1), datetime.date(2027, 12, 31)


def create(people, actor_role=OFFICER, **fields):
    values = {
        "name": "Joint plan 2025-2027",
        "description": "Together.",
        "lead": InstitutionFactory(member=people.member),
        "starts_on": START,
        "ends_on": END,
        "visibility": "public",
    }
    values.update(fields)
    return services.plan_create(actor=people[actor_role], **values)


def team_of(body: PlanBody) -> Team:
    body = PlanBody.objects.select_related("institution__member", "plan").get(pk=body.pk)
    return Team.objects.get(process=body.plan.process, name=services._team_name(body))


# --- Creating a plan ---------------------------------------------------------------------------


def test_an_officer_of_the_leads_member_creates_a_plan_with_its_process_and_lead_body(people):
    ministry = InstitutionFactory(member=people.member, name="Ministry of Economy")
    plan = create(people, lead=ministry, visibility="internal", languages=["it", "en"])
    officer = people[OFFICER]

    process = plan.process
    assert process.name == plan.name == "Joint plan 2025-2027"
    assert process.visibility == "team"
    assert process.languages == ["it", "en"]
    assert list(process.owner_members.all()) == [people.member]
    assert process.primary_member == people.member
    lead = plan.bodies.get()
    assert (lead.institution, lead.role, lead.level) == (ministry, "lead", "central")
    assert policies.acts_for(officer, lead)
    assert plan.created_by == officer and plan.status == JointPlan.Status.DRAFT
    # The process's teams hold the bodies: the lead's team (owners) replaces "Owners".
    assert [(t.name, t.role) for t in Team.objects.filter(process=process)] == [
        (f"Ministry of Economy ({people.member.name})", "owner")
    ]
    assert list(team_of(lead).people.all()) == [officer]


def test_a_public_plan_runs_as_a_public_process_and_slugs_are_unique(people):
    first = create(people)
    second = create(people)
    assert first.process.visibility == "public"
    assert first.slug == "joint-plan-2025-2027"
    assert second.slug == "joint-plan-2025-2027-2"


def test_an_ogp_admin_creates_a_plan_for_any_member(people):
    plan = create(people, OGP_ADMIN)
    assert policies.acts_for(people[OGP_ADMIN], plan.bodies.get())


@pytest.mark.parametrize("role", [USER, OTHER_OFFICER])
def test_others_may_not_create_a_plan(people, role):
    with pytest.raises(PermissionDenied):
        create(people, role)
    assert not JointPlan.objects.exists()


def test_a_plan_ends_after_it_starts_and_its_name_is_one_line(people):
    with pytest.raises(ValidationError) as error:
        create(people, name="Two\nlines", ends_on=START)
    assert set(error.value.message_dict) == {"name", "ends_on"}
    assert error.value.message_dict["ends_on"] == ["The plan must end after it starts."]
    with pytest.raises(ValidationError) as error:
        create(people, name="  ", visibility="secret")
    assert set(error.value.message_dict) == {"name", "visibility"}
    assert not JointPlan.objects.exists()


# --- Bodies ------------------------------------------------------------------------------------


def test_the_runners_add_bodies_of_any_member_each_with_its_team(people):
    world = plan_world(people)
    assert world.city.level == PlanBody.Level.LOCAL
    assert world.co_owner.level == PlanBody.Level.CENTRAL
    assert team_of(world.co_owner).role == Team.Role.OWNER
    assert team_of(world.city).role == Team.Role.MEMBER
    assert list(team_of(world.city).people.all()) == [world.city_person]
    observer = services.body_add(
        actor=world.agency_person,
        plan=world.plan,
        institution=InstitutionFactory(member=LocalMemberFactory()),
        role=PlanBody.Role.OBSERVER,
    )
    assert team_of(observer).role == Team.Role.OBSERVER
    assert team_of(observer).kind == Team.Kind.PUBLIC_ADMINISTRATION


def test_a_contributor_or_stranger_may_not_add_bodies(people):
    world = plan_world(people)
    for actor in (world.city_person, people[OTHER_OFFICER], UserFactory()):
        with pytest.raises(PermissionDenied):
            services.body_add(
                actor=actor,
                plan=world.plan,
                institution=InstitutionFactory(),
                role=PlanBody.Role.CONTRIBUTOR,
            )


def test_a_plan_has_one_lead_and_each_institution_once(people):
    world = plan_world(people)
    with pytest.raises(ValidationError) as error:
        services.body_add(
            actor=world.ministry_person,
            plan=world.plan,
            institution=InstitutionFactory(),
            role=PlanBody.Role.LEAD,
        )
    assert "one lead" in error.value.message_dict["role"][0]
    with pytest.raises(ValidationError) as error:
        services.body_add(
            actor=world.ministry_person,
            plan=world.plan,
            institution=world.city.institution,
            role=PlanBody.Role.OBSERVER,
        )
    assert error.value.message_dict["institution"] == [
        "City Innovation Department already takes part in this plan."
    ]


def test_changing_a_bodys_role_changes_its_teams_role_with_the_same_people(people):
    world = plan_world(people)
    services.body_set_role(actor=world.ministry_person, body=world.city, role="co_owner")
    world.city.refresh_from_db()
    assert world.city.role == "co_owner"
    assert team_of(world.city).role == Team.Role.OWNER
    assert list(team_of(world.city).people.all()) == [world.city_person]
    assert policies.runs_plan(world.city_person, world.plan)


def test_the_lead_stays_the_lead_and_only_runners_change_roles(people):
    world = plan_world(people)
    with pytest.raises(ValidationError):
        services.body_set_role(actor=world.ministry_person, body=world.lead, role="co_owner")
    with pytest.raises(ValidationError):
        services.body_set_role(actor=world.ministry_person, body=world.city, role="lead")
    with pytest.raises(PermissionDenied):
        services.body_set_role(actor=world.city_person, body=world.city, role="co_owner")


def test_removing_a_body_takes_its_people_and_team_away_but_not_the_lead(people):
    world = plan_world(people)
    observer_person = UserFactory()
    observer = services.body_add(
        actor=world.ministry_person,
        plan=world.plan,
        institution=InstitutionFactory(),
        role=PlanBody.Role.OBSERVER,
    )
    services.body_person_add(actor=world.ministry_person, body=observer, user=observer_person)
    team_name = services._team_name(observer)
    with pytest.raises(PermissionDenied):
        services.body_remove(actor=world.city_person, body=observer)

    services.body_remove(actor=world.ministry_person, body=observer)

    assert not PlanBody.objects.filter(pk=observer.pk).exists()
    assert not Team.objects.filter(name=team_name).exists()
    assert not policies.bodies_of(observer_person, world.plan).exists()
    with pytest.raises(ValidationError, match="lead"):
        services.body_remove(actor=world.ministry_person, body=world.lead)


def test_a_body_that_proposed_actions_stays(people):
    world = plan_world(people)
    with pytest.raises(ValidationError, match="another body first"):
        services.body_remove(actor=world.ministry_person, body=world.city)


# --- The people of a body ----------------------------------------------------------------------


def test_runners_let_people_act_for_a_body_and_put_them_in_its_team(people):
    world = plan_world(people)
    colleague = UserFactory()
    assert services.body_person_add(actor=world.agency_person, body=world.city, user=colleague)
    assert policies.acts_for(colleague, world.city)
    assert colleague in team_of(world.city).people.all()

    assert services.body_person_remove(actor=world.agency_person, body=world.city, user=colleague)
    assert not policies.acts_for(colleague, world.city)
    assert colleague not in team_of(world.city).people.all()


def test_an_officer_of_the_bodys_member_adds_people_to_their_own_body(people):
    world = plan_world(people)
    colleague = UserFactory()
    services.body_person_add(actor=world.city_person, body=world.city, user=colleague)
    assert policies.acts_for(colleague, world.city)
    # The process's teams are changed by its owners: the next runner's change brings them in.
    assert colleague not in team_of(world.city).people.all()
    services.body_team_sync(actor=world.ministry_person, body=world.city)
    assert colleague in team_of(world.city).people.all()
    # Not for another body.
    with pytest.raises(PermissionDenied):
        services.body_person_add(actor=world.city_person, body=world.co_owner, user=colleague)


@pytest.mark.parametrize("role", [USER, OTHER_OFFICER])
def test_others_may_not_change_a_bodys_people(people, role):
    world = plan_world(people)
    with pytest.raises(PermissionDenied):
        services.body_person_add(actor=people[role], body=world.city, user=UserFactory())
    with pytest.raises(PermissionDenied):
        services.body_person_remove(actor=people[role], body=world.city, user=world.city_person)


def test_the_last_person_of_the_lead_stays(people):
    world = plan_world(people)
    with pytest.raises(ValidationError):
        services.body_person_remove(
            actor=world.ministry_person, body=world.lead, user=world.ministry_person
        )
    assert policies.acts_for(world.ministry_person, world.lead)


# --- Goals and objectives ----------------------------------------------------------------------


def test_runners_write_goals_and_objectives_owned_by_bodies_of_the_plan(people):
    world = plan_world(people)
    goal = services.goal_create(
        actor=world.agency_person, plan=world.plan, title="Open data", owner=world.city
    )
    assert goal.position == world.goal.position + 1
    objective = services.objective_create(
        actor=world.agency_person, goal=goal, title="Publish budgets", owner=world.city
    )
    services.goal_update(actor=world.ministry_person, goal=goal, title="Open data for all")
    services.objective_update(
        actor=world.ministry_person, objective=objective, goal=world.goal, owner=world.lead
    )
    objective.refresh_from_db()
    assert (objective.goal, objective.owner) == (world.goal, world.lead)
    assert Goal.objects.get(pk=goal.pk).title == "Open data for all"

    services.objective_delete(actor=world.ministry_person, objective=objective)
    services.goal_delete(actor=world.ministry_person, goal=goal)
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_owners_and_goals_come_from_the_same_plan(people):
    world = plan_world(people)
    other = plan_world(people.of(member=people.member), name="Another plan")
    with pytest.raises(ValidationError) as error:
        services.goal_create(
            actor=world.ministry_person, plan=world.plan, title="Two\nlines", owner=other.lead
        )
    assert set(error.value.message_dict) == {"title", "owner"}
    with pytest.raises(ValidationError) as error:
        services.objective_update(
            actor=world.ministry_person, objective=world.objective, goal=other.goal
        )
    assert set(error.value.message_dict) == {"goal"}


def test_what_holds_content_is_not_deleted(people):
    world = plan_world(people)
    with pytest.raises(ValidationError):
        services.goal_delete(actor=world.ministry_person, goal=world.goal)
    with pytest.raises(ValidationError):
        services.objective_delete(actor=world.ministry_person, objective=world.objective)


def test_contributors_and_strangers_do_not_write_goals_or_objectives(people):
    world = plan_world(people)
    for actor in (world.city_person, people[USER]):
        with pytest.raises(PermissionDenied):
            services.goal_create(actor=actor, plan=world.plan, title="X", owner=world.city)
        with pytest.raises(PermissionDenied):
            services.goal_update(actor=actor, goal=world.goal, title="X")
        with pytest.raises(PermissionDenied):
            services.objective_create(actor=actor, goal=world.goal, title="X", owner=world.city)
        with pytest.raises(PermissionDenied):
            services.objective_update(actor=actor, objective=world.objective, title="X")
        with pytest.raises(PermissionDenied):
            services.objective_delete(actor=actor, objective=world.objective)
        with pytest.raises(PermissionDenied):
            services.goal_delete(actor=actor, goal=world.goal)


def test_objectives_link_to_commitments_of_any_members_plans_with_history(people):
    world = plan_world(people)
    national = CommitmentFactory(plan=ActionPlanFactory(member=people.member, published=True))
    local = CommitmentFactory(
        plan=ActionPlanFactory(member=world.city.institution.member, published=True)
    )
    before = world.objective.history.count()
    for commitment in (national, local):
        assert services.objective_link_commitment(
            actor=world.ministry_person, objective=world.objective, commitment=commitment
        )
    assert not services.objective_link_commitment(
        actor=world.ministry_person, objective=world.objective, commitment=local
    )
    assert set(world.objective.commitments.all()) == {national, local}
    assert set(local.joint_plan_objectives.all()) == {world.objective}
    assert world.objective.history.count() > before

    assert services.objective_unlink_commitment(
        actor=world.ministry_person, objective=world.objective, commitment=local
    )
    assert list(world.objective.commitments.all()) == [national]
    latest = world.objective.history.order_by("-history_id").first()
    assert latest.history_user == world.ministry_person


def test_links_need_a_runner_and_a_commitment_they_may_read(people):
    world = plan_world(people)
    draft = CommitmentFactory(plan=ActionPlanFactory())  # another member's draft
    with pytest.raises(ValidationError):
        services.objective_link_commitment(
            actor=world.ministry_person, objective=world.objective, commitment=draft
        )
    public = CommitmentFactory(plan=ActionPlanFactory(published=True))
    with pytest.raises(PermissionDenied):
        services.objective_link_commitment(
            actor=world.city_person, objective=world.objective, commitment=public
        )
    with pytest.raises(PermissionDenied):
        services.objective_unlink_commitment(
            actor=world.city_person, objective=world.objective, commitment=public
        )


# --- Participation ---------------------------------------------------------------------------


def test_a_plan_is_a_participation_space_owned_by_its_lead_and_co_owners(people):
    world = plan_world(people)
    city_co_owner = InstitutionFactory(member=LocalMemberFactory(), kind=Institution.Kind.OTHER)
    services.body_add(
        actor=world.ministry_person, plan=world.plan, institution=city_co_owner, role="co_owner"
    )
    adapter = interface.space_adapter(world.plan)
    assert interface.slug_for(world.plan) == "joint-plan"
    assert interface.slug_for(Action) == "joint-plan-action"
    assert adapter.primary_member(world.plan) == people.member
    assert adapter.owners(world.plan) == [people.member, city_co_owner.member]
    assert adapter.may_respond(world.agency_person, world.plan)
    assert not adapter.may_respond(world.city_person, world.plan)
    assert not adapter.consultation_required(world.plan)
    assert str(adapter.nouns.space) == "plan" and str(adapter.nouns.items) == "actions"
    assert interface.space_of(world.actions[0]) == world.plan


def test_internal_plans_and_actions_are_read_by_their_bodies(people):
    world = plan_world(people, visibility="internal")
    plans, actions = interface.adapter_for(JointPlan), interface.adapter_for(Action)
    stranger = people[USER]
    action = world.actions[0]
    assert not plans.may_read(stranger, world.plan)
    assert not plans.readable(stranger, JointPlan.objects.all()).exists()
    assert plans.may_read(world.city_person, world.plan)
    assert not actions.readable(stranger, Action.objects.all()).exists()

    public = plan_world(people.of(member=people.member), name="Public plan")
    hidden = public.actions[0]
    action_services.action_update(actor=public.city_person, action=hidden, internal=True)
    hidden.refresh_from_db()
    assert not actions.may_read(stranger, hidden)
    assert set(actions.readable(stranger, Action.objects.all())) == {public.actions[1]}
    assert actions.may_read(public.city_person, hidden)
    assert hidden in actions.readable(public.agency_person, Action.objects.all())
    assert actions.may_read(people[OGP_ADMIN], action)


# --- The plan page -----------------------------------------------------------------------------


def test_the_plan_page_holds_the_tree_bodies_and_linked_commitments(people):
    world = plan_world(people)
    commitment = CommitmentFactory(plan=ActionPlanFactory(member=people.member, published=True))
    draft = CommitmentFactory(plan=ActionPlanFactory())
    services.objective_link_commitment(
        actor=world.ministry_person, objective=world.objective, commitment=commitment
    )
    world.objective.commitments.add(draft)  # linked, but the reader may not see it
    action_services.action_update(actor=world.city_person, action=world.actions[0], internal=True)

    page = plan_page(world.plan, people[USER])
    assert [body.role for body in page.bodies] == ["lead", "co_owner", "contributor"]
    assert page.central == [world.lead, world.co_owner] and page.local == [world.city]
    [goal] = page.goals
    [objective] = goal.objectives
    assert objective.commitments == [commitment]
    assert [a.title for a in objective.actions] == [world.actions[1].title]
    assert not page.runs_plan and page.my_bodies == []

    mine = plan_page(world.plan, world.city_person)
    assert mine.my_bodies == [world.city] and not mine.runs_plan
    assert [a.pk for a in mine.goals[0].objectives[0].actions] == [a.pk for a in world.actions]
    first = mine.goals[0].objectives[0].actions[0]
    assert first.proposed_by == world.city and first.input.disposition == "pending"
    assert plan_page(world.plan, world.agency_person).runs_plan


def test_an_internal_plans_page_is_not_for_strangers(people):
    world = plan_world(people, visibility="internal")
    assert plan_page(world.plan, people[USER]) is None
    assert plan_page(world.plan, world.city_person) is not None


def test_the_plan_page_reads_in_constant_queries(people):
    world = plan_world(people)
    reader = world.city_person
    extra_body = services.body_add(
        actor=world.ministry_person,
        plan=world.plan,
        institution=InstitutionFactory(member=people.member),
        role="contributor",
    )

    def grow(total):
        def setup():
            count = Action.objects.filter(plan=world.plan).count()
            for number in range(count, total):
                objective = world.objective if number % 2 else Objective.objects.last()
                action = Action.objects.create(
                    plan=world.plan,
                    objective=objective,
                    title=f"Action {number}",
                    proposed_by=world.city,
                    lead=world.co_owner,
                    created_by=reader,
                    internal=bool(number % 3),
                )
                action.contributors.add(extra_body, world.lead)
            goal = services.goal_create(
                actor=world.ministry_person,
                plan=world.plan,
                title=f"Goal {total}",
                owner=world.lead,
            )
            objective = services.objective_create(
                actor=world.ministry_person, goal=goal, title=f"Obj {total}", owner=world.city
            )
            objective.commitments.add(
                CommitmentFactory(plan=ActionPlanFactory(member=people.member, published=True))
            )
            MemberRoleFactory(member=people.member)  # unrelated data grows too
            return world.plan

        return setup

    def page(plan):
        # The reader as a new request sees them, with nothing read yet.
        result = plan_page(plan, type(reader).objects.get(pk=reader.pk))
        for goal in result.goals:
            for objective in goal.objectives:
                for action in objective.actions:
                    assert action.proposed_by.institution.name
                    assert action.input is None or action.input.disposition
                [c.plan.member.name for c in objective.commitments]

    assert_queries_constant(page, grow(10), grow(100))
