"""The changes pages of commitments and milestones: every version (who changed which fields,
when, as a word-level diff) and a comparison of any two. A removed commitment or milestone keeps
its history: it is found by its id in the historical records once the row is gone, and shown to
whoever may read its plan."""

from dataclasses import dataclass

from django.db.models import Max
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from action_plans import policies as plan_policies
from action_plans.models import ActionPlan
from ogp_platform.history import history_context
from ogp_platform.members.views.common import member_breadcrumbs

from ..models import Commitment, Milestone

# The first version lists the object's values; its parent is in the breadcrumbs already.
COMMITMENT_FIRST_VERSION_EXCLUDE = ("plan",)
MILESTONE_FIRST_VERSION_EXCLUDE = ("commitment",)


@dataclass
class Subject:
    """A commitment whose history is shown, whether it still exists or not."""

    pk: int
    identifier: str
    title: str
    plan: ActionPlan
    removed: bool

    @property
    def url(self) -> str:
        return "" if self.removed else reverse("commitments:detail", args=[self.identifier])

    @property
    def changes_url(self) -> str:
        return reverse("commitments:changes", args=[self.identifier])


def _latest(history):
    return history.order_by("-history_date", "-history_id").first()


def _commitment(request, identifier: str) -> Subject:
    """The commitment, or the last version of a removed one; 404 unless its plan is visible."""
    commitment = (
        Commitment.objects.select_related("plan", "plan__member")
        .filter(identifier=identifier)
        .only("pk", "identifier", "title", "short_title", "plan")
        .first()
    )
    if commitment is not None:
        subject = Subject(
            commitment.pk,
            commitment.identifier,
            commitment.display_title,
            commitment.plan,
            removed=False,
        )
    else:
        record = _latest(Commitment.history.filter(identifier=identifier))
        plan = (
            ActionPlan.objects.select_related("member").filter(pk=record.plan_id).first()
            if record is not None
            else None
        )
        if plan is None:
            raise Http404
        subject = Subject(
            record.id, record.identifier, record.short_title or record.title, plan, removed=True
        )
    if not plan_policies.can_view_plan(request.user, subject.plan):
        raise Http404
    return subject


def _breadcrumbs(subject: Subject, *, for_milestone: bool) -> list:
    """Member › plan › commitment: the commitment's page, or its changes from a milestone's
    changes once it is removed (a removed commitment's own changes page ends at the plan)."""
    plan = subject.plan
    crumbs = [*member_breadcrumbs(plan.member), (plan.identifier, plan.get_absolute_url())]
    if subject.url:
        crumbs.append((subject.identifier, subject.url))
    elif for_milestone:
        crumbs.append((subject.identifier, subject.changes_url))
    return crumbs


def _milestones(subject: Subject) -> list[dict]:
    """Every milestone the commitment ever had, from its latest version, removed ones too."""
    history = Milestone.history
    latest = (
        history.filter(commitment_id=subject.pk)
        .values("id")
        .annotate(last=Max("history_id"))
        .values("last")
    )
    records = (
        history.filter(history_id__in=latest).order_by("id").only("id", "title", "history_type")
    )
    return [
        {
            "identifier": "",
            "title": record.title,
            "removed": record.history_type == "-",
            "changes_url": reverse(
                "commitments:milestone_changes", args=[subject.identifier, record.id]
            ),
        }
        for record in records
    ]


def _render(request, context: dict):
    return render(
        request, "history/changes.html", context, status=400 if context["invalid"] else 200
    )


@require_GET
def commitment_changes(request, identifier):
    """Who changed what in the commitment, and when; its milestones link to their own changes."""
    subject = _commitment(request, identifier)
    history = Commitment.history.filter(id=subject.pk)
    context = history_context(request, history, exclude=COMMITMENT_FIRST_VERSION_EXCLUDE)
    context.update(
        {
            "subject": {
                "kind": _("Commitment"),
                "identifier": subject.identifier,
                "title": subject.title,
                "url": subject.url,
                "removed": subject.removed,
            },
            "breadcrumbs": _breadcrumbs(subject, for_milestone=False),
            "children": _milestones(subject),
            "children_title": _("Milestones of this commitment"),
            "children_intro": _(
                "Each milestone keeps its own history, including milestones that were removed."
            ),
        }
    )
    return _render(request, context)


@require_GET
def milestone_changes(request, identifier, pk):
    """Who changed what in the milestone, and when, even after it was removed."""
    subject = _commitment(request, identifier)
    history = Milestone.history.filter(id=pk, commitment_id=subject.pk)
    latest = _latest(history.only("id", "title", "history_type"))
    if latest is None:
        raise Http404
    context = history_context(request, history, exclude=MILESTONE_FIRST_VERSION_EXCLUDE)
    removed = latest.history_type == "-"
    context.update(
        {
            "subject": {
                "kind": _("Milestone of %(id)s") % {"id": subject.identifier},
                "identifier": "",
                "title": latest.title,
                "url": "" if removed or subject.removed else f"{subject.url}#milestone-{latest.id}",
                "removed": removed,
            },
            "breadcrumbs": _breadcrumbs(subject, for_milestone=True),
        }
    )
    return _render(request, context)
