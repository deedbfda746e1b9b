"""Plans are participable: people comment on a plan, and consultations are held on it."""

from django.db.models import prefetch_related_objects

from ogp_platform.members.policies import can_draft_plans

from . import policies
from .models import ActionPlan


class PlanParticipation:
    # What `may_read` reads beyond the object (the plan's member), from the object.
    related = ("member",)

    def prepare(self, objects: list) -> None:
        prefetch_related_objects(objects, *self.related)

    def title(self, plan: ActionPlan) -> str:
        return f"{plan.identifier} {plan.title}"

    def member(self, plan: ActionPlan):
        return plan.member

    def space(self, plan: ActionPlan) -> ActionPlan:
        return plan

    def votable(self, plan: ActionPlan) -> bool:
        return False

    def may_read(self, user, plan: ActionPlan) -> bool:
        return policies.can_view_plan(user, plan)

    def may_respond(self, user, plan: ActionPlan) -> bool:
        return can_draft_plans(user, plan.member)

    def accepts_consultation(self, plan: ActionPlan) -> bool:
        return plan.status == ActionPlan.Status.COCREATION

    def children(self, plan: ActionPlan):
        """The plan's commitments, in order: what an input can be taken into."""
        return plan.commitments.order_by("position", "number")
