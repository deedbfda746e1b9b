"""The outbox of outgoing mail (ogp_platform/outbox): an email exists exactly when its sender's
transaction commits, is delivered once however many tasks ask for it, survives a broker that
cannot take its task and a mail server that refuses it, and is tried again until delivered.

Celery runs inline here; `delivering()` runs what the test's transaction would run on commit.
"""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from ogp_platform.outbox import services, tasks
from ogp_platform.outbox.models import OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def delivering(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def send(subject="Subject", to="reader@example.org"):
    return mail.send_mail(subject, "Body", "from@example.org", [to])


def age(email, by=2 * MINUTE):
    """Make the email older, as if the sweeper's minute had passed."""
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - by)


def broker_down():
    return mock.patch.object(
        tasks.send_outbound_email, "apply_async", side_effect=BrokerDown("Connection refused")
    )


# --- Written with the sender's data ---------------------------------------------------------


def test_an_email_is_a_row_written_in_the_senders_transaction(delivering):
    with delivering():
        send()
    email = OutboundEmail.objects.get()
    assert email.subject == "Subject" and email.recipients == ["reader@example.org"]
    assert email.sent_at is not None and email.attempts == 1
    assert [m.subject for m in mail.outbox] == ["Subject"]


def test_a_rolled_back_transaction_leaves_no_email(delivering):
    with delivering(), pytest.raises(RuntimeError), transaction.atomic():
        send()
        raise RuntimeError("the sign-up failed")
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_the_message_id_is_fixed_when_written_so_a_resent_email_is_the_same_message(delivering):
    with delivering():
        send()
    email = OutboundEmail.objects.get()
    message_id = email.message["headers"]["Message-ID"]
    assert message_id.startswith("<") and message_id.endswith(">")
    assert mail.outbox[0].message()["Message-ID"] == message_id


def test_nothing_is_written_for_a_message_without_recipients():
    assert mail.EmailMessage("Subject", "Body", "from@example.org", []).send() == 0
    assert not OutboundEmail.objects.exists()


# --- Delivered once -------------------------------------------------------------------------


def test_a_duplicate_or_retried_task_sends_nothing_more(delivering):
    with delivering():
        send()
    email = OutboundEmail.objects.get()
    assert tasks.send_outbound_email(email.pk) is False
    assert services.outbound_email_send(email_id=email.pk) is False
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_live_claim_is_not_taken_over():
    with broker_down():
        send()
    email = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=email.pk).update(
        claimed_until=timezone.now() + 5 * MINUTE, attempts=1
    )
    age(email)
    assert services.outbound_email_send(email_id=email.pk) is False
    assert services.outbound_emails_due() == []
    assert mail.outbox == []


def test_the_redelivered_task_that_holds_the_claim_takes_it_over_and_no_other_does():
    """The broker redelivers a task (same id) only when its worker died: that copy may send at
    once; any other task waits for the lease."""
    with broker_down():
        send()
    email = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=email.pk).update(
        claimed_until=timezone.now() + 5 * MINUTE, claimed_by="task-1", attempts=1
    )
    assert services.outbound_email_send(email_id=email.pk, claimant="task-2") is False
    assert mail.outbox == []
    assert services.outbound_email_send(email_id=email.pk, claimant="task-1") is True
    assert services.outbound_email_send(email_id=email.pk, claimant="task-1") is False
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.attempts, email.claimed_by, email.claimed_until) == (2, "", None)


def test_an_expired_claim_is_sent_again_at_least_once():
    """A worker that died between its claim and the "sent" mark: after the lease, the email is
    sent again (the documented at-least-once window)."""
    with broker_down():
        send()
    email = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=email.pk).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1), attempts=1
    )
    age(email)
    assert services.outbound_emails_due() == [email.pk]
    assert services.outbound_email_send(email_id=email.pk) is True
    assert len(mail.outbox) == 1
    assert services.outbound_emails_due() == []


# --- The broker down ------------------------------------------------------------------------


def test_a_broker_that_cannot_take_the_task_leaves_the_email_for_the_sweeper(delivering, caplog):
    with broker_down(), delivering():
        assert send() == 1
    email = OutboundEmail.objects.get()
    assert email.sent_at is None and email.attempts == 0
    assert "not queued" in caplog.text
    # Younger than a minute: its own task may still be on its way.
    assert services.outbound_emails_due() == []
    age(email)
    assert services.outbound_emails_due() == [email.pk]
    with delivering():
        assert tasks.requeue() == 1
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    with delivering():
        assert tasks.requeue() == 0
    assert len(mail.outbox) == 1


