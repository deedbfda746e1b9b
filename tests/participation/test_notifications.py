"""Notifications: which events tell whom (never the actor), the per-person setting (immediately,
daily digest, off), idempotent sending (a retried task or digest never mails twice), what the
emails say and in which language, and that nothing is mailed before the event commits.

Emails go through the platform's queue: the notification task hands the message to the queued
backend, whose own task delivers it to `mail.outbox` once the transaction commits.
"""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from action_plans.models import ActionPlan
from participation import tasks
from participation.links import args_of
from participation.models import Follow, Input, Notification, NotificationSetting
from participation.selectors import content_type_of
from participation.services import comments as comment_services
from participation.services import consultations as consultation_services
from participation.services import notification_emails as emails
from participation.services import notifications as services
from participation.services import register as register_services
from participation.services.moderation import comment_hide
from tests.factories import UserFactory
from tests.members.factories import MemberRoleFactory
from tests.participation.factories import ConsultationFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
Kind = Notification.Kind
Frequency = NotificationSetting.Frequency


# --- Helpers ---------------------------------------------------------------------------------


def follow(user, target):
    Follow.objects.create(target_type=content_type_of(target), target_id=target.pk, user=user)


def post(actor, target, body="Publish every contract within a week.", parent=None):
    return comment_services.comment_post(actor=actor, target=target, body=body, parent=parent)


def notified(**filters) -> set:
    """The ids of the users with a notification matching the filters."""
    return set(Notification.objects.filter(**filters).values_list("user_id", flat=True))


def choose(user, frequency):
    services.notification_settings_update(user=user, frequency=frequency)


@pytest.fixture
def delivering(django_capture_on_commit_callbacks):
    """`with delivering():` runs what commits inside (the queued mail backend hands emails to
    the outbox on commit; the test's own transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def plan():
    plan = ActionPlanFactory(status="cocreation", published=True)
    ConsultationFactory(space=plan)
    return plan


@pytest.fixture
def commitment(plan):
    return CommitmentFactory(plan=plan)


@pytest.fixture
def officer(plan):
    return MemberRoleFactory(member=plan.member, role="officer").user


# --- Events: who hears of what ---------------------------------------------------------------


def test_a_reply_tells_the_author_of_the_comment_replied_to_and_not_the_replier(
    plan, django_capture_on_commit_callbacks
):
    author, replier = UserFactory(), UserFactory()
    comment = post(author, plan)
    with django_capture_on_commit_callbacks(execute=True):
        reply = post(replier, plan, body="Within a month would do.", parent=comment)
    assert notified(kind=Kind.REPLY, comment=reply) == {author.pk}
    assert not Notification.objects.filter(user=replier).exists()
    assert [m.to for m in mail.outbox] == [[author.email]]
    assert "replied to your comment" in mail.outbox[0].subject
    assert "Within a month would do." in mail.outbox[0].body


def test_replying_to_ones_own_comment_tells_nobody(plan):
    author = UserFactory()
    comment = post(author, plan)
    post(author, plan, body="And one more thing.", parent=comment)
    assert not Notification.objects.exists()


def test_followers_hear_of_new_comments_on_what_they_follow_but_not_the_author(plan, commitment):
    """Following a commitment brings its comments (and replies); following the plan brings the
    plan's own comments, not those on its commitments (the followed object itself only)."""
    of_commitment, of_plan, author = UserFactory(), UserFactory(), UserFactory()
    follow(of_commitment, commitment)
    follow(of_plan, plan)
    follow(author, commitment)
    comment = post(author, commitment)
    assert notified(kind=Kind.COMMENT, comment=comment) == {of_commitment.pk}
    reply = post(of_plan, commitment, body="Agreed.", parent=comment)
    # The author hears of the reply (once, as a reply, though they also follow the commitment).
    assert notified(comment=reply) == {of_commitment.pk, author.pk}
    assert notified(comment=reply, kind=Kind.REPLY) == {author.pk}
    on_plan = post(author, plan, body="On the plan itself.")
    assert notified(comment=on_plan) == {of_plan.pk}


