"""Outgoing mail through the outbox: written with the sender's data, delivered exactly once by
the worker, retried until delivered.

Queueing (`outbound_email_queue`, called by `ogp_platform.mail.QueuedEmailBackend`): the message
becomes an `OutboundEmail` row in the sender's transaction (a sign-up that rolls back leaves no
email; one that commits always has its email), and once that transaction commits its delivery
task is queued. If the broker cannot take the task (Redis down), that is logged and nothing
else happens: the row waits, and the sweeper (`outbound_emails_requeue`, every minute from
beat) queues again every unsent row older than `SWEEP_AFTER`.

Delivering (`outbound_email_send`, in the worker): the row is claimed with a conditional UPDATE
(unsent, not claimed or its claim expired, attempts left), committed before the mail server is
contacted, so of two tasks for the same row — a duplicate, a retry, the sweeper's copy — one
sends and the others do nothing. Only the broker's redelivery of the task that holds the claim
(its worker died; acknowledgements are late) takes the claim over before the lease ends. A
failed attempt (the mail server refused or was unreachable) releases the claim with a backoff
(1, 2, 4… minutes, at most an hour) and is retried by the sweeper; after `MAX_ATTEMPTS` the row
stays unsent with its last error, for an operator.

Never lost, never sent twice — and the one window where both cannot hold: a worker that dies
(killed, out of memory, machine lost), or a database that refuses the "sent" mark, after the
mail server accepted the message and before `sent_at` is written. Nothing can tell that case
from a worker dying just before it connected. We choose **at least once** there: the claim is a
lease of `LEASE` (longer than a task may run, so a live worker's claim is never taken over), and
a row whose lease expired unsent is sent again, as is one whose task the broker redelivered.
The alternative, at most once (never re-send an expired claim), would silently lose an email in
the same window; losing a verification or a password-reset email strands a person, a duplicate
costs a second identical email, and only in the milliseconds between the server's "250 OK" and
our UPDATE. The duplicate carries the same Message-ID (fixed when the row is written), so mail
systems that deduplicate on it show one. SMTP itself makes the same choice (RFC 5321 §6.1).
"""

import logging
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ogp_platform.mail import deliver, message_to_dict

from .models import OutboundEmail

logger = logging.getLogger(__name__)

# Longer than any task may run (CELERY_TASK_TIME_LIMIT, 300 s) plus the SMTP timeout.
LEASE = timedelta(minutes=10)
# Rows younger than this still have their own task on its way.
SWEEP_AFTER = timedelta(minutes=1)
# A requeued task not started within this is dropped by the worker: the next sweep queues the
# row again if it is still unsent. Bounds the copies of one row waiting in a slow queue.
REQUEUE_EXPIRES = 5 * 60
BATCH = 500
MAX_ATTEMPTS = 10
MAX_BACKOFF = timedelta(hours=1)


def outbound_email_queue(message) -> OutboundEmail:
    """Write the message to the outbox in the current transaction; queue its delivery once the
    transaction commits."""
    data = message_to_dict(message)
    if not any(name.lower() == "message-id" for name in data["headers"]):
        data["headers"]["Message-ID"] = make_msgid(domain=settings.SITE_DOMAIN)
    email = OutboundEmail.objects.create(message=data)
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int, **options) -> bool:
    """Queue the delivery task; False (logged) when the broker cannot take it: the row stays
    unsent for the sweeper, and the request that sent the email goes on."""
    from .tasks import send_outbound_email

    try:
        send_outbound_email.apply_async((email_id,), **options)
    except Exception as error:  # any broker failure: the sweeper queues it later
        logger.warning(
            "outbox: email %s not queued (%s: %s); it is sent once the broker is back",
            email_id,
            type(error).__name__,
            error,
        )
        return False
    return True


def _claimable(now, claimant: str = ""):
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    if claimant:
        free |= Q(claimed_by=claimant)
    return OutboundEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).filter(
        free
    )


def backoff(attempts: int) -> timedelta:
    """How long after its `attempts`-th failed attempt an email waits: 1, 2, 4… minutes."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def outbound_email_send(*, email_id: int, claimant: str = "") -> bool:
    """Deliver one email if nobody has or is; True when this call delivered it. `claimant` is
    the calling task's id: the broker's redelivery of the same task may take over its claim at
    once, since the broker redelivers only a task whose worker is gone (the visibility timeout
    is longer than a task may run). The claim is committed before the mail server is contacted
    (see the module for the one window)."""
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            _claimable(now, claimant)
            .filter(pk=email_id)
            .update(claimed_until=now + LEASE, claimed_by=claimant, attempts=F("attempts") + 1)
        )
    if not claimed:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        deliver(email.message)
    except Exception as error:  # whatever failed, the email is tried again later
        failed_at = timezone.now()
        OutboundEmail.objects.filter(pk=email_id, sent_at__isnull=True).update(
            claimed_until=failed_at + backoff(email.attempts),
            claimed_by="",
            last_error=f"{failed_at:%Y-%m-%d %H:%M:%S} {type(error).__name__}: {error}"[:2000],
        )
        logger.warning(
            "outbox: email %s not delivered, attempt %d of %d (%s: %s)",
            email_id,
            email.attempts,
            MAX_ATTEMPTS,
            type(error).__name__,
            error,
        )
        return False
    OutboundEmail.objects.filter(pk=email_id).update(
        sent_at=timezone.now(), claimed_until=None, claimed_by=""
    )
    return True


def outbound_emails_due(*, now=None, limit: int = BATCH) -> list[int]:
    """The unsent emails the sweeper queues again, oldest first: older than `SWEEP_AFTER`,
    neither being sent nor waiting out a backoff, with attempts left."""
    now = now or timezone.now()
    return list(
        _claimable(now)
        .filter(created_at__lte=now - SWEEP_AFTER)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def outbound_emails_requeue() -> int:
    """Queue the delivery of every email due (at most `BATCH`); return how many were queued.
    Stops at the first the broker refuses: the next sweep tries again."""
    queued = 0
    for email_id in outbound_emails_due():
        if not _enqueue(email_id, expires=REQUEUE_EXPIRES):
            break
        queued += 1
    return queued


# Sent emails hold addresses and what was said to them: kept long enough to answer "did my
# email go out?", then deleted (personal data is kept no longer than needed, GDPR art. 5(1)(e)).
KEEP_SENT = timedelta(days=14)


def outbound_emails_prune(*, now=None) -> int:
    """Delete the emails sent more than `KEEP_SENT` ago; return how many."""
    now = now or timezone.now()
    deleted, _rows = OutboundEmail.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    return deleted
