"""Action plans' background work."""

from celery import shared_task
from django.db import OperationalError

from . import exports


# The rendering is idempotent (a ready export is left alone), so a task redelivered after a
# worker died, or retried after the database dropped the connection, renders at most once more
# and stores one file.
@shared_task(
    name="action_plans.render_pdf",
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_kwargs={"max_retries": 3},
)
def render_pdf(export_id: str) -> str:
    """Render one queued PDF export; returns its status."""
    return exports.render_export(export_id)
