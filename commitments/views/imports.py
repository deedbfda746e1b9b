"""Import of the IRM's commitments dataset: the OGP admins' upload page and its report.

The upload page stores the file and queues the import (a Celery task); the report page shows
how the run is going and, once done, its summary. Only OGP admins see either: others get a 403,
anonymous visitors the sign-in page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform.viewtools import guarded, require

from .. import policies
from ..importer import REQUIRED_COLUMNS, ImportSummary
from ..importer.forms import CommitmentImportForm
from ..importer.runs import commitment_import_start
from ..importer.summary import LEVEL_LABELS
from ..models import CommitmentImport

RUNS_PER_PAGE = 20
NOTES_PER_PAGE = 100


@guarded
@require_http_methods(["GET", "POST"])
def upload(request):
    """The upload form, and the imports run before."""
    require(request, policies.can_import_commitments(request.user))
    posted = request.method == "POST"
    form = CommitmentImportForm(request.POST, request.FILES) if posted else CommitmentImportForm()
    if posted and form.is_valid():
        run = commitment_import_start(
            actor=request.user,
            data=form.file_bytes,
            file_name=form.cleaned_data["file"].name,
            dry_run=form.cleaned_data["dry_run"],
        )
        messages.success(
            request,
            _("The file is queued for a dry run.")
            if run.dry_run
            else _("The file is queued for import."),
        )
        return redirect(run)
    runs = Paginator(CommitmentImport.objects.select_related("created_by"), RUNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for run in runs.object_list:
        run.counts = ImportSummary.from_dict(run.summary).counts if run.summary else None
    return render(
        request,
        "commitments/imports/import_upload.html",
        {"form": form, "page": runs, "required_columns": REQUIRED_COLUMNS},
        status=400 if form.errors else 200,
    )


@guarded
@require_GET
def report(request, pk):
    """One run: its status while it runs ("Check again", or a script that asks for
    `?format=json` and reloads when it is finished), then its counts and notes."""
    require(request, policies.can_import_commitments(request.user))
    run = get_object_or_404(CommitmentImport.objects.select_related("created_by"), pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"status": run.status, "finished": run.is_finished},
            headers={"Cache-Control": "no-store"},
        )
    summary = ImportSummary.from_dict(run.summary) if run.summary else None
    level = request.GET.get("level", "")
    if level not in LEVEL_LABELS:
        level = ""
    notes_page = None
    if summary is not None:
        notes = [note for note in summary.notes if not level or note.level == level]
        notes_page = Paginator(notes, NOTES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "commitments/imports/import_report.html",
        {
            "run": run,
            "summary": summary,
            "notes_page": notes_page,
            "level": level,
            "levels": [(key, label) for key, label in LEVEL_LABELS.items()],
            "counts": summary.table() if summary else [],
            "area_columns": summary.area_columns() if summary else [],
        },
    )
