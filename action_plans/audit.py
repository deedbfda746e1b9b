"""What the audit log reads of plans (see `ogp_platform.audit.sources`): the versions of each
plan, and the steps of its lifecycle. Registered in `ActionPlansConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_platform.audit import sources

from .models import ActionPlan, PlanTransition


def plan_ids(scope: sources.MemberScope) -> list[int]:
    """The ids of the member's plans, read once for the whole log."""
    return scope.ids(
        "action_plans.plans",
        lambda member: ActionPlan.objects.filter(member_id=member).values_list("pk", flat=True),
    )


def _plans(ids, lookup):
    def build(record, previous):
        changes = reverse("action_plans:changes", args=[record.identifier])
        subject = f"{record.identifier} {record.title}"
        return sources.version_entry(
            "plan", record, previous, subject=subject, url=changes, diff_base=changes
        )

    return sources.version_entries(sources.versions(ActionPlan, ids), build)


def _transitions(ids, lookup):
    transitions = list(
        PlanTransition.objects.filter(pk__in=ids)
        .select_related("plan")
        .only("pk", "from_status", "to_status", "reason", "actor", "created_at", "plan__identifier")
    )

    def build(transition, _unused):
        summary = _("%(old)s → %(new)s") % {
            "old": transition.get_from_status_display() or "—",
            "new": transition.get_to_status_display(),
        }
        if transition.reason:
            summary = f"{summary}: {transition.reason}"
        return sources.Entry(
            kind="transition",
            date=transition.created_at,
            actor_id=transition.actor_id,
            subject=transition.plan.identifier,
            url=reverse("action_plans:detail", args=[transition.plan.identifier]),
            summary=summary,
        )

    return {transition.pk: (build, transition, None) for transition in transitions}


def register() -> None:
    sources.register(
        sources.history_source(
            "plan",
            gettext_lazy("Action plan"),
            ActionPlan,
            member=lambda scope: {"member_id": scope.member},
            entries=_plans,
        ),
        sources.Source(
            "transition",
            gettext_lazy("Plan lifecycle"),
            rows=PlanTransition.objects.all,
            date="created_at",
            user="actor_id",
            member=lambda scope: {"plan_id__in": plan_ids(scope)},
            historical=False,
            entries=_transitions,
        ),
    )
