"""Reads of commitments and milestones, already filtered to what the user may see and loaded with
what their pages show, in a number of queries that does not grow with the data."""

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from action_plans.models import ActionPlan

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


# --- My work (ogp_platform/dashboard.py) ------------------------------------------------------


def commitments_being_drafted(*, members, limit: int) -> tuple[list[Commitment], int]:
    """The commitments of the members' plans still being written (draft or co-creation), the
    most recently changed first (at most `limit`, each with its plan and `missing`: what OGP's
    template still needs of it, milestones included), and how many there are. Two queries."""
    drafts = Commitment.objects.filter(
        plan__member__in=members, plan__status__in=ActionPlan.EDITABLE
    ).exclude(status=Commitment.Status.WITHDRAWN)
    count = drafts.count()
    if not count:
        return [], 0
    rows = list(
        drafts.select_related("plan")
        .defer("search_document")
        .annotate(milestone_count=Count("milestones"))
        .order_by("-updated_at", "-pk")[:limit]
    )
    for commitment in rows:
        commitment.missing = commitment.missing_for_submission()
        if not commitment.milestone_count:
            commitment.missing.append(_("at least one milestone"))
    return rows, count