def test_comments_on_a_milestone_reach_its_followers_with_a_link_to_its_discussion(
    plan, commitment, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(commitment=commitment)
    follower = UserFactory()
    follow(follower, milestone)
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(UserFactory(), milestone)
    (message,) = mail.outbox
    assert (
        f"{settings.SITE_URL}/comments/milestone/{milestone.pk}/?comments_page=1#comment-{comment.pk}"
        in message.body
    )


def test_unverified_inactive_and_unsubscribed_followers_are_not_recorded(plan):
    unverified, inactive, off, on = (
        UserFactory(verified=False),
        UserFactory(is_active=False),
        UserFactory(),
        UserFactory(),
    )
    for person in (unverified, inactive, off, on):
        follow(person, plan)
    choose(off, Frequency.OFF)
    post(UserFactory(), plan)
    assert notified() == {on.pk}


def test_a_response_tells_the_author_of_the_input(
    plan, officer, django_capture_on_commit_callbacks
):
    author = UserFactory()
    item = post(author, plan).input
    with django_capture_on_commit_callbacks(execute=True):
        register_services.input_respond(
            actor=officer, input=item, disposition="accepted", reason="Good idea."
        )
    assert notified(kind=Kind.RESPONSE, input=item) == {author.pk}
    assert [m.to for m in mail.outbox] == [[author.email]]


def test_an_officer_responding_to_their_own_comment_is_not_told(plan, officer):
    item = post(officer, plan).input
    register_services.input_respond(
        actor=officer, input=item, disposition="accepted", reason="Good idea."
    )
    assert not Notification.objects.exists()


def scheduled(plan):
    now = timezone.now()
    return ConsultationFactory(
        space=plan, state="scheduled", opens_at=now + DAY, closes_at=now + 3 * DAY
    )


@pytest.fixture
def quiet_plan():
    """A plan in co-creation without any consultation yet."""
    return ActionPlanFactory(status="cocreation", published=True)


def test_opening_and_closing_by_hand_tell_the_followers_of_the_plan_and_its_commitments(
    quiet_plan, django_capture_on_commit_callbacks
):
    plan = quiet_plan
    commitment = CommitmentFactory(plan=plan)
    officer = MemberRoleFactory(member=plan.member, role="officer").user
    of_plan, of_commitment, of_both, elsewhere = (UserFactory() for _ in range(4))
    follow(of_plan, plan)
    follow(of_commitment, commitment)
    follow(of_both, plan)
    follow(of_both, commitment)
    follow(officer, plan)
    follow(elsewhere, CommitmentFactory())
    consultation = scheduled(plan)
    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.consultation_open(actor=officer, consultation=consultation)
    everyone = {of_plan.pk, of_commitment.pk, of_both.pk}
    assert notified(kind=Kind.CONSULTATION_OPENED, consultation=consultation) == everyone
    assert len(mail.outbox) == 3
    assert "A consultation has opened" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.consultation_close(actor=officer, consultation=consultation)
    assert notified(kind=Kind.CONSULTATION_CLOSED, consultation=consultation) == everyone
    assert len(mail.outbox) == 6
    assert "has closed" in mail.outbox[-1].subject


def test_the_scheduler_tells_followers_once_when_it_opens_and_closes_a_consultation(
    quiet_plan, delivering
):
    plan = quiet_plan
    follower = UserFactory()
    follow(follower, plan)
    now = timezone.now()
    ConsultationFactory(space=plan, state="scheduled", opens_at=now - DAY, closes_at=now + DAY)
    with delivering():
        assert consultation_services.consultations_tick(now=now) == (1, 0)
        assert consultation_services.consultations_tick(now=now) == (0, 0)
    assert notified(kind=Kind.CONSULTATION_OPENED) == {follower.pk}
    with delivering():
        assert consultation_services.consultations_tick(now=now + 2 * DAY) == (0, 1)
        assert consultation_services.consultations_tick(now=now + 2 * DAY) == (0, 0)
    assert notified(kind=Kind.CONSULTATION_CLOSED) == {follower.pk}
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_consultation_ended_with_its_plans_co_creation_tells_the_followers(plan):
    follower = UserFactory()
    follow(follower, plan)
    scheduled_one = scheduled(plan)
    officer = MemberRoleFactory(member=plan.member, role="officer").user
    assert consultation_services.consultations_end_for_space(actor=officer, space=plan) == 2
    # The open one closed; the scheduled one never opened, so nobody hears of it.
    assert notified(kind=Kind.CONSULTATION_CLOSED) == {follower.pk}
    assert not Notification.objects.filter(consultation=scheduled_one).exists()


def test_recording_an_event_twice_tells_nobody_twice(plan, django_capture_on_commit_callbacks):
    follower = UserFactory()
    follow(follower, plan)
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(UserFactory(), plan)
        services.notify_comment(actor=comment.author, comment=comment)
    assert Notification.objects.filter(user=follower).count() == 1
    assert len(mail.outbox) == 1


# --- Nothing inside the request --------------------------------------------------------------


def test_nothing_is_recorded_or_queued_when_the_transaction_rolls_back(
    plan, django_capture_on_commit_callbacks
):
    follow(UserFactory(), plan)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                post(UserFactory(), plan)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_posting_a_comment_mails_nothing_in_the_request_only_after_commit(
    client, plan, django_capture_on_commit_callbacks, delivering
):
    """The view records the notification; the email goes out only when the transaction's
    on-commit callback queues the task (the test captures callbacks without running them)."""
    follower, author = UserFactory(), UserFactory()
    follow(follower, plan)
    client.force_login(author)
    url = reverse("participation:comment_post", args=args_of(plan))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"body": "Hello", "next": plan.get_absolute_url()})
    assert response.status_code == 302
    notification = Notification.objects.get()
    assert notification.user == follower and notification.sent_at is None
    assert mail.outbox == []
    assert callbacks
    with mock.patch.object(tasks.send_notification, "delay") as delay:
        for callback in callbacks:
            callback()
    delay.assert_called_once_with(notification.pk)
    assert mail.outbox == []
    with delivering():
        tasks.send_notification(notification.pk)  # what the worker does
    assert [m.to for m in mail.outbox] == [[follower.email]]


