"""PDF exports of a plan or of one of its commitments: the export button (POST) queues the
rendering, the status page follows it until the file is ready, then the file downloads.

Anyone who may read the plan may export it. The export's id is a random UUID, and every page
of an export checks again that the user may read its plan.
"""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import contents, exports, policies
from ..models import ActionPlan, PdfExport
from .plans import _plan, plan_breadcrumbs

Status = PdfExport.Status


def _language() -> str:
    language = get_language() or settings.LANGUAGE_CODE
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _status_url(export: PdfExport) -> str:
    return reverse("action_plans:pdf_status", args=[export.plan.identifier, export.pk])


@require_http_methods(["GET", "POST"])
def plan_pdf(request, identifier):
    """POST: make (or find) the PDF of the plan in the language of the page. GET: the plan's
    downloads (a link to this URL must not start a rendering)."""
    plan = _plan(request, identifier)
    if request.method == "GET":
        return redirect(plan.get_absolute_url() + "#downloads-title")
    export = exports.request_pdf(plan=plan, language=_language())
    return redirect(_status_url(export))


@require_http_methods(["GET", "POST"])
def commitment_pdf(request, identifier):
    """The same for one commitment (found by the app that holds it, `contents`), whose plan
    decides who may read it."""
    commitment = contents.provider().find(identifier)
    plan = (
        ActionPlan.objects.select_related("member").filter(pk=commitment.plan_id).first()
        if commitment is not None
        else None
    )
    if plan is None or not policies.can_view_plan(request.user, plan):
        raise Http404
    if request.method == "GET":
        return redirect(commitment.get_absolute_url())
    export = exports.request_pdf(plan=plan, language=_language(), commitment_identifier=identifier)
    return redirect(_status_url(export))


def _export(request, identifier, export_id) -> PdfExport:
    plan = _plan(request, identifier)
    export = get_object_or_404(PdfExport, pk=export_id, plan=plan)
    export.plan = plan
    return export


def _state(export: PdfExport) -> dict:
    download_url = (
        reverse("action_plans:pdf_download", args=[export.plan.identifier, export.pk])
        if export.status == Status.READY
        else ""
    )
    return {
        "status": export.status,
        "label": export.get_status_display(),
        "ready": export.status == Status.READY,
        "finished": export.status in (Status.READY, Status.FAILED),
        "download_url": download_url,
        "error": export.error,
    }


@require_GET
def pdf_status(request, identifier, export_id):
    """Where the rendering is. `?format=json` answers the page's script, which checks again
    every few seconds; without JavaScript, "Check again" reloads the page."""
    export = _export(request, identifier, export_id)
    state = _state(export)
    if request.GET.get("format") == "json":
        response = JsonResponse(state)
        response["Cache-Control"] = "no-store"
        return response
    plan = export.plan
    subject = export.commitment_identifier or plan.identifier
    return render(
        request,
        "action_plans/pdf_status.html",
        {
            "plan": plan,
            "export": export,
            "state": state,
            "subject": subject,
            "status_url": _status_url(export),
            "breadcrumbs": [*plan_breadcrumbs(plan), (_("PDF"), "")],
        },
    )


@require_POST
def pdf_retry(request, identifier, export_id):
    export = _export(request, identifier, export_id)
    if exports.retry_pdf(export):
        messages.success(request, _("The PDF is being made again."))
    return redirect(_status_url(export))


@require_GET
def pdf_download(request, identifier, export_id):
    export = _export(request, identifier, export_id)
    if export.status != Status.READY or not export.file:
        return redirect(_status_url(export))
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type="application/pdf",
    )
    # The file of a version never changes; a new version has a new export and URL.
    response["Cache-Control"] = "private, max-age=86400"
    return response
