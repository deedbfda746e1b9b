"""Open data: CSV and JSON downloads of commitments, milestones and the reasoned-response register.

Anyone may download what they may read: the explorer's files hold what the explorer shows
them, a plan's files exist for whoever may read the plan. Files are streamed; what they hold and
how it is written is `commitments.opendata` and `ogp_platform.opendata`.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ogp_platform import opendata as files
from participation.links import report_url

from .. import opendata
from ..forms import ExplorerFilterForm


def _documentation_url(request) -> str:
    return request.build_absolute_uri(reverse("commitments:open_data"))


def _plan(request, identifier: str):
    plan = opendata.visible_plan(user=request.user, identifier=identifier)
    if plan is None:
        raise Http404
    return plan


@require_GET
def explorer_download(request, fmt):
    """The commitment explorer's current result (every filter, the search and the sort of the
    query string apply), as CSV or JSON."""
    form = ExplorerFilterForm(request.GET or None, user=request.user)
    rows = opendata.explorer_commitments(user=request.user, filters=form.filters())
    context = opendata.ExportContext.of(request)
    filename = f"commitments-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        return files.csv_download(
            opendata.COMMITMENT_COLUMNS, rows, filename=filename, context=context
        )
    query = request.GET.urlencode()
    meta = files.metadata(
        source_url=request.build_absolute_uri(
            reverse("commitments:explorer") + (f"?{query}" if query else "")
        ),
        documentation_url=_documentation_url(request),
    )
    records = (files.record(opendata.COMMITMENT_COLUMNS, row, context) for row in rows)
    return files.json_download(meta, "commitments", records, filename=filename)


@require_GET
def plan_commitments(request, plan, fmt):
    """A plan's commitments as CSV, or as JSON with each commitment's milestones."""
    plan = _plan(request, plan)
    context = opendata.ExportContext.of(request, plan)
    filename = f"{plan.identifier}-commitments.{fmt}"
    if fmt == "csv":
        return files.csv_download(
            opendata.COMMITMENT_COLUMNS,
            opendata.plan_commitments(plan),
            filename=filename,
            context=context,
        )
    meta = files.metadata(
        source_url=context.absolute(plan.get_absolute_url()),
        documentation_url=_documentation_url(request),
        **opendata.plan_metadata(plan, context),
    )
    records = opendata.plan_commitment_records(plan, context)
    return files.json_download(meta, "commitments", records, filename=filename)


@require_GET
def plan_milestones(request, plan):
    """The milestones of a plan's commitments, as CSV."""
    plan = _plan(request, plan)
    return files.csv_download(
        opendata.MILESTONE_COLUMNS,
        opendata.plan_milestones(plan),
        filename=f"{plan.identifier}-milestones.csv",
        context=opendata.ExportContext.of(request, plan),
    )


@require_GET
def plan_register(request, plan, fmt):
    """A plan's reasoned-response register as the public report shows it, as CSV or JSON."""
    plan = _plan(request, plan)
    context = opendata.register_context(request, plan)
    rows = opendata.plan_register(plan)
    filename = f"{plan.identifier}-register.{fmt}"
    if fmt == "csv":
        return files.csv_download(
            opendata.REGISTER_COLUMNS, rows, filename=filename, context=context
        )
    report = report_url(plan)
    meta = files.metadata(
        source_url=context.absolute(report),
        documentation_url=_documentation_url(request),
        **opendata.plan_metadata(plan, context),
    )
    records = (files.record(opendata.REGISTER_COLUMNS, row, context) for row in rows)
    return files.json_download(meta, "inputs", records, filename=filename)


@require_GET
def open_data(request):
    """What the open-data files hold, column by column, and their licence."""
    example = "AP_LVA05"
    return render(
        request,
        "commitments/open_data.html",
        {
            "files": opendata.files(),
            "licence": {"name": files.LICENCE_NAME, "url": files.LICENCE_URL},
            "separator": files.MULTI_VALUE_SEPARATOR,
            "addresses": {
                "explorer_csv": reverse("commitments:explorer_download", args=["csv"]),
                "explorer_json": reverse("commitments:explorer_download", args=["json"]),
                "plan_commitments_csv": reverse(
                    "commitments:plan_commitments", args=[example, "csv"]
                ),
                "plan_commitments_json": reverse(
                    "commitments:plan_commitments", args=[example, "json"]
                ),
                "plan_milestones_csv": reverse("commitments:plan_milestones", args=[example]),
                "plan_register_csv": reverse("commitments:plan_register", args=[example, "csv"]),
                "plan_register_json": reverse("commitments:plan_register", args=[example, "json"]),
            },
            "explorer_url": reverse("commitments:explorer"),
        },
    )
