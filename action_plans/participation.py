"""Plans are participation spaces: people comment on a plan, consultations are held on it while
it is in co-creation, and its register answers what was said about it and its commitments."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ogp_platform.members.policies import can_draft_plans
from participation.interface import Nouns, SpaceAdapter

from . import contents, policies
from .models import ActionPlan

NOUNS = Nouns(space=_("plan"), spaces=_("plans"), item=_("commitment"), items=_("commitments"))


class PlanParticipation(SpaceAdapter):
    # What `may_read` and `breadcrumbs` read beyond the object (the plan's member).
    related = ("member",)
    nouns = NOUNS

    def title(self, plan: ActionPlan) -> str:
        return f"{plan.identifier} {plan.title}"

    def readable(self, user, queryset):
        return queryset.filter(pk__in=policies.plans_visible_to(user).values("pk"))

    def may_read(self, user, plan: ActionPlan) -> bool:
        return policies.can_view_plan(user, plan)

    def primary_member(self, plan: ActionPlan):
        return plan.member

    def may_respond(self, user, plan: ActionPlan) -> bool:
        return can_draft_plans(user, plan.member)

    def accepts_consultation(self, plan: ActionPlan) -> bool:
        return plan.status == ActionPlan.Status.COCREATION

    def children(self, plan: ActionPlan):
        """The plan's commitments, in order: what an input can be taken into (as the app that
        holds them gives them: `contents`)."""
        return contents.provider().takeable(plan)

    def consultation_rule(self, plan: ActionPlan) -> str:
        return gettext("Consultations are held while a plan is in co-creation.")

    def register_rule(self, plan: ActionPlan) -> str:
        return gettext("The plan cannot be submitted while any input is pending.")
