"""What the audit log reads of commitments (see `ogp_platform.audit.sources`): the versions of
each commitment and of each milestone. Registered in `CommitmentsConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from action_plans.audit import plan_ids
from ogp_platform.audit import sources

from .models import Commitment, Milestone


def commitment_ids(scope: sources.MemberScope) -> list[int]:
    """The ids of every commitment the member's plans ever had, removed ones too (from their
    history), read once for the whole log."""
    return scope.ids(
        "commitments.commitments",
        lambda member: (
            Commitment.history.filter(plan_id__in=plan_ids(scope))
            .order_by()
            .values_list("id", flat=True)
            .distinct()
        ),
    )


def _commitments(ids, lookup):
    def build(record, previous):
        changes = reverse("commitments:changes", args=[record.identifier])
        subject = f"{record.identifier} {record.short_title or record.title}"
        return sources.version_entry(
            "commitment", record, previous, subject=subject, url=changes, diff_base=changes
        )

    return sources.version_entries(sources.versions(Commitment, ids), build)


def _milestones(ids, lookup):
    pairs = sources.versions(Milestone, ids)
    # A commitment's id never changes, and its history outlives it: one query finds them all.
    identifiers = dict(
        Commitment.history.filter(id__in={record.commitment_id for record, _prev in pairs})
        .order_by()
        .values_list("id", "identifier")
        .distinct()
    )

    def build(record, previous):
        identifier = identifiers.get(record.commitment_id)
        changes = (
            reverse("commitments:milestone_changes", args=[identifier, record.id])
            if identifier
            else ""
        )
        subject = _("%(title)s (milestone of %(commitment)s)") % {
            "title": record.title,
            "commitment": identifier or "?",
        }
        return sources.version_entry(
            "milestone", record, previous, subject=subject, url=changes, diff_base=changes
        )

    return sources.version_entries(pairs, build)


def register() -> None:
    sources.register(
        sources.history_source(
            "commitment",
            gettext_lazy("Commitment"),
            Commitment,
            member=lambda scope: {"plan_id__in": plan_ids(scope)},
            entries=_commitments,
        ),
        sources.history_source(
            "milestone",
            gettext_lazy("Milestone"),
            Milestone,
            member=lambda scope: {"commitment_id__in": commitment_ids(scope)},
            entries=_milestones,
        ),
    )
