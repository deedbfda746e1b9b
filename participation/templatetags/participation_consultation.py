"""The consultation panel on a space's page (the plan page): `{% consultation_panel plan %}`.

Participation knows nothing of plans: the tag takes any participable space, asks
`participation.selectors.current_consultation_on_request` for the consultation that governs it
(read once per request, shared with the page's other participation blocks), and the policies
for what the current user may do. It costs at most one query (the space's consultations), plus
the user's roles on the member, which the page has usually read already.
"""

from django import template

from .. import policies, selectors
from ..interface import space_adapter
from ..links import consultation_create_url
from ..models import Consultation

register = template.Library()


@register.inclusion_tag("participation/consultations/_panel.html", takes_context=True)
def consultation_panel(context, space):
    request = context.get("request")
    user = request.user if request is not None else context["user"]
    consultation = selectors.current_consultation_on_request(request, space)
    can_hold = policies.can_hold_consultation(user, space)
    finished = consultation is None or consultation.state == Consultation.State.CLOSED
    adapter = space_adapter(space)
    return {
        "space": space,
        "nouns": adapter.nouns,
        "always_open": not adapter.consultation_required(space),
        "consultation_rule": adapter.consultation_rule(space),
        "consultation": consultation,
        "create_url": consultation_create_url(space) if can_hold and finished else "",
        "can_edit": bool(consultation)
        and policies.can_change_consultation(user, consultation, space),
        "can_open": bool(consultation)
        and policies.can_open_consultation(user, consultation, space),
        "can_close": bool(consultation)
        and policies.can_close_consultation(user, consultation, space),
    }
