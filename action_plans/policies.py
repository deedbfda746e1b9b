"""Who may read and change action plans. The one place that decides.

The member's points of contact and government officers draft its plans; its multistakeholder
forum members read drafts with them; OGP admins see every plan, reopen submitted ones and set
deadlines. Everyone reads a plan once its co-creation opened.
"""

from django.db.models import Q, QuerySet

from ogp_platform.members.models import MemberRole
from ogp_platform.members.policies import can_draft_plans, has_member_role, is_ogp_admin

from .models import ActionPlan

Status = ActionPlan.Status
TEAM_ROLES = (MemberRole.Role.POINT_OF_CONTACT, MemberRole.Role.OFFICER, MemberRole.Role.FORUM)


def plans_visible_to(user) -> QuerySet[ActionPlan]:
    """Published plans, plus the drafts of members the user works with (all, for OGP admins)."""
    if is_ogp_admin(user):
        return ActionPlan.objects.all()
    published = Q(published_at__isnull=False)
    if user.is_authenticated:
        team = Q(member__roles__user=user, member__roles__role__in=TEAM_ROLES)
        return ActionPlan.objects.filter(
            pk__in=ActionPlan.objects.filter(published | team).values("pk")
        )
    return ActionPlan.objects.filter(published)


def can_view_plan(user, plan: ActionPlan) -> bool:
    return plan.is_public or is_ogp_admin(user) or has_member_role(user, plan.member, *TEAM_ROLES)


def can_create_plan(user, member) -> bool:
    return can_draft_plans(user, member)


def can_edit_plan(user, plan: ActionPlan) -> bool:
    """Change the plan, its commitments and milestones: its drafters, while it is being written."""
    return plan.is_editable and can_draft_plans(user, plan.member)


def can_open_cocreation(user, plan: ActionPlan) -> bool:
    return plan.status == Status.DRAFT and can_draft_plans(user, plan.member)


def can_submit(user, plan: ActionPlan) -> bool:
    return plan.status == Status.COCREATION and can_draft_plans(user, plan.member)


def can_start_implementation(user, plan: ActionPlan) -> bool:
    return plan.status == Status.SUBMITTED and (
        can_draft_plans(user, plan.member) or is_ogp_admin(user)
    )


def can_end(user, plan: ActionPlan) -> bool:
    return plan.status == Status.IMPLEMENTATION and (
        can_draft_plans(user, plan.member) or is_ogp_admin(user)
    )


def can_withdraw(user, plan: ActionPlan) -> bool:
    return plan.status not in (Status.ENDED, Status.WITHDRAWN) and (
        can_draft_plans(user, plan.member) or is_ogp_admin(user)
    )


def can_reopen(user, plan: ActionPlan) -> bool:
    """Only OGP admins reopen a submitted plan (or one in implementation), with a reason."""
    return plan.status in (Status.SUBMITTED, Status.IMPLEMENTATION) and is_ogp_admin(user)


def can_change_deadline(user, plan: ActionPlan) -> bool:
    return is_ogp_admin(user) and plan.status not in (Status.ENDED, Status.WITHDRAWN)


def transitions_for(user, plan: ActionPlan) -> dict[str, bool]:
    """The lifecycle actions the user may take on the plan now, for the plan page."""
    return {
        "open_cocreation": can_open_cocreation(user, plan),
        "submit": can_submit(user, plan),
        "start_implementation": can_start_implementation(user, plan),
        "end": can_end(user, plan),
        "withdraw": can_withdraw(user, plan),
        "reopen": can_reopen(user, plan),
    }
