from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ogp_platform import pagecache
from ogp_platform.members.views.common import member_breadcrumbs

from .. import policies, selectors
from ..models import Commitment


@require_GET
@pagecache.cached_page(pagecache.owner_by(Commitment, "identifier", "plan__member_id"))
def detail(request, identifier):
    """A commitment in OGP's template: its sections, values, institutions, milestones, progress
    and assessment."""
    commitment = selectors.commitment_detail(user=request.user, identifier=identifier)
    if commitment is None:
        raise Http404
    user = request.user
    plan = commitment.plan
    return render(
        request,
        "commitments/commitment_detail.html",
        {
            "commitment": commitment,
            "plan": plan,
            "milestones": commitment.milestones.all(),
            "assessment": getattr(commitment, "assessment", None),
            "can_edit": policies.can_edit_commitment(user, commitment),
            "can_report_progress": policies.can_report_progress(user, commitment),
            "can_assess": policies.can_assess(user, commitment),
            "missing": commitment.missing_for_submission() if plan.is_editable else [],
            "breadcrumbs": [
                *member_breadcrumbs(plan.member),
                (plan.identifier, plan.get_absolute_url()),
            ],
        },
    )
