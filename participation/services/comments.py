"""Writes to comments: post (or reply), edit within 15 minutes, and delete one's own.

People write while the consultation of the target's space is open (or at any time where the
space's feedback is always open), with a verified email address; replies go two levels deep. A
top-level comment is an input of the space's register (OGP Standard 4): posting it creates its
`Input`, pending a reasoned response. Posting is rate-limited per person, and an identical
comment by the same person on the same object within a day is refused, so that a double click
or a script does not flood a thread or the register.
"""

import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_platform.members.policies import organisations_user_speaks_for
from ogp_platform.services import require

from .. import markdown, policies
from ..interface import primary_member_of, space_adapter, space_of
from ..models import Comment, Consultation, Input
from ..selectors import content_type_of, current_consultation
from . import notifications

MAX_LENGTH = 5000
# Per person, over sliding windows: a burst of replies in a lively thread passes, a flood not.
RATE_LIMITS = (
    (datetime.timedelta(minutes=1), 5),
    (datetime.timedelta(hours=1), 30),
)
DUPLICATE_WINDOW = datetime.timedelta(hours=24)


def _clean_body(body: str) -> str:
    # Browsers send a textarea's line breaks as CRLF: one character each, as the person (and the
    # counter under the box) counts them.
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"body": _("Write your comment.")})
    if len(body) > MAX_LENGTH:
        raise ValidationError(
            {
                "body": _(
                    "A comment can be at most %(max)d characters long; this one has %(length)d."
                )
                % {"max": MAX_LENGTH, "length": len(body)}
            }
        )
    return body


# --- Rate limit ------------------------------------------------------------------------------


def _rate_key(user) -> str:
    return f"participation:comment-times:{user.pk}"


def _recent_post_times(user, now: datetime.datetime) -> list[float]:
    """Timestamps of the user's comments within the longest window, newest last."""
    longest = max(window for window, _limit in RATE_LIMITS).total_seconds()
    times = cache.get(_rate_key(user)) or []
    return [t for t in times if now.timestamp() - t < longest]


def _check_rate(user, now: datetime.datetime) -> None:
    times = _recent_post_times(user, now)
    for window, limit in RATE_LIMITS:
        recent = [t for t in times if now.timestamp() - t < window.total_seconds()]
        if len(recent) >= limit:
            if window <= datetime.timedelta(minutes=1):
                message = _("You are posting too fast; try again in a minute.")
            else:
                message = _(
                    "You have posted %(count)d comments in the last hour; try again later."
                ) % {"count": len(recent)}
            raise ValidationError(message, code="rate_limited")


def _record_post(user, now: datetime.datetime) -> None:
    longest = max(window for window, _limit in RATE_LIMITS)
    times = [*_recent_post_times(user, now), now.timestamp()]
    cache.set(_rate_key(user), times, timeout=int(longest.total_seconds()))


# --- Posting ---------------------------------------------------------------------------------


def _open_consultation(target) -> Consultation | None:
    """The open consultation that governs the target, locked against closing while we write;
    where the space's feedback is always open, that consultation if one is open, else None."""
    consultation = current_consultation(target)
    if consultation is not None:
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not policies.consultation_required(target):
        return consultation if consultation is not None and consultation.is_open else None
    if consultation is None:
        raise ValidationError(_("There is no consultation here: comments are not open."))
    if consultation.state == Consultation.State.SCHEDULED:
        raise ValidationError(_("The consultation has not opened yet."))
    if not consultation.is_open:
        raise ValidationError(_("The consultation is closed: comments stay readable."))
    return consultation


def _check_parent(parent: Comment | None, target) -> int:
    """The depth of a reply to `parent` (0 for a top-level comment)."""
    if parent is None:
        return 0
    parent.refresh_from_db(fields=["target_type", "target_id", "depth", "deleted_at", "hidden_at"])
    if parent.target_type_id != content_type_of(target).pk or parent.target_id != target.pk:
        raise ValidationError(_("You can only reply to a comment on the same page."))
    if parent.is_deleted or parent.is_hidden:
        raise ValidationError(_("This comment has been removed; it takes no more replies."))
    if parent.depth >= Comment.MAX_DEPTH:
        raise ValidationError(
            _("Replies go two levels deep at most: reply to the comment this one answers.")
        )
    return parent.depth + 1


def _check_organisation(actor, organisation) -> None:
    if (
        organisation is not None
        and not organisations_user_speaks_for(actor).filter(pk=organisation.pk).exists()
    ):
        raise ValidationError(
            {"organisation": _("You can only speak for an organisation you are a member of.")}
        )


def _check_duplicate(actor, target, body: str, now: datetime.datetime) -> None:
    if Comment.objects.filter(
        target_type=content_type_of(target),
        target_id=target.pk,
        author=actor,
        body=body,
        deleted_at__isnull=True,
        created_at__gte=now - DUPLICATE_WINDOW,
    ).exists():
        raise ValidationError(
            {"body": _("You have already posted this comment here in the last 24 hours.")}
        )


