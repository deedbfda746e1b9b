"""Which cached pages a change to a plan touches (see `ogp_platform.pagecache`): its member's
pages, and the member directory and the commitment explorer, which show plans' figures.
Declared in `ActionPlansConfig.ready()`."""

from ogp_platform.pagecache import DIRECTORY, EXPLORER, ignore, member_scope, own_member, track

from .models import ActionPlan, PdfExport, PlanTransition


def plan_member_scope(plan_id) -> str:
    """The scope of the member that owns the plan: for what belongs to a plan by its id."""
    return member_scope(ActionPlan.objects.values_list("member_id", flat=True).get(pk=plan_id))


def register() -> None:
    track(ActionPlan, lambda p: (*own_member(p), DIRECTORY, EXPLORER))
    track(PlanTransition, lambda t: (plan_member_scope(t.plan_id), DIRECTORY, EXPLORER))
    # A PDF is a file to download, not part of a page.
    ignore(PdfExport)
