"""A joint plan for the tests of prioritisation rounds, made with the ORM (and the co-production
service for the process the plan runs as).

`round_world()` is an active plan with five bodies, each with one person acting for it:

- a ministry (lead) and an agency (co-owner), institutions of a national member: central;
- a city and a town (contributors), institutions of OGP Local members: local;
- a region (observer), local: it reads and does not allocate;

a goal, an objective, and `actions` proposed actions under it (A, B, C...)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from ogp_platform import roles
from ogp_platform.members.models import MemberRole
from tests.factories import UserFactory
from tests.members.factories import (
    InstitutionFactory,
    LocalMemberFactory,
    MemberFactory,
    MemberRoleFactory,
)
from use_cases.coproduction.services import processes as process_services
from use_cases.joint_planning.models import Action, Goal, JointPlan, Objective, PlanBody, Round
from use_cases.joint_planning.policies import ACT_FOR_BODY
from use_cases.joint_planning.services import rounds as round_services

MINISTRY, AGENCY, CITY, TOWN, REGION = "ministry", "agency", "city", "town", "region"
ROLES = {
    MINISTRY: PlanBody.Role.LEAD,
    AGENCY: PlanBody.Role.CO_OWNER,
    CITY: PlanBody.Role.CONTRIBUTOR,
    TOWN: PlanBody.Role.CONTRIBUTOR,
    REGION: PlanBody.Role.OBSERVER,
}
CENTRAL_BODIES = (MINISTRY, AGENCY)


@dataclass
class RoundWorld:
    plan: JointPlan
    creator: object
    bodies: dict[str, PlanBody]
    people: dict[str, object]
    objective: Objective
    actions: list[Action] = field(default_factory=list)

    def body(self, name: str) -> PlanBody:
        return self.bodies[name]

    def person(self, name: str):
        return self.people[name]

    @property
    def lead(self):
        """The person of the lead body (who runs the plan)."""
        return self.people[MINISTRY]


def add_actions(world: RoundWorld, count: int, *, status=Action.Status.PROPOSED, objective=None):
    """`count` more actions under the objective, proposed by the city; returns them."""
    objective = objective or world.objective
    start = Action.objects.filter(plan=world.plan).count()
    made = [
        Action.objects.create(
            plan=world.plan,
            objective=objective,
            title=f"Action {start + number + 1}",
            proposed_by=world.bodies[CITY],
            status=status,
            created_by=world.creator,
        )
        for number in range(count)
    ]
    if objective == world.objective and status == Action.Status.PROPOSED:
        world.actions.extend(made)
    return made


def round_world(*, actions: int = 3) -> RoundWorld:
    national = MemberFactory()
    creator = MemberRoleFactory(member=national, role=MemberRole.Role.POINT_OF_CONTACT).user
    process = process_services.process_create(
        actor=creator,
        name="Joint strategic plan",
        description="The ministry and the cities plan together.",
        languages=["en"],
        owner_members=[national],
        visibility="public",
    )
    today = timezone.localdate()
    plan = JointPlan.objects.create(
        name="Joint strategic plan 2025-2027",
        slug=f"joint-plan-{process.pk}",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=3 * 365),
        status=JointPlan.Status.ACTIVE,
        process=process,
        created_by=creator,
    )
    institutions = {
        MINISTRY: InstitutionFactory(member=national, name="Ministry of Finance"),
        AGENCY: InstitutionFactory(member=national, name="Digital Agency"),
        CITY: InstitutionFactory(member=LocalMemberFactory(), name="City of Reggio"),
        TOWN: InstitutionFactory(member=LocalMemberFactory(), name="Town of Scandiano"),
        REGION: InstitutionFactory(member=LocalMemberFactory(), name="Region"),
    }
    bodies, people = {}, {}
    for name, institution in institutions.items():
        body = PlanBody.objects.create(
            plan=plan,
            institution=institution,
            role=ROLES[name],
            level=PlanBody.level_of(institution),
        )
        person = UserFactory()
        roles.object_permission_grant(actor=creator, user=person, permission=ACT_FOR_BODY, obj=body)
        bodies[name], people[name] = body, person
    goal = Goal.objects.create(plan=plan, title="Open data", owner=bodies[MINISTRY])
    objective = Objective.objects.create(
        plan=plan, goal=goal, title="Publish budgets", owner=bodies[MINISTRY]
    )
    world = RoundWorld(
        plan=plan, creator=creator, bodies=bodies, people=people, objective=objective
    )
    add_actions(world, actions)
    return world


def in_a_week():
    return timezone.now() + datetime.timedelta(days=7)


def open_round(world: RoundWorld, *, method=Round.Method.POINTS, budget=100, actions=None):
    return round_services.round_open(
        actor=world.lead,
        objective=world.objective,
        title="Which actions first?",
        method=method,
        budget=budget,
        closes_at=in_a_week(),
        actions=actions,
    )


def give(world: RoundWorld, round_, name: str, points: dict):
    """The body `name` gives `points` ({action: points}) through its person."""
    return round_services.allocate_points(
        actor=world.person(name),
        round=round_,
        body=world.body(name),
        points={action.pk: value for action, value in points.items()},
    )


def rank(world: RoundWorld, round_, name: str, ordered):
    return round_services.rank_actions(
        actor=world.person(name),
        round=round_,
        body=world.body(name),
        ordered_action_ids=[action.pk for action in ordered],
    )
