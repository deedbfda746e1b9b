"""PDF exports: asked for in a request, rendered by a Celery task, cached per document version.

`request_pdf` renders the document's HTML (fast) and finds or creates the `PdfExport` of that
version; only the request that created it queues the rendering, so two people asking at once
get one rendering and an unchanged plan is never rendered twice. `render_export` (the task's
body) claims the export, writes the PDF to storage and removes the renderings of older versions.
A failed rendering keeps its message; `retry_pdf` queues it again.
"""

import logging
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ActionPlan, PdfExport
from .pdf import date_document, render_document, write_pdf

logger = logging.getLogger(__name__)

Status = PdfExport.Status


def request_pdf(*, plan: ActionPlan, language: str, commitment_identifier: str = "") -> PdfExport:
    """The export of the current version of the plan (or of one of its commitments) in
    `language`, queued for rendering when nobody asked for this version before. The caller
    has checked that the user may read the plan."""
    document = render_document(plan, language=language, commitment_identifier=commitment_identifier)
    key = {
        "plan": plan,
        "commitment_identifier": commitment_identifier,
        "language": language,
        "fingerprint": document.fingerprint,
    }
    export = PdfExport.objects.filter(**key).first()
    if export is not None:
        return export
    try:
        with transaction.atomic():
            export = PdfExport.objects.create(**key, html=document.html)
    except IntegrityError:
        # Someone asked for the same version at the same moment: theirs is queued.
        return PdfExport.objects.get(**key)
    _queue(export)
    return export


def retry_pdf(export: PdfExport) -> bool:
    """Queue a failed rendering again. False when it had not failed (e.g. someone else already
    retried it): exactly one retry is queued however many people click."""
    retried = PdfExport.objects.filter(pk=export.pk, status=Status.FAILED).update(
        status=Status.QUEUED, error="", requested_at=timezone.now()
    )
    if retried:
        _queue(export)
    return bool(retried)


def _queue(export: PdfExport) -> None:
    from .tasks import render_pdf

    def send():
        try:
            render_pdf.delay(str(export.pk))
        except Exception:  # The broker is down: say so, and let the user try again.
            logger.exception("Could not queue the rendering of PDF export %s", export.pk)
            PdfExport.objects.filter(pk=export.pk, status=Status.QUEUED).update(
                status=Status.FAILED,
                error=_("The PDF could not be queued for rendering. Please try again."),
            )

    transaction.on_commit(send)


def render_export(export_id) -> str:
    """Render a queued export and store its PDF. Safe to run twice (a redelivered task): a
    ready export is left alone; one left half-done by a killed worker is rendered again."""
    claimed = PdfExport.objects.filter(
        pk=export_id, status__in=[Status.QUEUED, Status.RENDERING]
    ).update(status=Status.RENDERING, started_at=timezone.now(), attempts=F("attempts") + 1)
    export = PdfExport.objects.select_related("plan").filter(pk=export_id).first()
    if export is None:
        return "missing"
    if not claimed:
        return export.status
    started = time.perf_counter()
    try:
        pdf = write_pdf(date_document(export.html, export.language))
    except Exception:
        logger.exception("Rendering PDF export %s failed", export.pk)
        PdfExport.objects.filter(pk=export.pk).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            error=_("The PDF could not be made. Please try again; if it fails again, tell us."),
        )
        return Status.FAILED
    seconds = time.perf_counter() - started
    name = default_storage.save(
        f"exports/pdf/{export.filename.removesuffix('.pdf')}-{export.fingerprint[:12]}.pdf",
        ContentFile(pdf.content),
    )
    PdfExport.objects.filter(pk=export.pk).update(
        status=Status.READY,
        file=name,
        pages=pdf.pages,
        size=len(pdf.content),
        render_seconds=round(seconds, 3),
        html="",
        finished_at=timezone.now(),
    )
    _remove_older_versions(export)
    return Status.READY


def _remove_older_versions(export: PdfExport) -> None:
    """Renderings of earlier versions of the same document are of no use any more."""
    older = PdfExport.objects.filter(
        plan_id=export.plan_id,
        commitment_identifier=export.commitment_identifier,
        language=export.language,
        requested_at__lt=export.requested_at,
        status__in=[Status.READY, Status.FAILED],
    ).exclude(pk=export.pk)
    for old in older:
        if old.file:
            old.file.delete(save=False)
        old.delete()