def test_the_sweeper_stops_at_the_first_email_the_broker_refuses():
    with broker_down():
        for i in range(3):
            send(subject=f"Subject {i}")
    OutboundEmail.objects.update(created_at=timezone.now() - 2 * MINUTE)
    with broker_down() as apply_async:
        assert services.outbound_emails_requeue() == 0
    assert apply_async.call_count == 1


def test_the_sweeper_works_in_bounded_batches_oldest_first():
    with broker_down():
        for i in range(5):
            send(subject=f"Subject {i}")
    now = timezone.now()
    for minutes, email in enumerate(OutboundEmail.objects.order_by("-pk"), start=2):
        OutboundEmail.objects.filter(pk=email.pk).update(
            created_at=now - datetime.timedelta(minutes=minutes)
        )
    due = services.outbound_emails_due(limit=3)
    oldest_first = list(OutboundEmail.objects.order_by("created_at").values_list("pk", flat=True))
    assert due == oldest_first[:3]


def test_requeued_tasks_expire_so_a_slow_queue_does_not_fill_with_copies():
    with broker_down():
        send()
    age(OutboundEmail.objects.get())
    with mock.patch.object(tasks.send_outbound_email, "apply_async") as apply_async:
        services.outbound_emails_requeue()
    assert apply_async.call_args.kwargs == {"expires": services.REQUEUE_EXPIRES}


# --- The mail server refusing ---------------------------------------------------------------


def test_a_refused_delivery_is_tried_again_after_a_backoff(delivering):
    with (
        mock.patch(
            "ogp_platform.outbox.services.deliver",
            side_effect=smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        ),
        delivering(),
    ):
        send()
    email = OutboundEmail.objects.get()
    assert email.sent_at is None and email.attempts == 1
    assert "SMTPServerDisconnected" in email.last_error
    assert email.claimed_until > timezone.now() + 50 * datetime.timedelta(seconds=1)
    age(email)
    assert services.outbound_emails_due() == []  # waiting out its backoff
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_until=timezone.now())
    assert services.outbound_emails_due() == [email.pk]
    with delivering():
        assert tasks.requeue() == 1
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 2
    assert len(mail.outbox) == 1


def test_backoff_doubles_up_to_an_hour():
    assert [services.backoff(n).total_seconds() / 60 for n in range(1, 9)] == [
        1,
        2,
        4,
        8,
        16,
        32,
        60,
        60,
    ]


def test_after_the_last_attempt_the_email_waits_for_an_operator():
    with broker_down():
        send()
    email = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=email.pk).update(
        attempts=services.MAX_ATTEMPTS, last_error="550 no such user"
    )
    age(email)
    assert services.outbound_emails_due() == []
    assert services.outbound_email_send(email_id=email.pk) is False
    assert mail.outbox == []


# --- Inline (the embedded default) ----------------------------------------------------------


def test_without_a_broker_mail_is_sent_inline_once_the_transaction_commits(delivering):
    """CELERY_TASK_ALWAYS_EAGER, as in the embedded default: no sweeper is needed."""
    with delivering(), transaction.atomic():
        send()
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get().sent_at is not None


# --- Admin ----------------------------------------------------------------------------------


def test_the_admin_shows_the_outbox_read_only(client, delivering):
    admin = UserFactory(is_staff=True, is_superuser=True)
    with delivering():
        send(subject="Welcome")
    email = OutboundEmail.objects.get()
    client.force_login(admin)
    listing = client.get("/admin/outbox/outboundemail/?delivery=sent")
    assert listing.status_code == 200 and "Welcome" in listing.content.decode()
    assert client.get("/admin/outbox/outboundemail/add/").status_code == 403
    page = client.get(f"/admin/outbox/outboundemail/{email.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_sent_emails_are_deleted_after_two_weeks_and_unsent_ones_kept():
    now = timezone.now()
    _old_sent, recent_sent, old_unsent = (
        OutboundEmail.objects.create(message={"to": ["a@example.org"]}, sent_at=sent_at)
        for sent_at in (now - datetime.timedelta(days=15), now - datetime.timedelta(days=13), None)
    )
    OutboundEmail.objects.filter(pk=old_unsent.pk).update(
        created_at=now - datetime.timedelta(days=30)
    )
    assert tasks.prune() == 1
    assert set(OutboundEmail.objects.values_list("pk", flat=True)) == {
        recent_sent.pk,
        old_unsent.pk,
    }
