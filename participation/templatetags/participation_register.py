"""The register summary on a space's page (the plan page): `{% register_summary plan %}`.

Counts of the space's inputs by disposition and the share answered, from one grouped query,
with links to the public report and, for those who respond, to the register.
"""

from django import template

from .. import policies, selectors
from ..interface import space_adapter
from ..links import register_url, report_url

register = template.Library()


@register.inclusion_tag("participation/register/_summary.html", takes_context=True)
def register_summary(context, space):
    request = context.get("request")
    user = request.user if request is not None else context["user"]
    return {
        "space": space,
        "nouns": space_adapter(space).nouns,
        "totals": selectors.register_totals(space),
        "report_url": report_url(space),
        "register_url": register_url(space) if policies.can_respond(user, space) else "",
    }
