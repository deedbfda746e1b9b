"""Platform-wide tasks: outgoing mail and housekeeping. Each is idempotent."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from . import mail


# SMTPException is an OSError, as are refused and dropped connections.
@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_kwargs={"max_retries": 5})
def send_email(message: dict) -> None:
    """Deliver one message serialised by `ogp_platform.mail.message_to_dict`."""
    mail.deliver(message)


@shared_task
def clear_expired_sessions() -> int:
    """Delete expired sessions (what `manage.py clearsessions` does); return how many."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
