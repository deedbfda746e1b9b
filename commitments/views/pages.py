from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from ogp_platform import pagecache
from ogp_platform.members.views.common import member_breadcrumbs

from .. import policies, selectors
from ..models import Commitment


@require_GET
@pagecache.cached_page(pagecache.owner_by(Commitment, "identifier", "plan__member_id"))
def detail(request, identifier):
    """A commitment in OGP's template: its sections, values, institutions, milestones, progress
    and assessment.

    Everyone who may not change the commitment (edit, report progress, assess) sees the same
    sections, facts, milestones, progress and assessment: that HTML is shared in the cache for
    as long as nothing of the member changes, and those parts are then not even read. What is
    theirs (their vote, the comments' controls) is rendered for each."""
    user = request.user
    commitment = selectors.commitment_detail(user=user, identifier=identifier, parts=False)
    if commitment is None:
        raise Http404
    plan = commitment.plan
    can_edit = policies.can_edit_commitment(user, commitment)
    can_report_progress = policies.can_report_progress(user, commitment)
    can_assess = policies.can_assess(user, commitment)
    shared_version = None
    if not (can_edit or can_report_progress or can_assess):
        shared_version = pagecache.version(pagecache.EPOCH, pagecache.member_scope(plan.member_id))
    if shared_version is None:
        full = selectors.load_page_parts(commitment)
        milestones = commitment.milestones.all()
    else:
        full = SimpleLazyObject(lambda: selectors.load_page_parts(commitment))
        milestones = SimpleLazyObject(lambda: list(full.milestones.all()))
    return render(
        request,
        "commitments/commitment_detail.html",
        {
            "commitment": commitment,
            "full": full,
            "shared_version": shared_version,
            "plan": plan,
            "milestones": milestones,
            "assessment": getattr(commitment, "assessment", None),
            "can_edit": can_edit,
            "can_report_progress": can_report_progress,
            "can_assess": can_assess,
            "missing": commitment.missing_for_submission() if plan.is_editable else [],
            "breadcrumbs": [
                *member_breadcrumbs(plan.member),
                (plan.identifier, plan.get_absolute_url()),
            ],
        },
    )
