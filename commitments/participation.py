"""Commitments and milestones are participable: their plan's consultations govern them; people
support or oppose commitments."""

from action_plans.participation import PlanParticipation

from .models import Commitment, Milestone


class CommitmentParticipation(PlanParticipation):
    related = ("plan__member",)

    def title(self, commitment: Commitment) -> str:
        return f"{commitment.identifier} {commitment.title}"

    def member(self, commitment: Commitment):
        return commitment.plan.member

    def space(self, commitment: Commitment):
        return commitment.plan

    def votable(self, commitment: Commitment) -> bool:
        return True

    def may_read(self, user, commitment: Commitment) -> bool:
        return super().may_read(user, commitment.plan)

    def may_respond(self, user, commitment: Commitment) -> bool:
        return super().may_respond(user, commitment.plan)


class MilestoneParticipation(PlanParticipation):
    related = ("commitment__plan__member",)

    def title(self, milestone: Milestone) -> str:
        return milestone.title

    def member(self, milestone: Milestone):
        return milestone.commitment.plan.member

    def space(self, milestone: Milestone):
        return milestone.commitment.plan

    def votable(self, milestone: Milestone) -> bool:
        return False

    def may_read(self, user, milestone: Milestone) -> bool:
        return super().may_read(user, milestone.commitment.plan)

    def may_respond(self, user, milestone: Milestone) -> bool:
        return super().may_respond(user, milestone.commitment.plan)
