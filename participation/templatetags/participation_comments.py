"""The comments section of a participable object's page, and the link to a discussion page.

    {% load participation_comments %}
    {% comments_section obj %}     the consultation's state, the thread, and the forms
    {% discussion_url obj %}       the URL of the object's own discussion page

The thread reads oldest first, or newest first (`?comments_order=newest`); a signed-in person
sees how many of its comments are theirs and may show only the threads they wrote in
(`?comments_filter=mine`). Links, so that both work without JavaScript.

The section costs a constant number of queries whatever the number of comments: the space's
consultations (no thread to read when there never was a consultation on a space that needs
one), the
thread's counts, one page of top-level comments, and all their replies (each with its author,
organisation and up-vote count); for a signed-in user, their verified email and, while they may
post, the organisations they speak for.
"""

from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from ogp_platform.members.policies import organisations_user_speaks_for

from .. import links, policies, selectors
from ..forms import MARKDOWN_HELP, length_counter
from ..models import Comment

register = template.Library()


def _page_number(request) -> str:
    return request.GET.get("comments_page", "1") if request is not None else "1"


def _page_url(request, number: int) -> str:
    """A page of the thread, keeping the page's other query parameters."""
    if request is None:
        return f"?comments_page={number}#comments"
    query = request.GET.copy()
    query["comments_page"] = number
    return f"{request.path}?{query.urlencode()}#comments"


# The thread's views, in the query string so that they work without JavaScript and can be
# linked to: newest first (else oldest first), and only the threads the reader wrote in.
ORDER_PARAMETER, NEWEST = "comments_order", "newest"
FILTER_PARAMETER, MINE = "comments_filter", "mine"


def _view_url(request, **changes) -> str:
    """The page with the thread shown another way (from its first page), keeping the page's
    other query parameters; a change to None removes the parameter."""
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query.pop("comments_page", None)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    path = request.path if request is not None else ""
    return f"{path}?{query.urlencode()}#comments" if query else f"{path}#comments"


def _mark(
    comment: Comment, *, user, can_post: bool, consultation, always_open: bool, now, next_path: str
) -> None:
    """What the user may do to one comment, as booleans and URLs for the template."""
    removed = comment.is_deleted or comment.is_hidden
    comment.can_reply = can_post and not removed and comment.depth < Comment.MAX_DEPTH
    mine = user.is_authenticated and comment.author_id == user.pk
    comment.is_mine = mine and not comment.is_deleted
    in_open_consultation = (
        consultation is not None
        and consultation.is_open
        and comment.consultation_id == consultation.pk
    )
    comment.can_edit = bool(
        mine
        and (always_open or in_open_consultation)
        and policies.can_edit_comment(user, comment, now=now)
    )
    comment.can_delete = bool(mine and policies.can_delete_comment(user, comment))
    if comment.can_reply:
        comment.reply_url = reverse("participation:comment_reply", args=[comment.pk])
        comment.organisation_field_id = f"reply-{comment.pk}-organisation"
    if comment.can_edit:
        comment.edit_url = reverse("participation:comment_edit", args=[comment.pk]) + next_path
    if comment.can_delete:
        comment.delete_url = reverse("participation:comment_delete", args=[comment.pk]) + next_path


@register.inclusion_tag("participation/comments/_section.html", takes_context=True)
def comments_section(context, target):
    """The comments on `target`: readable always, writable by signed-in users with a verified
    email address while its consultation is open, or at any time where its space's feedback
    is always open."""
    request = context.get("request")
    user = request.user if request is not None else context["user"]
    consultation = selectors.current_consultation_on_request(request, target)
    always_open = not policies.consultation_required(target)
    query = request.GET if request is not None else QueryDict()
    newest_first = query.get(ORDER_PARAMETER) == NEWEST
    only_mine = user.is_authenticated and query.get(FILTER_PARAMETER) == MINE
    page = None
    if consultation is not None or always_open:
        page = selectors.comment_thread_page(
            target,
            page_number=_page_number(request),
            newest_first=newest_first,
            user=user,
            only_user_threads=only_mine,
        )

    signed_in = user.is_authenticated
    verified = signed_in and policies.has_verified_email(user)
    can_post = verified and policies.can_take_part(user, target, consultation)
    organisations = list(organisations_user_speaks_for(user).order_by("name")) if can_post else []
    path = request.path if request is not None else links.comments_page_url(target)
    next_query = "?" + urlencode({"next": path})
    now = timezone.now()

    if page is not None:
        for comment in page.object_list:
            _mark(
                comment,
                user=user,
                can_post=can_post,
                consultation=consultation,
                always_open=always_open,
                now=now,
                next_path=next_query,
            )
            for reply in comment.thread_replies:
                _mark(
                    reply,
                    user=user,
                    can_post=can_post,
                    consultation=consultation,
                    always_open=always_open,
                    now=now,
                    next_path=next_query,
                )
                for answer in reply.thread_replies:
                    _mark(
                        answer,
                        user=user,
                        can_post=can_post,
                        consultation=consultation,
                        always_open=always_open,
                        now=now,
                        next_path=next_query,
                    )

    login_url = f"{reverse('account_login')}?{urlencode({'next': f'{path}#comments'})}"
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "target": target,
        "consultation": consultation,
        "page": page,
        "comments": page.object_list if page is not None else [],
        "total_count": page.total_count if page is not None else 0,
        "previous_url": _page_url(request, page.previous_page_number())
        if page is not None and page.has_previous()
        else "",
        "next_url": _page_url(request, page.next_page_number())
        if page is not None and page.has_next()
        else "",
        "signed_in": signed_in,
        "verified": verified,
        "can_post": can_post,
        "organisations": organisations,
        "post_url": links.comment_post_url(target),
        "always_open": always_open,
        "login_url": login_url,
        "next": path,
        "markdown_help": MARKDOWN_HELP,
        "length": length_counter(),
        "newest_first": newest_first,
        "only_mine": only_mine,
        "user_count": page.user_count if page is not None else 0,
        "oldest_url": _view_url(request, **{ORDER_PARAMETER: None}),
        "newest_url": _view_url(request, **{ORDER_PARAMETER: NEWEST}),
        "mine_url": _view_url(request, **{FILTER_PARAMETER: MINE}),
        "all_url": _view_url(request, **{FILTER_PARAMETER: None}),
    }


@register.simple_tag
def discussion_url(target) -> str:
    """The URL of the page that shows the comments on `target` (e.g. a milestone)."""
    return links.discussion_url(target)
