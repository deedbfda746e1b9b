"""Notification emails: what each says (read when it goes out, in the recipient's language),
and sending them, one by one to those who hear immediately and as a daily digest to those who
chose one. Which notifications exist, and the setting, are in `notifications`.

Sending is idempotent: a notification is marked sent with a conditional UPDATE ("... WHERE
sent_at IS NULL") before its email is handed to the mail backend, in the same transaction, so
that a retried task, a task delivered twice, or a digest racing an immediate task never mails
it twice, and an error before the hand-over leaves it to send again.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .. import links, policies, selectors
from ..interface import is_participable, nouns_of, title_of
from ..models import Comment, Input, Notification, NotificationSetting
from .notifications import frequency_of, setting_for

Frequency = NotificationSetting.Frequency
Kind = Notification.Kind


# --- What an email says ---------------------------------------------------------------------


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _comment_url(comment: Comment, target) -> str:
    """Where the comment shows: on its object's page (the discussion page for objects whose
    page has no comments section of its own, like milestones), at its page of the thread."""
    path = links.comments_page_url(target)
    page = selectors.comment_page_number(comment)
    return absolute(f"{path}?comments_page={page}#comment-{comment.pk}")


def _describe(notification: Notification) -> dict | None:
    """What the email says of this notification, as template context (in the active
    language), or None when there is nothing left to say: the recipient may no longer read the
    object, the comment was deleted or hidden, the response was replaced or withdrawn."""
    user = notification.user
    target = notification.target
    if target is None or not is_participable(target) or not policies.can_read(user, target):
        return None
    item = {
        "kind": notification.kind,
        "notification": notification,
        "target": target,
        "target_title": title_of(target),
        "nouns": nouns_of(target),
    }
    if notification.kind == Kind.RESPONSE:
        response = notification.input
        # Each change of the response is notified apart; only the one still standing is sent.
        if (
            response is None
            or response.disposition == Input.Disposition.PENDING
            or response.responded_at != notification.created_at
        ):
            return None
        taken_into = response.taken_into
        report = links.report_url_for(response.space_type_id, response.space_id)
        item.update(
            input=response,
            comment=response.comment,
            author=user,
            space_title=item["target_title"],
            disposition=response.get_disposition_display(),
            merged_into=response.merged_into,
            taken_into_title=title_of(taken_into) if taken_into else "",
            url=absolute(f"{report}#input-{response.pk}"),
        )
    elif notification.kind in (Kind.REPLY, Kind.COMMENT):
        comment = notification.comment
        if comment is None or comment.is_deleted or comment.is_hidden:
            return None
        item.update(
            comment=comment,
            comment_author=comment.author.get_full_name(),
            organisation=comment.organisation,
            url=_comment_url(comment, target),
        )
    else:
        consultation = notification.consultation
        if consultation is None:
            return None
        item.update(
            consultation=consultation,
            url=absolute(links.consultation_url(consultation)),
        )
    return item


def _links(user) -> dict:
    token = setting_for(user).unsubscribe_token
    return {
        "settings_url": absolute(reverse("participation:notifications_settings")),
        "unsubscribe_url": absolute(
            reverse("participation:notifications_unsubscribe", args=[token])
        ),
    }


def _message(user, *, subject: str, body: str, links: dict) -> EmailMessage:
    """A plain-text email with the one-click unsubscribe headers (RFC 8058)."""
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body.rstrip() + "\n",
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def _language(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _claim(notification_id: int, *, skipped: bool) -> bool:
    """Mark the notification sent, if nobody has: True for the one caller that did."""
    return bool(
        Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
            sent_at=timezone.now(), skipped=skipped
        )
    )


# --- Sending --------------------------------------------------------------------------------


def _unsent():
    return Notification.objects.filter(sent_at__isnull=True).select_related(
        "user__notification_setting",
        "comment__author",
        "comment__organisation",
        "comment__official_member",
        "input__merged_into",
        "consultation",
        "target_type",
    )


def notification_send(*, notification_id: int) -> bool:
    """Email one notification to someone who hears immediately; say whether an email went.
    Left alone for the digest when the recipient has switched to it meanwhile; marked skipped
    when they unsubscribed or there is nothing left to say. The notification is marked sent
    before the email is handed over, in the same transaction: run twice, it mails once."""
    notification = _unsent().filter(pk=notification_id).first()
    if notification is None:
        return False
    user = notification.user
    frequency = frequency_of(user)
    if frequency == Frequency.DAILY:
        return False
    message = None
    if frequency == Frequency.IMMEDIATELY:
        with translation.override(_language(user)):
            item = _describe(notification)
            if item is not None:
                links = _links(user)
                context = {
                    **item,
                    "item": item,
                    "user": user,
                    "site_name": settings.SITE_NAME,
                    **links,
                }
                message = _message(
                    user,
                    subject=render_to_string(
                        "participation/email/notification_subject.txt", context
                    ),
                    body=render_to_string("participation/email/notification.txt", context),
                    links=links,
                )
    with transaction.atomic():
        if not _claim(notification.pk, skipped=message is None):
            return False
        if message is not None:
            # The mail backend queues the delivery once this transaction commits.
            message.send()
    return message is not None


def daily_digest_recipients() -> list[int]:
    """The users on the daily digest with notifications waiting."""
    waiting = Notification.objects.filter(user=OuterRef("pk"), sent_at__isnull=True)
    return list(
        get_user_model()
        .objects.filter(notification_setting__frequency=Frequency.DAILY)
        .filter(Exists(waiting))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def digest_send(*, user_id: int) -> int:
    """Email the user one digest of every notification waiting for them, oldest first, and mark
    them sent; return how many the email holds. Each is marked with a conditional update before
    the email is handed over, so two runs at once, or one run twice, never put a notification
    in two emails. Nothing is mailed to someone who unsubscribed (what waited is dropped)."""
    pending = list(
        _unsent().filter(user_id=user_id).prefetch_related("target").order_by("created_at", "pk")
    )
    if not pending:
        return 0
    user = pending[0].user
    off = frequency_of(user) == Frequency.OFF
    with translation.override(_language(user)):
        described = [(n, None if off else _describe(n)) for n in pending]
        with transaction.atomic():
            items = [
                item
                for notification, item in described
                if _claim(notification.pk, skipped=item is None) and item is not None
            ]
            if items:
                links = _links(user)
                context = {
                    "items": items,
                    "user": user,
                    "site_name": settings.SITE_NAME,
                    **links,
                }
                _message(
                    user,
                    subject=render_to_string("participation/email/digest_subject.txt", context),
                    body=render_to_string("participation/email/digest.txt", context),
                    links=links,
                ).send()
    return len(items)
