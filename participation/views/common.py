"""What participation's views share: finding the participable object, space or comment a URL
names (404 for whoever may not read it), where a comment shows, breadcrumbs, and the redirect
from the addresses of old, which named objects by ContentType id."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_http_methods

from ogp_platform.viewtools import requested_next

from .. import interface, links, policies, selectors
from ..models import Comment


def participable(kind: str, object_id: int):
    """The participable object of the registered model `kind` (its slug) with that id, or
    None."""
    try:
        model = interface.registration_for_slug(kind).model
    except LookupError:
        return None
    return model._default_manager.filter(pk=object_id).first()


def readable_target(request, kind: str, object_id: int):
    """The participable object the URL names, or 404 when there is none or this user may not
    read it."""
    target = participable(kind, object_id)
    if target is None or not policies.can_read(request.user, target):
        raise Http404
    return target


def readable_space(request, obj):
    """The object if it is a participable space the user may read, else 404."""
    if not interface.is_space(obj) or not policies.can_read(request.user, obj):
        raise Http404
    return obj


def space_from_url(request, kind: str, object_id: int):
    """The participable space the URL names, or 404 (none, not a space, or not readable)."""
    return readable_space(request, participable(kind, object_id))


def readable_comment(request, pk: int) -> Comment:
    """The comment, with its target read (`comment.target`), or 404 when the user may not read
    what it was written on."""
    comment = get_object_or_404(
        Comment.objects.select_related("author", "organisation", "consultation", "target_type"),
        pk=pk,
    )
    target = comment.target
    if target is None or not policies.can_read(request.user, target):
        raise Http404
    return comment


def page_path(request) -> str | None:
    """The path of the page a form was sent from (`next`, a path of this site), if any."""
    return requested_next(request, "", path_only=True) or None


def comment_url(comment: Comment, path: str | None = None) -> str:
    """Where the comment shows: on the page at `path` (where it was seen), else on its target's
    discussion page, at the page of the thread that holds it."""
    query = urlencode({"comments_page": selectors.comment_page_number(comment)})
    return f"{path or links.discussion_url(comment.target)}?{query}#comment-{comment.pk}"


def space_breadcrumbs(space) -> list:
    return interface.space_adapter(space).breadcrumbs(space)


def target_breadcrumbs(target) -> list:
    """The trail to the target: its space's, then the target when it is not the space."""
    space = interface.space_of(target)
    crumbs = space_breadcrumbs(space)
    if space != target:
        crumbs.append((interface.title_of(target), interface.url_of(target)))
    return crumbs


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    """308: permanent, and the browser sends the same method and body to the new address (a
    form posted from a page cached before the change keeps working)."""

    status_code = 308


@require_http_methods(["GET", "HEAD", "POST"])
def content_type_redirect(request, area: str, content_type_id: str, object_id: str, rest: str):
    """The addresses of old, which named a participable object by its ContentType id
    (`/comments/17/4/`), moved for good to the model's slug
    (`/comments/commitment/4/`): 301 for a page, 308 for a form's POST. 404 when
    the id names no participable model or the new address does not exist."""
    registration = interface.registration_for_content_type_id(int(content_type_id))
    if registration is None:
        raise Http404
    old = request.path_info
    start = old.index(f"/{area}/{content_type_id}/")
    new = f"{old[:start]}/{area}/{registration.slug}/{object_id}/{rest}"
    try:
        resolve(new)
    except Resolver404:
        raise Http404 from None
    path = request.path[: len(request.path) - len(old)] + new
    query = request.META.get("QUERY_STRING", "")
    location = f"{path}?{query}" if query else path
    if request.method in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(location)
    return PermanentRedirectKeepingMethod(location)
