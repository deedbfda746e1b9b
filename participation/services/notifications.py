"""Notifications by email: who hears of what, when, and the setting that decides how often.

Events (recorded by the services where they happen, inside their transaction):
- a response to my input (the author of a comment that entered the register),
- a reply to my comment,
- a new comment (or reply) on an object I follow — the followed object itself, not what it
  holds: following a plan does not bring the comments on its commitments,
- a consultation opening or closing on an object I follow: the consultation's space (the plan)
  and what the space holds (its commitments), since the consultation governs them too.

Nobody hears of their own actions, and nobody hears twice of one event: each notification has
a key naming the event, unique per recipient (a database constraint). People whose setting is
"off", without a verified address, or inactive are not recorded at all.

Sending happens outside the request: after the event's transaction commits, one Celery task per
notification (`participation.send_notification`) for those who hear immediately; once a day, a
digest per person (`participation.send_daily_digests`) for those who asked for one. Both mark a
notification sent with a conditional UPDATE before handing the email to the mail backend, so a
retried task never mails twice. What an email says is read when it goes out, in the recipient's
language: a comment removed meanwhile, or a response replaced or withdrawn meanwhile, is not
sent (marked `skipped`). The sending and the emails are in `notification_emails`.
"""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..interface import is_space, space_adapter
from ..models import Comment, Follow, Input, Notification, NotificationSetting

Frequency = NotificationSetting.Frequency
Kind = Notification.Kind


# --- The setting ----------------------------------------------------------------------------


def frequency_of(user) -> str:
    """How often the user hears: their setting, or immediately when they never chose."""
    try:
        return user.notification_setting.frequency
    except NotificationSetting.DoesNotExist:
        return Frequency.IMMEDIATELY


def setting_for(user) -> NotificationSetting:
    """The user's setting row (made, with the default frequency, when they have none): emails
    need its unsubscribe token."""
    setting, _created = NotificationSetting.objects.get_or_create(user=user)
    return setting


@transaction.atomic
def notification_settings_update(*, user, frequency: str) -> NotificationSetting:
    """Set how often the user hears by email. Turning notifications off drops what was still
    waiting to be sent; leaving the daily digest for "immediately" sends what was waiting for
    the digest at once, in one email (after commit)."""
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose how often you want to hear from us.")})
    setting, _created = NotificationSetting.objects.select_for_update().get_or_create(user=user)
    previous = setting.frequency
    if previous == frequency:
        return setting
    now = timezone.now()
    setting.frequency = frequency
    setting.updated_at = now
    setting.save(update_fields=["frequency", "updated_at"])
    unsent = Notification.objects.filter(user=user, sent_at__isnull=True)
    if frequency == Frequency.OFF:
        unsent.update(sent_at=now, skipped=True)
    elif previous == Frequency.DAILY and unsent.exists():
        from ..tasks import send_digest

        user_id = user.pk
        transaction.on_commit(lambda: send_digest.delay(user_id), robust=True)
    # Cached on the user instance by `frequency_of`.
    user.notification_setting = setting
    return setting


def notifications_unsubscribe(*, token: str) -> NotificationSetting:
    """The one-click unsubscribe of the emails' link: no more notification emails for the
    token's owner. NotificationSetting.DoesNotExist for a token nobody has."""
    setting = NotificationSetting.objects.select_related("user").get(unsubscribe_token=token)
    return notification_settings_update(user=setting.user, frequency=Frequency.OFF)


# --- Recording events -----------------------------------------------------------------------


def _reachable(user_ids, *, actor=None):
    """Of these users, those to record notifications for: active, with a verified address, not
    unsubscribed, and not the one who acted."""
    User = get_user_model()
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    users = (
        User.objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="")
        .filter(Exists(verified))
        .exclude(notification_setting__frequency=Frequency.OFF)
    )
    if actor is not None:
        users = users.exclude(pk=actor.pk)
    return users.values_list("pk", flat=True)


def _followers(targets) -> list[int]:
    """The users who follow any of the targets."""
    condition = Q()
    for target in targets:
        condition |= Q(target_type=selectors.content_type_of(target), target_id=target.pk)
    if not condition:
        return []
    return list(Follow.objects.filter(condition).values_list("user_id", flat=True).distinct())


