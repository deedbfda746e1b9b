"""Status messages shown next to the control they are about, instead of at the top of the page.

A view that answers a form tags its message with the place it belongs to
(`messages.success(request, text, extra_tags="vote-box")`). The control renders the messages
placed with it (`placed_messages(request, "vote-box")`), and the page says which places it shows
so that the top of the page leaves them out: `placed_messages` in the context of the page
(a list of places), or in the template

    {% block messages %}
      {% include "components/messages.html" with placed_messages="vote-box" %}
    {% endblock %}

A page that does not show the place keeps the message at the top, where it is still read.
"""

from django import template
from django.contrib.messages import get_messages

register = template.Library()


def _places(placed) -> set[str]:
    if not placed:
        return set()
    if isinstance(placed, str):
        return set(placed.split())
    return {str(place) for place in placed}


def placed_messages(request, place: str) -> list:
    """The messages waiting for this request that belong next to `place`."""
    if request is None:
        return []
    return [message for message in get_messages(request) if message.extra_tags == place]


@register.simple_tag(takes_context=True)
def unplaced_messages(context) -> list:
    """The page's messages but those shown elsewhere on it (`placed_messages` in the context:
    the places the page shows, as a list or a space-separated string)."""
    places = _places(context.get("placed_messages"))
    return [
        message for message in context.get("messages") or () if message.extra_tags not in places
    ]
