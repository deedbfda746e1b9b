"""The PDF is made by a real Celery worker through the Redis broker (skipped locally without
REDIS_URL; in CI it must run)."""

import time

import pytest
from django.core.files.storage import default_storage

from action_plans import exports
from action_plans.models import PdfExport
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory


def wait_for(export_id, timeout=90) -> PdfExport:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        export = PdfExport.objects.get(pk=export_id)
        if export.status in (PdfExport.Status.READY, PdfExport.Status.FAILED):
            return export
        time.sleep(0.2)
    pytest.fail(f"The worker did not finish the PDF within {timeout} s")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_renders_the_plan_once(real_worker):
    plan = ActionPlanFactory(status="cocreation", published=True, title="Rīcības plāns 2026–2028")
    for _ in range(3):
        MilestoneFactory(commitment=CommitmentFactory(plan=plan))

    export = exports.request_pdf(plan=plan, language="lv")
    assert export.status == PdfExport.Status.QUEUED
    done = wait_for(export.pk)
    assert done.status == PdfExport.Status.READY, done.error
    assert done.attempts == 1 and done.pages >= 5 and done.render_seconds > 0
    assert default_storage.open(done.file.name).read().startswith(b"%PDF-")

    # Asking again for the same version finds the same file; nothing is queued.
    assert exports.request_pdf(plan=plan, language="lv").pk == done.pk
    assert PdfExport.objects.count() == 1
