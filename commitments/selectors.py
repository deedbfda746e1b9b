"""Reads of commitments and milestones, already filtered to what the user may see and loaded with
what their pages show, in a number of queries that does not grow with the data."""

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from . import policies
from .models import Commitment, Evidence, Milestone, PolicyArea, ProgressReport


def _milestones():
    return Milestone.objects.select_related("responsible_institution").order_by("position", "pk")


def _page_parts():
    """What the commitment page shows beyond the commitment's own row."""
    return (
        Prefetch("policy_areas", queryset=PolicyArea.objects.all()),
        "supporting_institutions",
        "partner_organisations",
        Prefetch("milestones", queryset=_milestones()),
        Prefetch(
            "progress_reports",
            queryset=ProgressReport.objects.select_related("milestone", "reported_by")
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
            .order_by("-reported_at", "-pk"),
        ),
    )


def commitment_detail(*, user, identifier: str, parts: bool = True) -> Commitment | None:
    """The commitment with everything its page shows (only its row, plan, member, lead
    institution and assessment without `parts`: `load_page_parts` adds the rest), or None when
    this user may not see it."""
    commitments = Commitment.objects.select_related(
        "plan", "plan__member", "lead_institution", "assessment", "assessment__assessed_by"
    )
    if parts:
        commitments = commitments.prefetch_related(*_page_parts())
    commitment = commitments.filter(identifier=identifier).first()
    if commitment is None or not policies.can_view_commitment(user, commitment):
        return None
    return commitment


def load_page_parts(commitment: Commitment) -> Commitment:
    """Add to a commitment read without `parts` what its page shows."""
    prefetch_related_objects([commitment], *_page_parts())
    return commitment


def editable_commitment(*, identifier: str) -> Commitment:
    """The commitment with its plan and member, for the drafting views (which check policies)."""
    return Commitment.objects.select_related("plan", "plan__member").get(identifier=identifier)


def visible_commitments(user) -> QuerySet[Commitment]:
    return policies.commitments_visible_to(user)
