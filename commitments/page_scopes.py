"""Which cached pages a change to a commitment, or to what it holds, touches (see
`ogp_platform.pagecache`): its plan's member's pages and the commitment explorer. Declared in
`CommitmentsConfig.ready()`."""

from action_plans.page_scopes import plan_member_scope
from ogp_platform.pagecache import EXPLORER, ignore, track

from .models import (
    Assessment,
    Commitment,
    CommitmentImport,
    CommitmentNumbering,
    Evidence,
    Milestone,
    ProgressReport,
)


def _commitment(commitment_id) -> tuple[str, ...]:
    plan_id = Commitment.objects.values_list("plan_id", flat=True).get(pk=commitment_id)
    return (plan_member_scope(plan_id), EXPLORER)


def register() -> None:
    track(Commitment, lambda c: (plan_member_scope(c.plan_id), EXPLORER))
    for model in (Milestone, ProgressReport, Assessment):
        track(model, lambda obj: _commitment(obj.commitment_id))
    track(Evidence, lambda e: _commitment(e.report.commitment_id))
    # An import's bookkeeping and the numbering counter show on no page.
    ignore(CommitmentImport, CommitmentNumbering)
