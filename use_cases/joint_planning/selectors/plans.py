"""Reads of a joint plan: the actions a person may see, and the plan page (goals → objectives →
actions, its bodies with their levels, each objective's linked commitments), in a constant
number of queries whatever the size of the plan."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from commitments.models import Commitment
from commitments.policies import commitments_visible_to
from ogp_platform import roles
from ogp_platform.members.policies import is_ogp_admin

from .. import policies
from ..models import Action, Goal, JointPlan, Objective, PlanBody

ROLE_ORDER = {role: number for number, role in enumerate(PlanBody.Role.values)}


def actions_visible_to(user) -> QuerySet[Action]:
    """The actions the user may read (the list question beside `policies.can_view_action`):
    those of the plans they may read, the internal ones only for the people of the plan's
    bodies and OGP admins."""
    actions = Action.objects.filter(plan__in=policies.plans_visible_to(user).values("pk"))
    if is_ogp_admin(user):
        return actions
    if not (user.is_authenticated and user.is_active):
        return actions.filter(internal=False)
    mine = roles.objects_with_permission(
        user, policies.ACT_FOR_BODY, PlanBody.objects.all()
    ).values("plan_id")
    return actions.filter(Q(internal=False) | Q(plan__in=mine))


@dataclass
class ObjectivePart:
    objective: Objective
    owner: PlanBody
    commitments: list[Commitment]
    actions: list[Action] = field(default_factory=list)


@dataclass
class GoalPart:
    goal: Goal
    owner: PlanBody
    objectives: list[ObjectivePart] = field(default_factory=list)


@dataclass
class PlanPage:
    plan: JointPlan
    bodies: list[PlanBody]
    goals: list[GoalPart]
    # The bodies the reader acts for, and whether they run the plan.
    my_bodies: list[PlanBody]
    runs_plan: bool

    @property
    def central(self) -> list[PlanBody]:
        return [body for body in self.bodies if body.level == PlanBody.Level.CENTRAL]

    @property
    def local(self) -> list[PlanBody]:
        return [body for body in self.bodies if body.level == PlanBody.Level.LOCAL]


def plan_page(plan: JointPlan, user) -> PlanPage | None:
    """What the plan page shows the user, or None when they may not read the plan. Each action
    carries `proposed_by`, `lead`, its contributing bodies (`body_list`) and its register entry
    (`input`, with the decision's reason); each objective the commitments the user may read."""
    if not policies.can_view_plan(user, plan):
        return None
    bodies = sorted(
        PlanBody.objects.filter(plan=plan).select_related("institution__member").order_by("pk"),
        key=lambda body: (ROLE_ORDER[body.role], body.pk),
    )
    by_id = {body.pk: body for body in bodies}
    # The reader's grants on every body at once (two queries), then each from memory.
    roles.prefetch(user, bodies)
    my_bodies = [
        body for body in bodies if roles.has_object_permission(user, policies.ACT_FOR_BODY, body)
    ]
    runs = is_ogp_admin(user) or any(body.runs_the_plan for body in my_bodies)

    visible_commitments = commitments_visible_to(user).select_related("plan__member")
    objectives = list(
        Objective.objects.filter(plan=plan)
        .order_by("goal__position", "goal_id", "position", "pk")
        .prefetch_related(Prefetch("commitments", queryset=visible_commitments.order_by("pk")))
    )
    actions = Action.objects.filter(plan=plan).select_related("input").order_by("pk")
    if not (my_bodies or is_ogp_admin(user)):
        actions = actions.filter(internal=False)
    contributors = {}
    through = Action.contributors.through.objects.filter(action__plan=plan).values_list(
        "action_id", "planbody_id"
    )
    for action_id, body_id in through:
        contributors.setdefault(action_id, []).append(by_id[body_id])

    goals = {
        goal.pk: GoalPart(goal=goal, owner=by_id[goal.owner_id])
        for goal in Goal.objects.filter(plan=plan).order_by("position", "pk")
    }
    parts = {}
    for objective in objectives:
        part = ObjectivePart(
            objective=objective,
            owner=by_id[objective.owner_id],
            commitments=list(objective.commitments.all()),
        )
        parts[objective.pk] = part
        goals[objective.goal_id].objectives.append(part)
    for action in actions:
        action.proposed_by = by_id[action.proposed_by_id]
        action.lead = by_id.get(action.lead_id)
        action.body_list = contributors.get(action.pk, [])
        parts[action.objective_id].actions.append(action)
    return PlanPage(
        plan=plan, bodies=bodies, goals=list(goals.values()), my_bodies=my_bodies, runs_plan=runs
    )
