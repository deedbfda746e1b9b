from django.http import Http404

from .. import selectors
from ..models import Commitment


def visible_commitment(request, identifier: str) -> Commitment:
    """The commitment with its plan, member, lead institution and assessment; 404 for those who
    may not see it (so that a draft does not even show it exists)."""
    commitment = selectors.commitment_detail(user=request.user, identifier=identifier, parts=False)
    if commitment is None:
        raise Http404
    return commitment
