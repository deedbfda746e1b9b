"""The commitments app's asynchronous work. Each task takes an id and calls a service."""

from celery import shared_task

from .importer.runs import commitment_import_run


@shared_task(name="commitments.run_import")
def run_commitment_import(run_id: int) -> str:
    """Run the import queued from the upload page; return its status. Idempotent: a finished
    run is not run again."""
    run = commitment_import_run(run_id=run_id)
    return run.status if run is not None else ""
