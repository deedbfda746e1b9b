"""The plan's changes page: every version of the plan (who changed which fields, when, as a
word-level diff), a comparison of any two versions, and the plan's commitments, removed ones
included, each linking to its own changes."""

from django.db.models import Max
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ogp_platform.history import history_context

from .. import policies
from ..models import ActionPlan
from .plans import plan_breadcrumbs

# The first version lists the plan's values; the member and the plan's number are in its id.
FIRST_VERSION_EXCLUDE = ("member", "sequence")


def _commitments(plan: ActionPlan) -> list[dict]:
    """Every commitment the plan ever had, from its latest historical version, so that removed
    commitments keep a link to their history. One query. Reached through the reverse relation:
    plans know nothing of the commitments app."""
    history = plan.commitments.model.history
    latest = (
        history.filter(plan_id=plan.pk).values("id").annotate(last=Max("history_id")).values("last")
    )
    records = history.filter(history_id__in=latest).order_by("identifier")
    return [
        {
            "identifier": record.identifier,
            "title": record.short_title or record.title,
            "removed": record.history_type == "-",
            "changes_url": reverse("commitments:changes", args=[record.identifier]),
        }
        for record in records.only("identifier", "title", "short_title", "history_type")
    ]


@require_GET
def plan_changes(request, identifier):
    """Who changed what in the plan, and when. As visible as the plan itself."""
    plan = ActionPlan.objects.select_related("member").filter(identifier=identifier).first()
    if plan is None or not policies.can_view_plan(request.user, plan):
        raise Http404
    context = history_context(request, plan.history.all(), exclude=FIRST_VERSION_EXCLUDE)
    context.update(
        {
            "subject": {
                "kind": _("Action plan"),
                "identifier": plan.identifier,
                "title": plan.title,
                "url": plan.get_absolute_url(),
                "removed": False,
            },
            "breadcrumbs": plan_breadcrumbs(plan),
            "children": _commitments(plan),
            "children_title": _("Commitments of this plan"),
            "children_intro": _(
                "Each commitment keeps its own history, including commitments that were removed "
                "from the draft."
            ),
        }
    )
    return render(
        request, "history/changes.html", context, status=400 if context["invalid"] else 200
    )