# --- Idempotent sending ----------------------------------------------------------------------


def test_running_the_send_task_twice_mails_once(plan, delivering):
    follower = UserFactory()
    follow(follower, plan)
    with mock.patch.object(tasks.send_notification, "delay"):
        post(UserFactory(), plan)
    notification = Notification.objects.get()
    with delivering():
        assert tasks.send_notification(notification.pk) is True
    with delivering():
        assert tasks.send_notification(notification.pk) is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None and not notification.skipped


def test_a_failure_before_the_email_is_handed_over_leaves_it_to_send_on_retry(plan, delivering):
    """The "sent" mark and the hand-over are one transaction: an error in between rolls the
    mark back, so the retried task sends it (once)."""
    follow(UserFactory(), plan)
    with mock.patch.object(tasks.send_notification, "delay"):
        post(UserFactory(), plan)
    notification = Notification.objects.get()
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")),
        pytest.raises(OSError),
    ):
        emails.notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.sent_at is None
    with delivering():
        assert tasks.send_notification(notification.pk) is True
        assert tasks.send_notification(notification.pk) is False
    assert len(mail.outbox) == 1


def test_a_hidden_or_deleted_comment_is_not_mailed(plan):
    follower = UserFactory()
    follow(follower, plan)
    moderator = UserFactory()
    Group.objects.get(name="Moderators").user_set.add(moderator)
    with mock.patch.object(tasks.send_notification, "delay"):
        hidden = post(UserFactory(), plan, body="Abuse.")
        deleted = post(UserFactory(), plan, body="Oops.")
    comment_hide(actor=moderator, comment=hidden, reason="Abusive.")
    comment_services.comment_delete(actor=deleted.author, comment=deleted)
    for notification in Notification.objects.all():
        assert tasks.send_notification(notification.pk) is False
    assert mail.outbox == []
    assert set(Notification.objects.values_list("skipped", flat=True)) == {True}


def test_only_the_response_standing_when_the_email_goes_out_is_mailed(
    plan, officer, django_capture_on_commit_callbacks
):
    """Replaced before its email went out: only the new response is mailed. Withdrawn (set
    back to pending) before it went out: nothing is."""
    item = post(UserFactory(), plan).input
    with django_capture_on_commit_callbacks(execute=True):
        register_services.input_respond(
            actor=officer, input=item, disposition="not_accepted", reason="Out of budget."
        )
        register_services.input_respond(
            actor=officer, input=item, disposition="accepted", reason="Budget was found."
        )
    assert len(mail.outbox) == 1
    assert "Budget was found." in mail.outbox[0].body
    assert "Out of budget." not in mail.outbox[0].body
    assert Notification.objects.filter(skipped=True).count() == 1

    other = post(UserFactory(), plan, body="Another idea.").input
    with django_capture_on_commit_callbacks(execute=True):
        register_services.input_respond(
            actor=officer, input=other, disposition="accepted", reason="Fine."
        )
        register_services.input_respond(
            actor=officer, input=other, disposition="pending", reason=""
        )
    assert len(mail.outbox) == 1


