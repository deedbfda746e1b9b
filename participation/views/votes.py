"""Votes, comment up-votes and follows. Each is a small form (a button) that POSTs to one
service and comes back to where it was sent from (the vote box, the comment), with a message;
they work without JavaScript."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ogp_platform.viewtools import guarded, redirect_back, require

from .. import interface, policies, selectors
from ..models import Vote
from ..services import votes as services
from .common import comment_url, page_path, readable_comment, readable_target

VALUES = {"support": Vote.Value.SUPPORT, "oppose": Vote.Value.OPPOSE}


def _votable_target(request, kind, object_id):
    target = readable_target(request, kind, object_id)
    if not interface.adapter_for(target).votable(target):
        raise Http404
    return target


# Where the confirmation of a vote shows: in the vote box the page comes back to, not at the top
# of the page (see ogp_platform/templatetags/placed_messages.py).
VOTE_BOX = "vote-box"


def _back(request, target):
    return redirect_back(request, f"{interface.url_of(target).split('#')[0]}#votes")


def _may_take_part(request, target):
    """Those who may not take part at all get a 403 (or the sign-in page); the vote's own rules
    (the owning member's officers do not vote) are the service's, said in a message."""
    require(
        request,
        policies.can_take_part(request.user, target, selectors.current_consultation(target)),
    )


@guarded
@require_POST
def cast(request, kind, object_id):
    """Support or oppose (`value`), or change one's vote to the other."""
    target = _votable_target(request, kind, object_id)
    _may_take_part(request, target)
    value = VALUES.get(request.POST.get("value", ""))
    if value is None:
        messages.error(request, _("Choose support or opposition."), extra_tags=VOTE_BOX)
        return _back(request, target)
    try:
        outcome = services.vote_cast(actor=request.user, target=target, value=value)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages), extra_tags=VOTE_BOX)
        return _back(request, target)
    if outcome is services.VoteOutcome.UNCHANGED:
        text, level = _("Your vote is unchanged."), messages.INFO
    elif value == Vote.Value.SUPPORT:
        text = _("You support this. You can change or withdraw your vote.")
        level = messages.SUCCESS
    else:
        text = _("You oppose this. You can change or withdraw your vote.")
        level = messages.SUCCESS
    messages.add_message(request, level, text, extra_tags=VOTE_BOX)
    return _back(request, target)


@guarded
@require_POST
def withdraw(request, kind, object_id):
    target = _votable_target(request, kind, object_id)
    _may_take_part(request, target)
    if services.vote_withdraw(actor=request.user, target=target):
        messages.success(request, _("Your vote has been withdrawn."), extra_tags=VOTE_BOX)
    else:
        messages.info(request, _("You had not voted."), extra_tags=VOTE_BOX)
    return _back(request, target)


@guarded
@require_POST
def follow(request, kind, object_id):
    target = readable_target(request, kind, object_id)
    require(request, policies.can_follow(request.user, target))
    services.follow(actor=request.user, target=target)
    messages.success(
        request,
        _("You follow %(title)s: you will hear of new comments and consultations.")
        % {"title": interface.title_of(target)},
        extra_tags=VOTE_BOX,
    )
    return _back(request, target)


@guarded
@require_POST
def unfollow(request, kind, object_id):
    target = readable_target(request, kind, object_id)
    require(request, policies.can_follow(request.user, target))
    services.unfollow(actor=request.user, target=target)
    messages.success(
        request,
        _("You no longer follow %(title)s.") % {"title": interface.title_of(target)},
        extra_tags=VOTE_BOX,
    )
    return _back(request, target)


@guarded
@require_POST
def comment_upvote(request, pk):
    """Up-vote a comment (`upvoted=1`), or take the up-vote back (`upvoted=0`); without the
    field, toggle."""
    comment = readable_comment(request, pk)
    open_now = policies.taking_part_open(
        comment.target, selectors.current_consultation(comment.target)
    )
    require(request, policies.can_upvote_comment(request.user, comment, open_now=open_now))
    wanted = {"1": True, "0": False}.get(request.POST.get("upvoted", ""))
    upvoted = services.comment_upvote_toggle(actor=request.user, comment=comment, upvoted=wanted)
    if upvoted:
        messages.success(request, _("You up-voted the comment."))
    else:
        messages.success(request, _("You took back your up-vote."))
    return redirect_back(request, comment_url(comment, page_path(request)))
