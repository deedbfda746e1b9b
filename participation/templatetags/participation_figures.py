from django import template

from ..figures import participation_figures as compute_figures
from ..policies import can_read, consultation_required
from ..selectors import current_consultation_on_request

register = template.Library()


@register.inclusion_tag("participation/figures/_figures.html", takes_context=True)
def participation_figures(context, space):
    """Participation in figures for the space (a plan), for whoever may read it."""
    request = context["request"]
    if not can_read(request.user, space):
        return {"figures": None}
    consulted = current_consultation_on_request(
        request, space
    ) is not None or not consultation_required(space)
    return {"figures": compute_figures(space, consulted=consulted)}