def _official_member(actor, space):
    """The owning member whose officer the actor is, when they respond on the space as they
    write (`SpaceAdapter.official_member`): what they write carries the member's official mark.
    Decided here, from the roles the actor holds now, and stored: nobody can ask for it, and
    it stays true of what an officer wrote after they leave the role."""
    return space_adapter(space).official_member(actor, space)


def _input_kind(organisation) -> str:
    if organisation is None:
        return Input.OrganisationKind.INDIVIDUAL
    if organisation.kind in Input.OrganisationKind.values:
        return organisation.kind
    return Input.OrganisationKind.CSO


@transaction.atomic
def comment_post(*, actor, target, body: str, parent: Comment | None = None, organisation=None):
    """Post a comment on a participable object, or a reply to one of its comments.

    Refused (PermissionDenied) unless the actor may read the target and has a verified email
    address; refused with a message (ValidationError) when the consultation is not open (where
    the space needs one: elsewhere feedback is always open, and a comment written while a
    consultation is open belongs to it), the
    reply would be three levels deep, the actor does not speak for the organisation, the body is
    empty or too long, the actor posts too fast, or posted the same text here within a day.
    A top-level comment enters the space's register as a pending input.
    """
    require(actor.is_authenticated and policies.can_read(actor, target))
    require(policies.has_verified_email(actor))
    consultation = _open_consultation(target)
    require(policies.can_take_part(actor, target, consultation))
    body = _clean_body(body)
    depth = _check_parent(parent, target)
    _check_organisation(actor, organisation)
    now = timezone.now()
    _check_rate(actor, now)
    _check_duplicate(actor, target, body, now)
    space = space_of(target)
    member = primary_member_of(space)

    comment = Comment(
        target_type=content_type_of(target),
        target_id=target.pk,
        space_type=content_type_of(space),
        space_id=space.pk,
        member=member,
        consultation=consultation,
        parent=parent,
        depth=depth,
        author=actor,
        organisation=organisation,
        official_member=_official_member(actor, space),
        body=body,
        body_html=markdown.render(body),
        created_at=now,
    )
    comment._history_user = actor
    comment.save()

    if parent is None:
        register_item = Input(
            space_type=content_type_of(space),
            space_id=space.pk,
            member=member,
            source=Input.Source.COMMENT,
            comment=comment,
            # The register's figures count inputs by kind of contributor, whatever their
            # source; the organisation's name is read from the comment itself.
            organisation_kind=_input_kind(organisation),
            received_on=timezone.localdate(now),
        )
        register_item._history_user = actor
        register_item.save()

    _record_post(actor, now)
    # "A reply to my comment" and "a new comment on what I follow": recorded now, emailed after
    # commit by a Celery task, never inside the request.
    notifications.notify_comment(actor=actor, comment=comment)
    return comment


# --- Editing and deleting --------------------------------------------------------------------


def _lock(comment: Comment) -> None:
    """Lock the comment's row and read it again: two tabs cannot edit and delete it at once."""
    Comment.objects.select_for_update().filter(pk=comment.pk).first()
    comment.refresh_from_db()


@transaction.atomic
def comment_edit(*, actor, comment: Comment, body: str, now: datetime.datetime | None = None):
    """The author corrects their comment within 15 minutes of posting it, while its consultation
    is open (at any time, where the space's feedback is always open). The comment shows that it
    was edited; the history keeps every version."""
    now = now or timezone.now()
    require(
        actor.is_authenticated
        and comment.author_id == actor.pk
        and not comment.is_deleted
        and not comment.is_hidden
    )
    _lock(comment)
    if not policies.can_edit_comment(actor, comment, now=now):
        raise ValidationError(
            _("Comments can be edited for %(minutes)d minutes after posting; that time is over.")
            % {"minutes": Comment.EDIT_WINDOW_MINUTES}
        )
    if not policies.comment_open_for_edit(comment, comment.target):
        raise ValidationError(_("The consultation is closed: comments can no longer be edited."))
    body = _clean_body(body)
    if body == comment.body:
        return comment
    comment.body = body
    comment.body_html = markdown.render(body)
    comment.edited_at = now
    comment._history_user = actor
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, actor, comment: Comment, now: datetime.datetime | None = None):
    """The author removes the text of their comment. The thread stays (replies keep their place),
    the page says the comment was deleted by its author, and a top-level comment stays in the
    register with whatever response it received. The text leaves the history as well."""
    require(policies.can_delete_comment(actor, comment))
    _lock(comment)
    require(policies.can_delete_comment(actor, comment))
    comment.body = ""
    comment.body_html = ""
    comment.deleted_at = now or timezone.now()
    comment._history_user = actor
    comment.save(update_fields=["body", "body_html", "deleted_at"])
    # Removed means removed: earlier versions in the history lose the text too (who wrote
    # when, and that it was deleted, stay on record).
    Comment.history.filter(id=comment.pk).update(body="")
    return comment
