"""Commitments and milestones are participable: their plan's consultations and register govern
them; people support or oppose commitments."""

from action_plans import policies as plan_policies
from participation.interface import TargetAdapter

from .models import Commitment, Milestone


class CommitmentParticipation(TargetAdapter):
    related = ("plan__member",)

    def title(self, commitment: Commitment) -> str:
        return f"{commitment.identifier} {commitment.title}"

    def space(self, commitment: Commitment):
        return commitment.plan

    def votable(self, commitment: Commitment) -> bool:
        return True

    def readable(self, user, queryset):
        return queryset.filter(plan__in=plan_policies.plans_visible_to(user).values("pk"))

    def may_read(self, user, commitment: Commitment) -> bool:
        return plan_policies.can_view_plan(user, commitment.plan)


class MilestoneParticipation(TargetAdapter):
    related = ("commitment__plan__member",)
    # A milestone is a part of its commitment's page, which has no comments section for it:
    # its comments show on a discussion page of their own.
    comments_on_own_page = False

    def title(self, milestone: Milestone) -> str:
        return milestone.title

    def space(self, milestone: Milestone):
        return milestone.commitment.plan

    def readable(self, user, queryset):
        return queryset.filter(
            commitment__plan__in=plan_policies.plans_visible_to(user).values("pk")
        )

    def may_read(self, user, milestone: Milestone) -> bool:
        return plan_policies.can_view_plan(user, milestone.commitment.plan)
