"""The upload page's import runs in a real Celery worker, through the Redis broker.

Skipped locally without REDIS_URL; in CI (REDIS_URL set) it must run."""

import time

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from commitments.models import Commitment, CommitmentImport
from commitments.tasks import run_commitment_import
from tests.factories import UserFactory
from tests.imports.dataset import dataset_bytes, latvia, madrid


def wait_until_finished(run, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_finished:
            return run
        time.sleep(0.2)
    raise AssertionError(f"the import is still {run.status}")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_uploaded_file_is_imported_by_a_real_worker(real_worker, client):
    admin = UserFactory()
    Group.objects.get(name="OGP admins").user_set.add(admin)
    client.force_login(admin)
    response = client.post(
        reverse("commitments:import_upload"),
        {"file": ContentFile(dataset_bytes([latvia(), madrid()]), name="irm.csv")},
    )
    run = CommitmentImport.objects.get()
    assert response["Location"] == run.get_absolute_url()

    wait_until_finished(run)
    assert run.status == "done", run.error
    assert run.summary["counts"]["commitments"]["created"] == 2
    assert set(Commitment.objects.values_list("identifier", flat=True)) == {"LV0019", "MAD0005"}
    page = client.get(run.get_absolute_url()).content.decode()
    assert "What was imported" in page and "Check again" not in page

    # The task is idempotent: delivered again, a finished run is not run again.
    assert run_commitment_import.delay(run.pk).get(timeout=30) == "done"
    assert Commitment.objects.count() == 2
    assert Commitment.history.count() == 2


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_the_worker_cannot_import_fails_with_its_reason(real_worker):
    admin = UserFactory()
    run = CommitmentImport(created_by=admin, original_name="broken.csv")
    run.file.save("x.csv", ContentFile(dataset_bytes([latvia()], drop=["Region"])))
    assert run_commitment_import.delay(run.pk).get(timeout=30) == "failed"
    run.refresh_from_db()
    assert "Region" in run.error and run.finished_at is not None
    assert not Commitment.objects.exists()