def _record(user_ids, *, kind: str, key: str, target, actor=None, created_at=None, **about):
    """Record one notification per reachable recipient (an event already recorded for someone
    is not recorded again: the key is unique per person) and send the immediate ones once the
    transaction commits."""
    recipients = list(_reachable(user_ids, actor=actor))
    if not recipients:
        return
    content_type = selectors.content_type_of(target)
    created_at = created_at or timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                kind=kind,
                key=key,
                target_type=content_type,
                target_id=target.pk,
                created_at=created_at,
                **about,
            )
            for user_id in recipients
        ],
        ignore_conflicts=True,
    )
    _send_after_commit(key)


def _send_after_commit(key: str) -> None:
    """Queue the sending of the event's unsent notifications to those who hear immediately,
    once the transaction commits (nothing is queued when it rolls back)."""
    ids = list(
        Notification.objects.filter(key=key, sent_at__isnull=True)
        .exclude(user__notification_setting__frequency__in=[Frequency.DAILY, Frequency.OFF])
        .values_list("pk", flat=True)
    )
    if not ids:
        return

    def enqueue():
        from ..tasks import send_notification

        for pk in ids:
            send_notification.delay(pk)

    # Robust: a broker that cannot take the task must not turn a saved comment into an error
    # page; the failure is logged (and the first failure stops the loop), and
    # `requeue_unsent_notifications` queues what was left a minute later.
    transaction.on_commit(enqueue, robust=True)


# Younger than this, a notification still has its own task on its way; older than `REQUEUE_FOR`,
# it is stale news, left unsent rather than retried every minute for ever (the digest's
# notifications are not concerned: the daily run sends whatever waits).
REQUEUE_AFTER = datetime.timedelta(minutes=1)
REQUEUE_FOR = datetime.timedelta(days=2)


def unsent_immediate_notification_ids(*, now=None, limit: int = 500) -> list[int]:
    """The notifications to those who hear immediately that are still unsent a minute after
    they were recorded (their task could not be queued, or was lost), oldest first."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            sent_at__isnull=True,
            created_at__lte=now - REQUEUE_AFTER,
            created_at__gt=now - REQUEUE_FOR,
        )
        .exclude(user__notification_setting__frequency__in=[Frequency.DAILY, Frequency.OFF])
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def notify_response(*, actor, input: Input) -> None:
    """The author of a comment hears that their input received a response (each change of the
    response is an event of its own; the officer who responds to their own comment is not
    told)."""
    if input.source != Input.Source.COMMENT or input.responded_at is None:
        return
    comment = input.comment
    space = input.space
    if comment is None or space is None:
        return
    _record(
        [comment.author_id],
        kind=Kind.RESPONSE,
        key=f"response:{input.pk}:{input.responded_at.isoformat()}",
        target=space,
        actor=actor,
        created_at=input.responded_at,
        input=input,
        comment=comment,
    )


@transaction.atomic
def notify_comment(*, actor, comment: Comment) -> None:
    """The author of the comment replied to hears of the reply; those who follow the commented
    object hear of the new comment (one notification each, even for the followers who wrote
    the comment replied to)."""
    target = comment.target
    key = f"comment:{comment.pk}"
    if comment.parent_id is not None:
        _record(
            [comment.parent.author_id],
            kind=Kind.REPLY,
            key=key,
            target=target,
            actor=actor,
            created_at=comment.created_at,
            comment=comment,
        )
    _record(
        _followers([target]),
        kind=Kind.COMMENT,
        key=key,
        target=target,
        actor=actor,
        created_at=comment.created_at,
        comment=comment,
    )


def _space_and_children(space) -> list:
    return [space, *space_adapter(space).children(space)]


@transaction.atomic
def notify_consultations(*, consultations, opened: bool, actor=None) -> None:
    """Those who follow a consultation's space, or something it holds, hear that it opened (or
    closed). `actor` is whoever opened or closed it by hand (None for the scheduler)."""
    kind = Kind.CONSULTATION_OPENED if opened else Kind.CONSULTATION_CLOSED
    for consultation in consultations:
        space = consultation.space
        if not is_space(space):
            continue
        _record(
            _followers(_space_and_children(space)),
            kind=kind,
            key=f"{kind}:{consultation.pk}",
            target=space,
            actor=actor,
            consultation=consultation,
        )
