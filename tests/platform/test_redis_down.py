"""Redis down: pages still serve, comments, votes and sign-ups still save, and what could not be
queued is sent later, exactly once.

The cache and the Celery broker point at a closed port (nothing listens on 127.0.0.1:1), so
every cache call and every `.delay()` meets a refused connection, as with a stopped Redis. Then
"Redis comes back" (tasks run inline again) and the beat tasks that re-queue unsent work run.
benchmarks/faults/redis_down.py does the same with real servers and a real worker.
"""

import datetime
import logging
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from commitments.importer.runs import commitment_import_start
from commitments.models import CommitmentImport
from ogp_platform import cache as fault_tolerant
from ogp_platform.celery import app
from ogp_platform.outbox import tasks as outbox_tasks
from ogp_platform.outbox.models import OutboundEmail
from participation import tasks as participation_tasks
from participation.links import args_of
from participation.models import Comment, Follow, Notification, Vote
from participation.selectors import content_type_of
from tests.factories import UserFactory
from tests.participation.factories import ConsultationFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db

DEAD = "redis://127.0.0.1:1/0"
PASSWORD = "a-long-enough-passphrase-42"


def _reset_producers():
    # Celery keeps its connection and producer pools once made: drop them so the next publish
    # connects to whatever broker_url now says.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_down(settings):
    """The cache and the broker on a closed port; Celery no longer runs tasks inline."""
    settings.CACHES = {
        "default": {
            "BACKEND": "ogp_platform.cache.FaultTolerantRedisCache",
            "LOCATION": DEAD,
            "KEY_PREFIX": "ogp",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=DEAD, task_always_eager=False)
    _reset_producers()
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset_producers()
        # The circuit breaker is per process: the next test's cache must be tried at once.
        fault_tolerant.outage.down_until = 0.0


def redis_back():
    """Redis is back: tasks run (inline) again."""
    app.conf.update(task_always_eager=True)
    _reset_producers()
    fault_tolerant.outage.down_until = 0.0


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """`with committing():` runs what the request's transaction runs once it commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world():
    plan = ActionPlanFactory(status="cocreation", published=True)
    ConsultationFactory(space=plan)
    commitment = CommitmentFactory(plan=plan)
    follower = UserFactory()
    for target in (plan, commitment):
        Follow.objects.create(
            target_type=content_type_of(target), target_id=target.pk, user=follower
        )
    return {"plan": plan, "commitment": commitment, "follower": follower}


def make_older(model, by=datetime.timedelta(minutes=2)):
    """As if the re-queue's minute had passed."""
    model.objects.update(created_at=timezone.now() - by)


# --- The cache ------------------------------------------------------------------------------


def test_the_cache_is_empty_and_keeps_nothing_while_redis_is_down(redis_down, caplog):
    caplog.set_level(logging.WARNING, logger="ogp_platform.cache")
    started = time.monotonic()
    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["key"]) == {}
    assert cache.has_key("key") is False
    assert cache.get_or_set("key", "computed") == "computed"
    # Rate limits fail open: a lock taken with add() is granted, a count starts afresh.
    assert cache.add("lock", True) is True
    assert cache.incr("count") == 1
    cache.delete("key")
    cache.delete_many(["key"])
    cache.set_many({"a": 1})
    cache.clear()
    assert time.monotonic() - started < 1
    # One warning for the whole outage, not one per call.
    warnings = [r for r in caplog.records if r.name == "ogp_platform.cache"]
    assert len(warnings) == 1
    assert "cache unavailable" in warnings[0].getMessage()


