"""Comments: post one or reply, edit within 15 minutes, delete one's own, and a discussion page
for participable objects whose own page has no comments section (milestones).

The comments section itself is a template tag (`{% comments_section obj %}` in
`participation_comments`), rendered on the object's page; its forms POST here and come back to
the page they were sent from (`next`), at the comment. A form the service refuses is shown again
on a page of its own, with the error summary and what the person wrote, so nothing is lost and
everything works without JavaScript.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform.viewtools import (
    add_service_errors,
    form_page,
    guarded,
    requested_next,
    require,
    with_next,
)

from .. import interface, links, policies, selectors
from ..forms import CommentEditForm, CommentForm
from ..models import Comment, Consultation
from ..services import comments as services
from .common import comment_url, readable_comment, readable_target, target_breadcrumbs


def _next_path(request, target) -> str:
    """Where to come back to: the page the form was on (a path of this site, without its query),
    else the target's discussion page."""
    return requested_next(request, links.discussion_url(target), path_only=True)


def _comment_form_page(request, form, target, *, title, submit, next_path, parent=None):
    return form_page(
        request,
        form,
        title=title,
        submit=submit,
        cancel_url=f"{next_path}#comments",
        breadcrumbs=target_breadcrumbs(target),
        intro=interface.title_of(target),
        template="participation/comments/comment_form.html",
        parent=parent,
    )


def _closed_message(consultation: Consultation | None) -> str:
    if consultation is None:
        return _("There is no consultation here: comments are not open.")
    if consultation.state == Consultation.State.SCHEDULED:
        return _("The consultation has not opened yet.")
    return _("The consultation is closed: comments stay readable.")


def _post(request, target, *, parent: Comment | None, title: str, submit: str):
    """Shared by a new comment and a reply: the form, the service, and the way back."""
    require(request, policies.has_verified_email(request.user))
    next_path = _next_path(request, target)
    if request.method == "GET":
        consultation = selectors.current_consultation(target)
        if not policies.can_take_part(request.user, target, consultation):
            messages.info(request, _closed_message(consultation))
            return redirect(f"{next_path}#comments")
    form = CommentForm(
        with_next(request.POST if request.method == "POST" else None, next_path),
        user=request.user,
        initial={"next": next_path},
    )
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_post(
                actor=request.user,
                target=target,
                body=form.cleaned_data["body"],
                parent=parent,
                organisation=form.cleaned_data.get("organisation"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your reply has been posted.") if parent else _("Your comment has been posted."),
            )
            return redirect(comment_url(comment, next_path))
    return _comment_form_page(
        request, form, target, title=title, submit=submit, next_path=next_path, parent=parent
    )


# --- Views ----------------------------------------------------------------------------------


@require_GET
def discussion(request, kind, object_id):
    """The comments on one participable object, on a page of their own."""
    target = readable_target(request, kind, object_id)
    return render(
        request,
        "participation/comments/discussion.html",
        {
            "target": target,
            "target_title": interface.title_of(target),
            "target_url": interface.url_of(target),
            "breadcrumbs": target_breadcrumbs(target)[:-1],
        },
    )


@guarded
@require_http_methods(["GET", "POST"])
def post(request, kind, object_id):
    """Post a comment on the object (GET shows the form on a page of its own)."""
    target = readable_target(request, kind, object_id)
    return _post(
        request, target, parent=None, title=_("Write a comment"), submit=_("Post the comment")
    )


@guarded
@require_http_methods(["GET", "POST"])
def reply(request, pk):
    """Reply to a comment (GET shows the form, under the comment it answers)."""
    parent = readable_comment(request, pk)
    target = parent.target
    return _post(request, target, parent=parent, title=_("Reply"), submit=_("Post the reply"))


@guarded
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """The author corrects their comment within 15 minutes of posting it."""
    comment = readable_comment(request, pk)
    target = comment.target
    user = request.user
    require(
        request,
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.is_deleted
        and not comment.is_hidden,
    )
    next_path = _next_path(request, target)
    if request.method == "GET" and not (
        policies.can_edit_comment(user, comment) and policies.comment_open_for_edit(comment, target)
    ):
        messages.info(
            request,
            _(
                "Comments can be edited for %(minutes)d minutes after posting, while the "
                "consultation is open; this one can no longer be edited."
            )
            % {"minutes": Comment.EDIT_WINDOW_MINUTES},
        )
        return redirect(f"{next_path}#comment-{comment.pk}")
    form = CommentEditForm(
        with_next(request.POST if request.method == "POST" else None, next_path),
        initial={"body": comment.body, "next": next_path},
    )
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_edit(
                actor=user, comment=comment, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your comment has been updated."))
            return redirect(comment_url(comment, next_path))
    return _comment_form_page(
        request,
        form,
        target,
        title=_("Edit your comment"),
        submit=_("Save the comment"),
        next_path=next_path,
    )


@guarded
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    """The author deletes their comment, after confirming; its replies stay."""
    comment = readable_comment(request, pk)
    target = comment.target
    require(request, policies.can_delete_comment(request.user, comment))
    next_path = _next_path(request, target)
    if request.method == "POST":
        services.comment_delete(actor=request.user, comment=comment)
        messages.success(request, _("Your comment has been deleted."))
        return redirect(comment_url(comment, next_path))
    return render(
        request,
        "participation/comments/confirm_delete.html",
        {
            "comment": comment,
            "target_title": interface.title_of(target),
            "next": next_path,
            "cancel_url": f"{next_path}#comment-{comment.pk}",
            "breadcrumbs": target_breadcrumbs(target),
        },
    )
