"""Votes on participable objects, up-votes on comments, and follows.

One vote per person and object is the database constraint `participation_one_vote_each`; the
writes here rely on it instead of reading first and inserting after, so that counts stay exact
when many people (or one person from several tabs) vote at the same moment. Counts are always
read from the rows (`selectors.vote_counts`), never kept in a counter.
"""

import enum

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_platform import pagecache
from ogp_platform.services import require

from .. import policies, selectors
from ..interface import adapter_for, space_adapter_of, space_of
from ..models import Comment, CommentVote, Follow, Vote

# A cast that loses the race to insert retries once it sees the winner's row; a third failure
# would mean something other than that race is wrong, and is raised.
_ATTEMPTS = 3


class VoteOutcome(enum.Enum):
    CREATED = "created"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


def _on(target) -> dict:
    return {"target_type": selectors.content_type_of(target), "target_id": target.pk}


def _check_vote(actor, target, *, withdrawing: bool = False) -> None:
    adapter = adapter_for(target)
    if not adapter.votable(target):
        raise ValidationError({"value": _("People do not vote on this.")})
    consultation = selectors.current_consultation(target)
    if withdrawing:
        require(policies.can_withdraw_vote(actor, target, consultation))
        return
    if policies.can_withdraw_vote(actor, target, consultation) and policies.can_respond(
        actor, target
    ):
        raise ValidationError({"value": responder_refusal(actor, target)}, code="responder")
    require(policies.can_vote(actor, target, consultation))


def responder_refusal(user, target) -> str:
    """Why someone who responds on the target's space has no vote on it, in the words the vote
    box uses too: for whom they respond (the owning member they are an officer of, else every
    owner), in the space's own nouns."""
    space = space_of(target)
    adapter = space_adapter_of(space)
    official = adapter.official_member(user, space)
    if official is not None:
        return _(
            "You respond to what people say about this %(space)s as an officer of %(member)s, "
            "so you do not support or oppose its %(items)s."
        ) % {**adapter.nouns.as_dict(), "member": official.localised_name}
    return _(
        "You respond to what people say about this %(space)s for %(owners)s, so you do not "
        "support or oppose its %(items)s."
    ) % {**adapter.nouns.as_dict(), "owners": ", ".join(str(o) for o in adapter.owners(space))}


def vote_cast(*, actor, target, value: int) -> VoteOutcome:
    """Record the actor's support (1) or opposition (-1) for the target, while taking part on it
    is open; refused, with the reason, to those who respond on its space. Casting
    the other value changes the vote; casting the same value again changes nothing. Safe under
    concurrency: the first insert wins and the others update it."""
    if value not in Vote.Value.values:
        raise ValidationError({"value": _("Choose support or opposition.")})
    _check_vote(actor, target)
    on = _on(target)
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with transaction.atomic():
                vote = Vote.objects.select_for_update().filter(**on, user=actor).first()
                if vote is None:
                    # Without a row there is nothing to lock: a concurrent insert by the same
                    # person makes this one fail on the constraint, and the retry updates it.
                    Vote.objects.create(**on, user=actor, value=value)
                    return VoteOutcome.CREATED
                if vote.value == value:
                    return VoteOutcome.UNCHANGED
                vote.value = value
                vote.updated_at = timezone.now()
                vote.save(update_fields=["value", "updated_at"])
                return VoteOutcome.CHANGED
        except IntegrityError:
            if attempt == _ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


@transaction.atomic
def vote_withdraw(*, actor, target) -> bool:
    """Withdraw the actor's vote on the target, while taking part is open (those who respond on
    its space too: they may hold a vote from before). Says whether there was one."""
    _check_vote(actor, target, withdrawing=True)
    deleted, _rows = Vote.objects.filter(**_on(target), user=actor).delete()
    return deleted > 0


@transaction.atomic
def comment_upvote_toggle(*, actor, comment: Comment, upvoted: bool | None = None) -> bool:
    """Up-vote someone else's comment, or take the up-vote back; returns whether the actor now
    up-votes it. With `upvoted` given the call sets that state (so a form sent twice does not
    undo itself); without, it toggles. Not on one's own comment, nor on a deleted or hidden one,
    and only while taking part on its target is open."""
    target = comment.target
    open_now = policies.taking_part_open(target, selectors.current_consultation(target))
    require(
        policies.can_read(actor, target)
        and policies.can_upvote_comment(actor, comment, open_now=open_now)
    )
    existing = CommentVote.objects.filter(comment=comment, user=actor)
    if upvoted is None:
        upvoted = not existing.exists()
    if upvoted:
        # INSERT … ON CONFLICT DO NOTHING: a concurrent up-vote by the same person is no error.
        CommentVote.objects.bulk_create(
            [CommentVote(comment=comment, user=actor)], ignore_conflicts=True
        )
        pagecache.objects_changed(comment)
    else:
        existing.delete()
    return upvoted


def follow(*, actor, target) -> None:
    """Follow the target to hear of new comments and consultations. Idempotent."""
    require(policies.can_follow(actor, target))
    follow = Follow(**_on(target), user=actor)
    Follow.objects.bulk_create([follow], ignore_conflicts=True)
    pagecache.objects_changed(follow)


def unfollow(*, actor, target) -> None:
    """Stop following the target. Idempotent."""
    require(policies.can_follow(actor, target))
    Follow.objects.filter(**_on(target), user=actor).delete()
