"""The plan's changes page: every version of the plan (who changed which fields, when, as a
word-level diff), a comparison of any two versions, and the plan's commitments, removed ones
included, each linking to its own changes."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ogp_platform.history import history_context

from .. import contents, policies
from ..models import ActionPlan
from .plans import plan_breadcrumbs

# The first version lists the plan's values; the member and the plan's number are in its id.
FIRST_VERSION_EXCLUDE = ("member", "sequence")


@require_GET
def plan_changes(request, identifier):
    """Who changed what in the plan, and when. As visible as the plan itself."""
    plan = ActionPlan.objects.select_related("member").filter(identifier=identifier).first()
    if plan is None or not policies.can_view_plan(request.user, plan):
        raise Http404
    context = history_context(request, plan.history.all(), exclude=FIRST_VERSION_EXCLUDE)
    # Every commitment the plan ever had, removed ones too, each linking to its own changes:
    # read by the app that holds them (plans know nothing of the commitments app).
    held = contents.provider().history(plan)
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
            "children": held.items,
            "children_title": held.title,
            "children_intro": held.intro,
        }
    )
    return render(
        request, "history/changes.html", context, status=400 if context["invalid"] else 200
    )
