"""Template tags that show action plans on pages of other apps.

The members app knows nothing of plans (arrows point from action_plans to members), so the
member page asks for its plans through `{% load action_plans %}{% member_plans member %}`.
"""

from django import template

from .. import policies, selectors

register = template.Library()


@register.inclusion_tag("action_plans/_member_plans.html", takes_context=True)
def member_plans(context, member):
    """The member's action plans the current user may see (drafts only for its team), a button
    to start one for those who may, and the member's "acting contrary to process" records.
    Costs a constant number of queries, however many plans the member has."""
    request = context.get("request")
    user = request.user if request is not None else context["user"]
    plans = selectors.member_plans(user=user, member=member)
    visible = {plan.identifier for plan in plans}
    records = [
        {"record": record, "plan_visible": record.plan_identifier in visible}
        for record in member.contrary_to_process.all()
    ]
    return {
        "member": member,
        "plans": plans,
        "can_create_plan": policies.can_create_plan(user, member),
        "contrary_records": records,
    }
