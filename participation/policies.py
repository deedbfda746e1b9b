"""Who may take part, respond, and moderate. The one place that decides.

People take part (comment, reply, vote) when they are signed in with a verified email address
and a consultation on the object's space is open, or at any time where the space says feedback
is always open (`SpaceAdapter.consultation_required`); everything stays readable to whoever may
read the object. The space's adapter says who responds (a member's officers, a partner's staff,
a challenge's owners), who therefore do not vote on what it holds. Moderators (the
"Moderators" group) hide and restore comments.
"""

import datetime

from allauth.account.models import EmailAddress
from django.utils import timezone

from ogp_platform.members.policies import is_moderator

from .interface import adapter_for, space_adapter_of, space_of
from .models import Comment, Consultation


def has_verified_email(user) -> bool:
    """Read once per request and user."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, "_has_verified_email"):
        user._has_verified_email = EmailAddress.objects.filter(user=user, verified=True).exists()
    return user._has_verified_email


def can_read(user, target) -> bool:
    return adapter_for(target).may_read(user, target)


def consultation_required(target) -> bool:
    """Whether taking part on the target needs an open consultation of its space (else
    feedback on it is always open)."""
    space = space_of(target)
    return space_adapter_of(space).consultation_required(space)


def taking_part_open(target, consultation: Consultation | None) -> bool:
    """Whether people may take part on the target now: while `consultation` (the current one of
    its space) is open, or at any time where the space needs no consultation."""
    if consultation is not None and consultation.is_open:
        return True
    return not consultation_required(target)


def can_take_part(user, target, consultation: Consultation | None) -> bool:
    """Comment on, reply about, or vote on the target: a verified participant while taking
    part is open (see `taking_part_open`)."""
    return (
        taking_part_open(target, consultation)
        and has_verified_email(user)
        and can_read(user, target)
    )


def can_respond(user, target) -> bool:
    """Record inputs and give the reasoned responses on the target's space (and, for a
    target, be among those who answer what people say about it)."""
    if not user.is_authenticated:
        return False
    space = space_of(target)
    return bool(space_adapter_of(space).may_respond(user, space))


def can_hold_consultation(user, space) -> bool:
    adapter = space_adapter_of(space)
    return adapter.accepts_consultation(space) and can_respond(user, space)


def can_change_consultation(user, consultation: Consultation, space) -> bool:
    """Edit a consultation that is not closed, or open it ahead of time: those who may hold one
    on its space, while the space still accepts consultations."""
    return consultation.closed_at is None and can_hold_consultation(user, space)


def can_open_consultation(user, consultation: Consultation, space) -> bool:
    """Open a scheduled consultation ahead of its opening time: those who may change it."""
    return consultation.state == Consultation.State.SCHEDULED and can_change_consultation(
        user, consultation, space
    )


def can_close_consultation(user, consultation: Consultation, space) -> bool:
    """Close an open consultation ahead of time: those who respond on its space, whatever state
    the space is in now."""
    return consultation.is_open and can_respond(user, space)


def can_edit_comment(user, comment: Comment, now: datetime.datetime | None = None) -> bool:
    """Authors correct their words within 15 minutes (while taking part is still open:
    `comment_open_for_edit`)."""
    now = now or timezone.now()
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.is_deleted
        and not comment.is_hidden
        and now - comment.created_at <= datetime.timedelta(minutes=Comment.EDIT_WINDOW_MINUTES)
    )


def comment_open_for_edit(comment: Comment, target) -> bool:
    """Whether what was said in the comment may still change: while the consultation it was
    written in is open, or at any time where its space's feedback is always open."""
    if comment.consultation_id is not None and comment.consultation.is_open:
        return True
    return not consultation_required(target)


def can_delete_comment(user, comment: Comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk and not comment.is_deleted


def can_report_comment(user, comment: Comment) -> bool:
    return (
        has_verified_email(user)
        and comment.author_id != user.pk
        and not comment.is_deleted
        and not comment.is_hidden
    )


def can_moderate(user) -> bool:
    return is_moderator(user)


def can_vote(user, target, consultation: Consultation | None) -> bool:
    """Support or oppose the target (only objects whose adapter says they are votable), on the
    same terms as taking part. Not those who respond on its space (a member's officers, a
    partner's staff): they answer what people say about it, they do not take sides on it."""
    return can_withdraw_vote(user, target, consultation) and not can_respond(user, target)


def can_withdraw_vote(user, target, consultation: Consultation | None) -> bool:
    """Take one's vote back: anyone who may take part, officers included (a vote cast before
    they became officers is theirs to withdraw)."""
    return adapter_for(target).votable(target) and can_take_part(user, target, consultation)


def can_upvote_comment(user, comment: Comment, *, open_now: bool) -> bool:
    """Up-vote someone else's visible comment while taking part on its target is open
    (`open_now`: `taking_part_open` of the target). Whether the user may read the comment's
    target is the caller's check: pages have made it already."""
    return (
        open_now
        and has_verified_email(user)
        and comment.author_id != user.pk
        and not comment.is_deleted
        and not comment.is_hidden
    )


def can_follow(user, target) -> bool:
    """Anyone signed in follows what they may read, at any time."""
    return bool(user.is_authenticated and user.is_active and can_read(user, target))
