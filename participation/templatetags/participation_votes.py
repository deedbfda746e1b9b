"""The vote box of a votable object, and the up-vote and report controls of a comment.

    {% load participation_votes %}
    {% vote_box commitment %}          support / oppose / withdraw, and follow
    {% comment_upvote comment %}       in each comment's footer
    {% comment_report_link comment %}  in each comment's footer

The vote box costs a constant number of queries. The comment controls are rendered once per
comment, so what they share (the space's consultations, and which comments the user up-voted or
reported) is read once per request and space and kept on the request.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from ogp_platform.templatetags.placed_messages import placed_messages

from .. import interface, links, policies, selectors
from ..models import Comment, Consultation, Vote
from ..services.votes import responder_refusal
from ..views.votes import VOTE_BOX

register = template.Library()


def _request_and_user(context):
    request = context.get("request")
    user = request.user if request is not None else context["user"]
    return request, user


def _why_not(user, consultation: Consultation | None, target) -> str:
    """Why the user may not vote now: the first obstacle, in the order in which the user can do
    something about it; last, that they respond on the target's space (its officers)."""
    if not policies.taking_part_open(target, consultation):
        if consultation is None:
            return "no_consultation"
        if consultation.state == Consultation.State.SCHEDULED:
            return "scheduled"
        return "closed"
    if not user.is_authenticated:
        return "sign_in"
    if not policies.has_verified_email(user):
        return "verify"
    if policies.can_respond(user, target):
        return "responder"
    return ""


@register.inclusion_tag("participation/votes/_vote_box.html", takes_context=True)
def vote_box(context, target):
    """Counts of support and opposition, the user's vote with buttons to change or withdraw it,
    why the user cannot vote when they cannot, and a follow button; and the confirmation of
    what the user just did here (messages placed in the vote box: the page that shows the box
    leaves them out of the top, with `placed_messages="vote-box"`)."""
    request, user = _request_and_user(context)
    consultation = selectors.current_consultation_on_request(request, target)
    state = selectors.vote_box_state(target, user)
    can_vote = policies.can_vote(user, target, consultation)
    why_not = "" if can_vote else _why_not(user, consultation, target)
    return {
        "request": request,
        "user": user,
        "target": target,
        "consultation": consultation,
        "support": state["support"],
        "oppose": state["oppose"],
        "mine": state["mine"],
        "supports": state["mine"] == Vote.Value.SUPPORT,
        "opposes": state["mine"] == Vote.Value.OPPOSE,
        "following": state["following"],
        "can_vote": can_vote,
        "why_not": why_not,
        # An officer keeps the means to withdraw a vote cast before they became one.
        "can_withdraw": can_vote or (why_not == "responder" and state["mine"] is not None),
        "responder_refusal": (responder_refusal(user, target) if why_not == "responder" else ""),
        "status_messages": placed_messages(request, VOTE_BOX),
        "can_follow": policies.can_follow(user, target),
        **links.vote_urls(target),
        "next": f"{request.path if request else interface.url_of(target)}#votes",
    }


@register.inclusion_tag("participation/votes/_follow_button.html", takes_context=True)
def follow_button(context, target):
    """A follow / stop-following button for any participable object (e.g. a plan)."""
    request, user = _request_and_user(context)
    following = False
    if user.is_authenticated:
        following = selectors.vote_box_state(target, user)["following"]
    return {
        "request": request,
        "user": user,
        "following": following,
        "can_follow": policies.can_follow(user, target),
        **links.follow_urls(target),
        "next": request.get_full_path() if request else interface.url_of(target),
    }


def _space_state(request, user, comment: Comment) -> dict:
    """What the comments of one space share on this page: the consultation that governs the
    space now, whether people may take part now (`open_now`), and which comments the user
    up-voted or reported. Read once per request and space, reusing what the comments section
    has read already (the target and its current consultation)."""
    cache = request.__dict__.setdefault("_participation_comment_state", {})
    key = (comment.space_type_id, comment.space_id)
    if key not in cache:
        target = selectors.target_read_on_request(
            request, comment.target_type_id, comment.target_id
        )
        if target is None:
            target = comment.target
        consultation = selectors.current_consultation_on_request(request, target)
        cache[key] = {
            "consultation": consultation,
            "open_now": policies.taking_part_open(target, consultation),
            **selectors.comment_marks(user, space_type_id=key[0], space_id=key[1]),
        }
    return cache[key]


def _comment_anchor(request, comment: Comment) -> str:
    """Back to this comment on this page (and this page of the thread)."""
    return f"{request.get_full_path()}#comment-{comment.pk}"


@register.inclusion_tag("participation/votes/_comment_upvote.html", takes_context=True)
def comment_upvote(context, comment):
    """The comment's up-vote count, and a button to up-vote it or take the up-vote back for
    those who may (signed-in, verified, not its author, while the consultation is open)."""
    request, user = _request_and_user(context)
    count = getattr(comment, "upvote_count", None)
    if count is None:
        count = comment.upvotes.count()
    result = {"comment": comment, "count": count, "can_upvote": False, "upvoted": False}
    if request is None or comment.is_deleted or comment.is_hidden:
        return result
    state = _space_state(request, user, comment)
    result["upvoted"] = comment.pk in state["upvoted"]
    if user.is_authenticated and policies.can_upvote_comment(
        user, comment, open_now=state["open_now"]
    ):
        result.update(
            can_upvote=True,
            url=reverse("participation:comment_upvote", args=[comment.pk]),
            next=_comment_anchor(request, comment),
        )
    return result


@register.inclusion_tag("participation/votes/_comment_report.html", takes_context=True)
def comment_report_link(context, comment):
    """ "Report" for signed-in verified users other than the author ("Reported" once they have);
    "Hide" or "Restore" for moderators."""
    request, user = _request_and_user(context)
    result = {"comment": comment}
    if request is None or not user.is_authenticated:
        return result
    if policies.can_moderate(user):
        if comment.is_hidden:
            url = reverse("participation:moderation_comment", args=[comment.pk])
            result["restore_url"] = f"{url}#restore"
        elif not comment.is_deleted:
            url = reverse("participation:moderation_comment", args=[comment.pk])
            result["hide_url"] = f"{url}#hide"
    if policies.can_report_comment(user, comment):
        state = _space_state(request, user, comment)
        if comment.pk in state["reported"]:
            result["reported"] = True
        else:
            url = reverse("participation:comment_report", args=[comment.pk])
            result["report_url"] = f"{url}?{urlencode({'next': request.path})}"
    return result