def test_after_a_failure_the_cache_is_not_tried_again_for_a_moment(redis_down, monkeypatch):
    calls = []
    original = fault_tolerant.RedisCache.get

    def counting_get(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(fault_tolerant.RedisCache, "get", counting_get)
    for _ in range(5):
        cache.get("key")
    assert len(calls) == 1
    fault_tolerant.outage.down_until = 0.0  # RETRY_AFTER has passed
    cache.get("key")
    assert len(calls) == 2


def test_errors_other_than_an_unreachable_redis_still_show(redis_down, monkeypatch):
    """Only "cannot reach Redis" is a miss: any other error (a bug) is not swallowed."""
    from django.core.cache.backends.redis import RedisCacheClient
    from redis.exceptions import ResponseError

    def wrong_type(self, key, default):
        raise ResponseError("WRONGTYPE Operation against a key holding the wrong kind of value")

    monkeypatch.setattr(RedisCacheClient, "get", wrong_type)
    with pytest.raises(ResponseError):
        cache.get("key")


def test_with_redis_up_the_cache_behaves_as_djangos(settings, redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "ogp_platform.cache.FaultTolerantRedisCache",
            "LOCATION": urlsplit(redis_url)._replace(path="/15").geturl(),
            "KEY_PREFIX": "ogp-redis-down-test",
        }
    }
    cache.set("key", "value")
    assert cache.get("key") == "value"
    assert cache.add("key", "other") is False
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.delete("key")


# --- Pages, comments, votes, sign-ups while Redis is down -----------------------------------


def test_pages_still_serve(client, world, redis_down):
    pages = [
        reverse("home"),
        world["plan"].get_absolute_url(),
        world["commitment"].get_absolute_url(),
        reverse("members:directory"),
    ]
    for signed_in in (False, True):
        if signed_in:
            client.force_login(world["follower"])
        for url in pages:
            started = time.monotonic()
            response = client.get(url)
            assert response.status_code == 200, url
            assert time.monotonic() - started < 2, url


def test_comments_and_votes_save_and_their_notifications_are_sent_once_redis_is_back(
    client, world, redis_down, committing
):
    author = UserFactory()
    client.force_login(author)
    plan, commitment, follower = world["plan"], world["commitment"], world["follower"]
    comment_url = reverse("participation:comment_post", args=args_of(plan))
    with committing():
        response = client.post(comment_url, {"body": "Publish every contract.", "next": "/"})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author, comment.body) == (author, "Publish every contract.")

    vote_url = reverse("participation:vote_cast", args=args_of(commitment))
    with committing():
        response = client.post(vote_url, {"value": "support"})
    assert response.status_code == 302
    assert Vote.objects.filter(user=author, value=1).count() == 1

    # The follower's notification is recorded; its task could not be queued.
    notification = Notification.objects.get(user=follower)
    assert notification.sent_at is None
    assert mail.outbox == []

    redis_back()
    # Within the minute, its own task may still be on its way: nothing is re-queued yet.
    with committing():
        assert participation_tasks.requeue_unsent_notifications() == 0
    make_older(Notification)
    with committing():
        assert participation_tasks.requeue_unsent_notifications() == 1
    assert [m.to for m in mail.outbox] == [[follower.email]]
    # A second run, or a duplicate task, sends nothing more.
    with committing():
        assert participation_tasks.requeue_unsent_notifications() == 0
        participation_tasks.send_notification(notification.pk)
        outbox_tasks.requeue()
    assert len(mail.outbox) == 1


def test_sign_up_works_and_its_verification_email_waits_in_the_outbox(
    client, redis_down, committing
):
    with committing():
        response = client.post(
            reverse("account_signup"),
            {
                "email": "ilze@example.org",
                "display_name": "Ilze Kalniņa",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    email = OutboundEmail.objects.get()
    assert email.recipients == ["ilze@example.org"] and email.sent_at is None
    assert mail.outbox == []

    redis_back()
    make_older(OutboundEmail)
    with committing():
        assert outbox_tasks.requeue() == 1
    assert [m.to for m in mail.outbox] == [["ilze@example.org"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    with committing():
        assert outbox_tasks.requeue() == 0
        assert outbox_tasks.send_outbound_email(email.pk) is False
    assert len(mail.outbox) == 1


def test_signing_in_is_not_rate_limited_shut(client, redis_down):
    """allauth counts attempts in the cache; with the cache down it lets people in (fail open)
    instead of answering 429 to everyone."""
    user = UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302


def test_an_import_that_cannot_be_queued_fails_at_once_with_a_message(redis_down, committing):
    from django.contrib.auth.models import Group

    admin = UserFactory()
    Group.objects.get(name="OGP admins").user_set.add(admin)
    with committing():
        run = commitment_import_start(
            actor=admin, data=b"Commitment Unique Identifier\n", file_name="irm.csv", dry_run=True
        )
    run.refresh_from_db()
    assert run.status == CommitmentImport.Status.FAILED
    assert "could not be queued" in run.error
