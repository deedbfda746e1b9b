"""Import runs started from the upload page: store the file, queue the import, run it in the
worker and keep its summary. And the system account that imports when nobody is named."""

import logging

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_platform.services import require

from .. import policies
from ..models import CommitmentImport
from .reader import ImportFailed
from .service import import_commitments

logger = logging.getLogger(__name__)

# The account the command imports as when no --user is given: inactive, without a password,
# so nobody can sign in as it; history rows and imported plans name it.
SYSTEM_EMAIL = "irm-import@system.invalid"
SYSTEM_NAME = "IRM import"


def import_system_user():
    """The "IRM import" account, created on first use."""
    user, created = get_user_model().objects.get_or_create(
        email=SYSTEM_EMAIL, defaults={"display_name": SYSTEM_NAME, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def commitment_import_start(*, actor, data: bytes, file_name: str, dry_run: bool):
    """Store the uploaded file under a generated name and queue its import (after commit).
    Only OGP admins start imports."""
    require(policies.can_import_commitments(actor))
    run = CommitmentImport(original_name=file_name[:255], dry_run=dry_run, created_by=actor)
    run.file.save("import.csv", ContentFile(data), save=False)
    run.save()

    transaction.on_commit(lambda: _queue(run.pk))
    return run


def _queue(run_id: int) -> None:
    """Queue the run's task; if the broker cannot take it (Redis down), the run fails at once
    with a message saying so, instead of waiting as "queued" for a task that will never come
    (the upload is kept: the person starts it again)."""
    from ..tasks import run_commitment_import

    try:
        run_commitment_import.delay(run_id)
    except Exception:  # any broker failure
        logger.warning("The import of commitments %s could not be queued", run_id, exc_info=True)
        CommitmentImport.objects.filter(pk=run_id, status=CommitmentImport.Status.QUEUED).update(
            status=CommitmentImport.Status.FAILED,
            error=_(
                "The import could not be queued: the task queue is unavailable. Nothing was "
                "imported; upload the file again in a few minutes."
            ),
            finished_at=timezone.now(),
        )


def commitment_import_run(*, run_id: int) -> CommitmentImport | None:
    """Run a queued import and keep its summary, or why it failed. Runs again if the worker
    was lost mid-run (the import itself is idempotent, and its transaction rolled back);
    does nothing once the run is done or failed."""
    started = CommitmentImport.objects.filter(
        pk=run_id, status__in=[CommitmentImport.Status.QUEUED, CommitmentImport.Status.RUNNING]
    ).update(status=CommitmentImport.Status.RUNNING)
    if not started:
        return CommitmentImport.objects.filter(pk=run_id).first()
    run = CommitmentImport.objects.select_related("created_by").get(pk=run_id)
    try:
        with run.file.open("rb") as handle:
            data = handle.read()
        summary = import_commitments(
            source=data,
            actor=run.created_by,
            dry_run=run.dry_run,
            file_name=run.original_name,
        )
    except ImportFailed as error:
        run.status, run.error = CommitmentImport.Status.FAILED, str(error)
    except Exception as error:
        logger.exception("The import of commitments %s failed", run_id)
        run.status = CommitmentImport.Status.FAILED
        run.error = _(
            "The import stopped on an unexpected error (%(error)s); nothing was saved."
        ) % {"error": type(error).__name__}
    else:
        run.status, run.summary = CommitmentImport.Status.DONE, summary.as_dict()
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "summary", "error", "finished_at"])
    return run