def test_a_follower_who_may_no_longer_read_the_plan_is_not_mailed(plan):
    follower = UserFactory()
    follow(follower, plan)
    with mock.patch.object(tasks.send_notification, "delay"):
        post(UserFactory(), plan)
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.DRAFT, published_at=None)
    assert tasks.send_notification(Notification.objects.get().pk) is False
    assert mail.outbox == []


# --- The setting -----------------------------------------------------------------------------


def test_off_records_and_mails_nothing(plan, officer):
    author = UserFactory()
    follow(author, plan)
    choose(author, Frequency.OFF)
    comment = post(author, plan)
    post(UserFactory(), plan, body="A reply.", parent=comment)
    post(UserFactory(), plan, body="Another comment.")
    register_services.input_respond(
        actor=officer, input=comment.input, disposition="accepted", reason="Yes."
    )
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_daily_sends_nothing_at_once_and_one_digest_later(
    plan, officer, django_capture_on_commit_callbacks, delivering
):
    person = UserFactory(display_name="Ilze")
    follow(person, plan)
    choose(person, Frequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        mine = post(person, plan, body="My idea.")
        post(UserFactory(display_name="Anna"), plan, body="Another idea.")
        post(UserFactory(display_name="Juris"), plan, body="I disagree.", parent=mine)
        register_services.input_respond(
            actor=officer, input=mine.input, disposition="accepted", reason="Taken on board."
        )
    assert mail.outbox == []
    assert Notification.objects.filter(user=person, sent_at__isnull=True).count() == 3

    other_daily = UserFactory()
    choose(other_daily, Frequency.DAILY)  # nothing waiting: no digest
    immediate = UserFactory()
    follow(immediate, plan)
    with mock.patch.object(tasks.send_notification, "delay"):
        # The immediate follower's notification waits for its task, not for a digest.
        post(UserFactory(), plan, body="One more.")
    assert emails.daily_digest_recipients() == [person.pk]

    with delivering():
        assert tasks.send_daily_digests() == 1
    (digest,) = mail.outbox
    assert digest.to == [person.email]
    assert "4 updates" in digest.subject
    assert "Anna commented on" in digest.body
    assert "Juris replied to your comment" in digest.body
    assert "I disagree." in digest.body
    assert "Taken on board." in digest.body
    assert "One more." in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    assert not Notification.objects.filter(user=person, sent_at__isnull=True).exists()
    # The next morning, or the same task run twice: nothing more.
    with delivering():
        assert tasks.send_daily_digests() == 0
        assert tasks.send_digest(person.pk) == 0
    assert len(mail.outbox) == 1


def test_the_digest_run_twice_at_once_mails_each_notification_once(plan, delivering):
    """Two digest tasks for one person that both read the waiting notifications before either
    marks them: each notification is claimed by one of them only."""
    person = UserFactory()
    follow(person, plan)
    choose(person, Frequency.DAILY)
    post(UserFactory(), plan, body="One.")
    post(UserFactory(), plan, body="Two.")
    real_claim = emails._claim
    second_run = []

    def claim_after_a_rival(notification_id, *, skipped):
        if not second_run:
            second_run.append(True)
            assert emails.digest_send(user_id=person.pk) == 2  # the rival gets there first
        return real_claim(notification_id, skipped=skipped)

    with delivering(), mock.patch.object(emails, "_claim", side_effect=claim_after_a_rival):
        assert emails.digest_send(user_id=person.pk) == 0
    assert len(mail.outbox) == 1


def test_switching_to_daily_before_the_task_runs_leaves_it_for_the_digest(plan, delivering):
    person = UserFactory()
    follow(person, plan)
    with mock.patch.object(tasks.send_notification, "delay"):
        post(UserFactory(), plan)
    choose(person, Frequency.DAILY)
    notification = Notification.objects.get()
    assert tasks.send_notification(notification.pk) is False
    assert mail.outbox == []
    with delivering():
        assert tasks.send_daily_digests() == 1
    assert len(mail.outbox) == 1


def test_turning_notifications_off_drops_what_was_waiting(plan):
    person = UserFactory()
    follow(person, plan)
    choose(person, Frequency.DAILY)
    post(UserFactory(), plan)
    choose(person, Frequency.OFF)
    assert Notification.objects.get().skipped
    assert tasks.send_daily_digests() == 0
    assert mail.outbox == []


def test_leaving_the_digest_for_immediately_sends_what_waited_at_once_in_one_email(
    plan, django_capture_on_commit_callbacks
):
    person = UserFactory()
    follow(person, plan)
    choose(person, Frequency.DAILY)
    post(UserFactory(), plan, body="One.")
    post(UserFactory(), plan, body="Two.")
    with django_capture_on_commit_callbacks(execute=True):
        choose(person, Frequency.IMMEDIATELY)
    (message,) = mail.outbox
    assert "One." in message.body and "Two." in message.body


def test_an_unknown_frequency_is_refused(user):
    with pytest.raises(ValidationError):
        choose(user, "hourly")


# --- What the emails say ---------------------------------------------------------------------


def test_every_email_has_the_one_click_unsubscribe_and_absolute_links(
    plan, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    follow(follower, plan)
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(UserFactory(display_name="Anna"), plan, body="Publish *all* of it.")
    (message,) = mail.outbox
    token = NotificationSetting.objects.get(user=follower).unsubscribe_token
    unsubscribe = f"{settings.SITE_URL}/notifications/unsubscribe/{token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    assert f"{settings.SITE_URL}/notifications/settings/" in message.body
    assert (
        f"{settings.SITE_URL}{plan.get_absolute_url()}?comments_page=1#comment-{comment.pk}"
        in message.body
    )
    assert "Anna commented on" in message.subject
    assert "Publish *all* of it." in message.body  # plain text, as written
    assert message.content_subtype == "plain"


def test_user_text_is_not_html_escaped_in_plain_text_emails(
    plan, django_capture_on_commit_callbacks
):
    follow(UserFactory(), plan)
    with django_capture_on_commit_callbacks(execute=True):
        post(UserFactory(display_name="O'Brien & Co"), plan, body='Say "yes" & <mean> it.')
    (message,) = mail.outbox
    assert "O'Brien & Co" in message.subject
    assert 'Say "yes" & <mean> it.' in message.body
    assert "&amp;" not in message.body and "&#x27;" not in message.subject


def test_the_email_is_in_the_recipients_language(quiet_plan, django_capture_on_commit_callbacks):
    """An Italian follower gets Italian dates (from Django's own catalogue), an English one
    English; the language of the code that sent it is left as it was."""
    plan = quiet_plan
    italian = UserFactory(preferred_language="it")
    english = UserFactory(preferred_language="en")
    follow(italian, plan)
    follow(english, plan)
    officer = MemberRoleFactory(member=plan.member, role="officer").user
    now = timezone.now()
    consultation = ConsultationFactory(
        space=plan,
        state="scheduled",
        opens_at=now + DAY,
        closes_at=timezone.make_aware(datetime.datetime(now.year + 1, 3, 4, 12)),
    )
    with translation.override("lv"), django_capture_on_commit_callbacks(execute=True):
        consultation_services.consultation_open(actor=officer, consultation=consultation)
        assert translation.get_language() == "lv"
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert "marzo" in by_recipient[italian.email].lower()
    assert "March" not in by_recipient[italian.email]
    assert "March" in by_recipient[english.email]


def test_the_response_email_keeps_the_registers_wording(
    plan, officer, django_capture_on_commit_callbacks
):
    author = UserFactory()
    item = post(author, plan).input
    with django_capture_on_commit_callbacks(execute=True):
        register_services.input_respond(
            actor=officer, input=item, disposition="out_of_scope", reason="Not for this plan."
        )
    (message,) = mail.outbox
    assert "received a response" in message.subject
    assert "Out of scope" in message.body
    assert f"#input-{item.pk}" in message.body
    assert "/notifications/unsubscribe/" in message.body
    assert "List-Unsubscribe" in message.extra_headers
    assert Input.objects.get(pk=item.pk).disposition == "out_of_scope"
