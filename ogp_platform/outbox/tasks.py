"""The outbox's tasks. Results are ignored: nobody waits for them, and not asking for one keeps
a web process from touching the result backend when it queues an email."""

from celery import shared_task

from . import services


@shared_task(name="ogp_platform.outbox.send_outbound_email", ignore_result=True, bind=True)
def send_outbound_email(self, email_id: int) -> bool:
    """Deliver one outgoing email (queued after the sender's transaction commits, or by the
    sweeper). Run twice, it sends once."""
    return services.outbound_email_send(email_id=email_id, claimant=self.request.id or "")


@shared_task(name="ogp_platform.outbox.requeue", ignore_result=True)
def requeue() -> int:
    """Queue again the emails that are still unsent a minute after they were written (every
    minute, from `CELERY_BEAT_SCHEDULE`); say how many."""
    return services.outbound_emails_requeue()


@shared_task(name="ogp_platform.outbox.prune", ignore_result=True)
def prune() -> int:
    """Delete the emails sent more than two weeks ago (daily, from `CELERY_BEAT_SCHEDULE`)."""
    return services.outbound_emails_prune()
