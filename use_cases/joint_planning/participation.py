"""Joint plans are participation spaces and their actions targets (see
`participation.interface`): people comment on a plan and on its actions, follow them and are
notified; feedback is always open. The plan's register holds each proposed action's entry
(`Action.input`), whose reasoned response is the consolidation decision. Registered in
`JointPlanningConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from participation.interface import Nouns, SpaceAdapter, TargetAdapter

from . import policies
from .models import Action, JointPlan, PlanBody
from .selectors.plans import actions_visible_to

NOUNS = Nouns(space=_("plan"), spaces=_("plans"), item=_("action"), items=_("actions"))


def lead_body(plan: JointPlan) -> PlanBody:
    """The plan's lead body with its institution and member, read once per plan object."""
    if "_lead_body" not in plan.__dict__:
        plan.__dict__["_lead_body"] = (
            PlanBody.objects.select_related("institution__member")
            .filter(plan=plan, role=PlanBody.Role.LEAD)
            .first()
        )
    return plan.__dict__["_lead_body"]


class JointPlanParticipation(SpaceAdapter):
    nouns = NOUNS

    def title(self, plan: JointPlan) -> str:
        return plan.name

    def readable(self, user, queryset):
        return queryset.filter(pk__in=policies.plans_visible_to(user).values("pk"))

    def may_read(self, user, plan: JointPlan) -> bool:
        return policies.can_view_plan(user, plan)

    def primary_member(self, plan: JointPlan):
        """The member of the lead body."""
        return lead_body(plan).institution.member

    def owners(self, plan: JointPlan) -> list:
        """The members of the lead and co-owner bodies, the lead's first."""
        primary = self.primary_member(plan)
        others = (
            type(primary)
            .objects.filter(
                institutions__joint_plan_bodies__plan=plan,
                institutions__joint_plan_bodies__role=PlanBody.Role.CO_OWNER,
            )
            .exclude(pk=primary.pk)
            .distinct()
            .order_by("pk")
        )
        return [primary, *others]

    def may_respond(self, user, plan: JointPlan) -> bool:
        """The people of the lead and co-owner bodies (and OGP admins): they decide on the
        actions."""
        return policies.runs_plan(user, plan)

    def consultation_required(self, plan: JointPlan) -> bool:
        return False

    def children(self, plan: JointPlan):
        """Its actions, in the order of the plan: what an input can be taken into."""
        return Action.objects.filter(plan=plan).order_by(
            "objective__goal__position",
            "objective__goal_id",
            "objective__position",
            "objective_id",
            "pk",
        )


class ActionParticipation(TargetAdapter):
    """An action is read by those who may read its plan, an internal one by the plan's bodies
    only. Its comments show on participation's discussion page for it."""

    related = ("plan",)
    comments_on_own_page = False

    def title(self, action: Action) -> str:
        return action.title

    def url(self, action: Action) -> str:
        return f"{action.plan.get_absolute_url()}#action-{action.pk}"

    def space(self, action: Action):
        return action.plan

    def readable(self, user, queryset):
        return queryset.filter(pk__in=actions_visible_to(user).values("pk"))

    def may_read(self, user, action: Action) -> bool:
        return policies.can_view_action(user, action)


def register() -> None:
    from participation import interface

    interface.register(JointPlan, JointPlanParticipation(), slug="joint-plan")
    interface.register(Action, ActionParticipation(), slug="joint-plan-action")
