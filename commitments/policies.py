"""Who may read and change commitments, milestones, progress reports and assessments.

A commitment is as visible as its plan and editable while its plan is (see
`action_plans.policies`). Progress is reported by the member's drafters once implementation
started; IRM assessors (OGP admins holding the IRM role) enter assessments after submission.
"""

from django.db.models import QuerySet

from action_plans import policies as plan_policies
from action_plans.models import ActionPlan
from ogp_platform.members.policies import can_draft_plans, is_ogp_admin

from .models import Commitment

REPORTING_STATUSES = (ActionPlan.Status.IMPLEMENTATION, ActionPlan.Status.ENDED)
ASSESSABLE_STATUSES = (
    ActionPlan.Status.SUBMITTED,
    ActionPlan.Status.IMPLEMENTATION,
    ActionPlan.Status.ENDED,
)


def is_irm_assessor(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.has_perm("commitments.assess_commitment")
    )


def commitments_visible_to(user) -> QuerySet[Commitment]:
    return Commitment.objects.filter(plan__in=plan_policies.plans_visible_to(user))


def can_view_commitment(user, commitment: Commitment) -> bool:
    return plan_policies.can_view_plan(user, commitment.plan)


def can_add_commitment(user, plan: ActionPlan) -> bool:
    return plan_policies.can_edit_plan(user, plan)


def can_edit_commitment(user, commitment: Commitment) -> bool:
    """Edit, reorder or remove the commitment and its milestones."""
    return plan_policies.can_edit_plan(user, commitment.plan)


def can_report_progress(user, commitment: Commitment) -> bool:
    return commitment.plan.status in REPORTING_STATUSES and can_draft_plans(
        user, commitment.plan.member
    )


def can_assess(user, commitment: Commitment) -> bool:
    return commitment.plan.status in ASSESSABLE_STATUSES and is_irm_assessor(user)


def can_import_commitments(user) -> bool:
    """Load the IRM's commitments dataset from the upload page and read its reports: OGP
    admins."""
    return is_ogp_admin(user)
