"""Who may do what in joint plans. A person acts for a body of a plan when they hold the object
permission `joint_planning.act_for_body` on it (granted per plan with `ogp_platform.roles`);
the people of the lead and co-owner bodies run the plan; OGP admins may do what they do.

- read a plan: anyone when it is public; its bodies' people (and OGP admins) when internal;
  an internal action is read by the plan's bodies only;
- propose actions, allocate points, record measurements: the people of a participating body
  (lead, co-owner or contributor; observers read);
- open and close rounds, consolidate, merge or reject actions: the people of the lead and
  co-owner bodies, and OGP admins."""

from django.db.models import QuerySet

from ogp_platform import roles
from ogp_platform.members.policies import is_ogp_admin

from .models import Action, JointPlan, PlanBody

ACT_FOR_BODY = "joint_planning.act_for_body"
# The roles whose people take part (propose, allocate, measure); observers only read.
PARTICIPATING = (PlanBody.Role.LEAD, PlanBody.Role.CO_OWNER, PlanBody.Role.CONTRIBUTOR)
RUNNING = (PlanBody.Role.LEAD, PlanBody.Role.CO_OWNER)


def acts_for(user, body: PlanBody) -> bool:
    """Whether the user acts for this body (an explicit grant: OGP admins act for no body)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.pk in roles.holder_ids(ACT_FOR_BODY, body)


def bodies_of(user, plan: JointPlan) -> QuerySet[PlanBody]:
    """The bodies of the plan the user acts for (one query)."""
    if not user.is_authenticated or not user.is_active:
        return PlanBody.objects.none()
    return roles.objects_with_permission(
        user, ACT_FOR_BODY, PlanBody.objects.filter(plan=plan)
    ).select_related("institution__member")


def takes_part(user, plan: JointPlan) -> bool:
    """In a body of the plan that takes part (not only an observer)."""
    return bodies_of(user, plan).filter(role__in=PARTICIPATING).exists()


def runs_plan(user, plan: JointPlan) -> bool:
    """The people of the lead and co-owner bodies, and OGP admins."""
    if not user.is_authenticated:
        return False
    return is_ogp_admin(user) or bodies_of(user, plan).filter(role__in=RUNNING).exists()


def can_act_for(user, body: PlanBody, *, participating: bool = True) -> bool:
    """May the user act in the name of `body` (propose, allocate points, measure)?"""
    if participating and body.role not in PARTICIPATING:
        return False
    return acts_for(user, body)


def can_view_plan(user, plan: JointPlan) -> bool:
    if plan.visibility == JointPlan.Visibility.PUBLIC or is_ogp_admin(user):
        return True
    return bodies_of(user, plan).exists()


def plans_visible_to(user) -> QuerySet[JointPlan]:
    plans = JointPlan.objects.all()
    if is_ogp_admin(user):
        return plans
    public = plans.filter(visibility=JointPlan.Visibility.PUBLIC)
    if not user.is_authenticated:
        return public
    mine = roles.objects_with_permission(user, ACT_FOR_BODY, PlanBody.objects.all()).values(
        "plan_id"
    )
    return plans.filter(pk__in=public.values("pk")) | plans.filter(pk__in=mine)


def can_view_action(user, action: Action) -> bool:
    if not can_view_plan(user, action.plan):
        return False
    return not action.internal or is_ogp_admin(user) or bodies_of(user, action.plan).exists()
