"""A notification is mailed once even when several workers send it at the same moment (a task
delivered twice, the digest racing the immediate task), against PostgreSQL.

Each thread is its own connection and transaction, released together by a barrier; the
conditional UPDATE that marks a notification sent succeeds in exactly one of them. SQLite
serialises every write, so it proves nothing here and the tests are skipped on it.
"""

from unittest import mock

import pytest
from django.core import mail
from django.db import connection

from participation import tasks
from participation.models import Follow, Notification
from participation.selectors import content_type_of
from participation.services import comments as comment_services
from participation.services import notification_emails as emails
from tests.factories import UserFactory
from tests.participation.factories import ConsultationFactory
from tests.participation.test_vote_concurrency import run_at_once
from tests.plans.factories import ActionPlanFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def waiting():
    """Three comments on a plan, each with a notification for its follower not sent yet."""
    plan = ActionPlanFactory(status="cocreation", published=True)
    ConsultationFactory(space=plan)
    follower = UserFactory()
    Follow.objects.create(target_type=content_type_of(plan), target_id=plan.pk, user=follower)
    with mock.patch.object(tasks.send_notification, "delay"):
        for body in ("One.", "Two.", "Three."):
            comment_services.comment_post(actor=UserFactory(), target=plan, body=body)
    assert Notification.objects.filter(user=follower, sent_at__isnull=True).count() == 3
    return follower


def test_ten_workers_sending_one_notification_at_once_mail_it_once(waiting):
    notification = Notification.objects.filter(user=waiting).first()
    results = []
    errors = run_at_once(
        [
            lambda: results.append(emails.notification_send(notification_id=notification.pk))
            for _ in range(10)
        ]
    )
    assert errors == []
    assert sorted(results) == [False] * 9 + [True]
    assert len(mail.outbox) == 1


def test_digests_and_immediate_tasks_racing_put_each_notification_in_one_email(waiting):
    """A digest (say, sent because the person just left the daily digest) racing the immediate
    tasks still queued: whoever marks a notification first sends it; none goes out twice."""
    ids = list(Notification.objects.filter(user=waiting).values_list("pk", flat=True))
    in_digests, immediately = [], []
    calls = [lambda: in_digests.append(emails.digest_send(user_id=waiting.pk))] * 5
    calls += [
        lambda pk=pk: immediately.append(emails.notification_send(notification_id=pk)) for pk in ids
    ]
    assert run_at_once(calls) == []
    assert sum(in_digests) + sum(immediately) == 3
    bodies = "\n".join(message.body for message in mail.outbox)
    for body in ("One.", "Two.", "Three."):
        assert bodies.count(body) == 1
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
