"""Participation's periodic work. Each task is idempotent: run twice, it changes nothing more."""

from celery import shared_task
from django.db import OperationalError

from .services import notification_emails, notifications
from .services.consultations import consultations_tick as tick


@shared_task(name="participation.consultations_tick")
def consultations_tick() -> dict:
    """Open the consultations whose opening time has come and close those whose closing time
    has come (every minute, from `CELERY_BEAT_SCHEDULE`); say how many of each."""
    opened, closed = tick()
    return {"opened": opened, "closed": closed}


# --- Notifications ---------------------------------------------------------------------------


# A database that drops the connection mid-task rolls the "sent" mark back with it: retrying is
# safe, and cannot mail twice. Nobody waits for the result: not asking for one keeps the web
# process that queues the task from touching the result backend.
RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 30,
    "retry_kwargs": {"max_retries": 5},
    "ignore_result": True,
}
# A requeued task not started within this is dropped by the worker; the next run queues the
# notification again if it is still unsent. Bounds the copies waiting in a slow queue.
REQUEUE_EXPIRES = 5 * 60


@shared_task(name="participation.send_notification", **RETRY)
def send_notification(notification_id: int) -> bool:
    """Email one notification to its recipient (queued after the event's transaction commits).
    Idempotent: the notification is marked sent before the email is handed over."""
    return notification_emails.notification_send(notification_id=notification_id)


@shared_task(name="participation.send_digest", **RETRY)
def send_digest(user_id: int) -> int:
    """Email one person the digest of their waiting notifications. Idempotent."""
    return notification_emails.digest_send(user_id=user_id)


@shared_task(name="participation.send_daily_digests")
def send_daily_digests() -> int:
    """Queue the digest of everyone on the daily digest who has notifications waiting (once a
    day, from `CELERY_BEAT_SCHEDULE`); say how many were queued. Run twice, the second run's
    digests find nothing left to send."""
    recipients = notification_emails.daily_digest_recipients()
    for user_id in recipients:
        send_digest.delay(user_id)
    return len(recipients)


@shared_task(name="participation.requeue_unsent_notifications", ignore_result=True)
def requeue_unsent_notifications() -> int:
    """Queue again the immediate notifications still unsent a minute after they were recorded
    — their task could not be queued (the broker was down) — every minute, from
    `CELERY_BEAT_SCHEDULE`; say how many. Each copy of `send_notification` mails at most once,
    so a notification queued twice is still sent once."""
    queued = 0
    for notification_id in notifications.unsent_immediate_notification_ids():
        send_notification.apply_async((notification_id,), expires=REQUEUE_EXPIRES)
        queued += 1
    return queued
