"""Reads of commitments and milestones, already filtered to what the user may see and loaded with
what their pages show, in a number of queries that does not grow with the data."""

from django.db.models import Prefetch, QuerySet

from . import policies
from .models import Commitment, Evidence, Milestone, PolicyArea, ProgressReport


def _milestones():
    return Milestone.objects.select_related("responsible_institution").order_by("position", "pk")


def commitment_detail(*, user, identifier: str) -> Commitment | None:
    """The commitment with everything its page shows, or None when this user may not see it."""
    commitment = (
        Commitment.objects.select_related(
            "plan", "plan__member", "lead_institution", "assessment", "assessment__assessed_by"
        )
        .prefetch_related(
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
        .filter(identifier=identifier)
        .first()
    )
    if commitment is None or not policies.can_view_commitment(user, commitment):
        return None
    return commitment


def editable_commitment(*, identifier: str) -> Commitment:
    """The commitment with its plan and member, for the drafting views (which check policies)."""
    return Commitment.objects.select_related("plan", "plan__member").get(identifier=identifier)


def visible_commitments(user) -> QuerySet[Commitment]:
    return policies.commitments_visible_to(user)
