"""Tasks run inline without Redis, and through the real broker and a real worker with it (the
`real_worker` fixture is in tests/conftest.py)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone

from ogp_platform.celery import app
from ogp_platform.mail import message_to_dict
from ogp_platform.tasks import clear_expired_sessions, send_email


def _message():
    return message_to_dict(
        mail.EmailMultiAlternatives(
            "Pamatota atbilde uz jūsu komentāru",
            "Paldies — €",
            "noreply@example.org",
            ["reader@example.org"],
            alternatives=[("<p>Paldies</p>", "text/html")],
        )
    )


def test_task_runs_inline_without_a_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    send_email.delay(_message())
    assert [m.subject for m in mail.outbox] == ["Pamatota atbilde uz jūsu komentāru"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"


@pytest.mark.celery_worker
def test_task_goes_through_the_redis_broker_to_a_real_worker(real_worker):
    result = send_email.delay(_message())
    result.get(timeout=30)
    assert result.status == "SUCCESS"
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    assert mail.outbox[0].body == "Paldies — €"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_beat_task_clears_expired_sessions_in_a_real_worker(real_worker):
    now = timezone.now()
    Session.objects.create(
        session_key="old", session_data="", expire_date=now - datetime.timedelta(days=1)
    )
    Session.objects.create(
        session_key="live", session_data="", expire_date=now + datetime.timedelta(days=1)
    )
    assert clear_expired_sessions.delay().get(timeout=30) == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks


def test_reliability_settings():
    """A killed worker's task is redelivered, but not before it could have finished."""
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit


def test_mail_queued_in_a_transaction_is_sent_only_on_commit(
    django_capture_on_commit_callbacks, db
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mail.send_mail("Subject", "Body", "from@example.org", ["to@example.org"])
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.subject for m in mail.outbox] == ["Subject"]
