"""Comments: post one or reply, edit within 15 minutes, delete one's own, and a discussion page
for participable objects whose own page has no comments section (milestones).

The comments section itself is a template tag (`{% comments_section obj %}` in
`participation_comments`), rendered on the object's page; its forms POST here and come back to
the page they were sent from (`next`), at the comment. A form the service refuses is shown again
on a page of its own, with the error summary and what the person wrote, so nothing is lost and
everything works without JavaScript.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform.members.models import Organisation
from ogp_platform.members.policies import organisations_user_speaks_for
from ogp_platform.members.views.common import member_breadcrumbs
from ogp_platform.viewtools import (
    add_service_errors,
    form_page,
    guarded,
    requested_next,
    require,
    with_next,
)

from .. import interface, policies, selectors
from ..models import Comment, Consultation
from ..services import comments as services

MARKDOWN_HELP = gettext_lazy(
    "Plain text. You may write *emphasis*, **strong**, links as [text](https://…) and lists "
    "(lines starting with - or 1.). Up to 5,000 characters."
)


def length_counter() -> dict:
    """What static/js/char-count.js needs to count the characters left in a comment box: the
    limit (also stated in the hint, for those without JavaScript) and its two messages. No
    `maxlength` attribute: browsers cut a longer paste without a word; the service refuses a
    comment that is too long and says by how much, and nothing is lost."""
    return {
        "limit": services.MAX_LENGTH,
        "left": gettext_lazy("Characters left: %(count)s"),
        "over": gettext_lazy("Characters over the limit: %(count)s. Shorten the text to post it."),
    }


def _body_widget(rows: int) -> forms.Textarea:
    counter = length_counter()
    return forms.Textarea(
        attrs={
            "rows": rows,
            "data-maxlength": counter["limit"],
            "data-count-left": counter["left"],
            "data-count-over": counter["over"],
        }
    )


# --- Forms ----------------------------------------------------------------------------------


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=_body_widget(rows=6),
        help_text=MARKDOWN_HELP,
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Speak for"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Only myself"),
        help_text=gettext_lazy("The comment shows the organisation next to your name."),
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = organisations_user_speaks_for(user).order_by("name")
        if organisations.exists():
            self.fields["organisation"].queryset = organisations
        else:
            del self.fields["organisation"]


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=_body_widget(rows=6),
        help_text=MARKDOWN_HELP,
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)


# --- Helpers --------------------------------------------------------------------------------


def discussion_url(target) -> str:
    """The page that shows the target's comments section on its own."""
    content_type = selectors.content_type_of(target)
    return reverse("participation:comments_discussion", args=[content_type.pk, target.pk])


def _readable_target(request, content_type_id: int, object_id: int):
    """The participable object the URL names, or 404 when there is none or this user may not
    read it."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        raise Http404 from None
    model = content_type.model_class()
    if model is None or not interface.is_participable(model):
        raise Http404
    target = get_object_or_404(model._default_manager, pk=object_id)
    if not policies.can_read(request.user, target):
        raise Http404
    return target


def _readable_comment(request, pk: int) -> tuple[Comment, object]:
    comment = get_object_or_404(
        Comment.objects.select_related("author", "organisation", "consultation", "target_type"),
        pk=pk,
    )
    target = comment.target
    if target is None or not policies.can_read(request.user, target):
        raise Http404
    return comment, target


def _next_path(request, target) -> str:
    """Where to come back to: the page the form was on (a path of this site, without its query),
    else the target's discussion page."""
    return requested_next(request, discussion_url(target), path_only=True)


def _at_comment(path: str, comment: Comment) -> str:
    query = urlencode({"comments_page": selectors.comment_page_number(comment)})
    return f"{path}?{query}#comment-{comment.pk}"


def _breadcrumbs(target) -> list:
    adapter = interface.adapter_for(target)
    crumbs = list(member_breadcrumbs(adapter.member(target)))
    space = adapter.space(target)
    if space != target:
        crumbs.append((adapter.title(space), space.get_absolute_url()))
    crumbs.append((adapter.title(target), target.get_absolute_url()))
    return crumbs


def _comment_form_page(request, form, target, *, title, submit, next_path, parent=None):
    return form_page(
        request,
        form,
        title=title,
        submit=submit,
        cancel_url=f"{next_path}#comments",
        breadcrumbs=_breadcrumbs(target),
        intro=interface.adapter_for(target).title(target),
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
            return redirect(_at_comment(next_path, comment))
    return _comment_form_page(
        request, form, target, title=title, submit=submit, next_path=next_path, parent=parent
    )


# --- Views ----------------------------------------------------------------------------------


@require_GET
def discussion(request, content_type_id, object_id):
    """The comments on one participable object, on a page of their own."""
    target = _readable_target(request, content_type_id, object_id)
    adapter = interface.adapter_for(target)
    return render(
        request,
        "participation/comments/discussion.html",
        {
            "target": target,
            "target_title": adapter.title(target),
            "target_url": target.get_absolute_url(),
            "breadcrumbs": _breadcrumbs(target)[:-1],
        },
    )


@guarded
@require_http_methods(["GET", "POST"])
def post(request, content_type_id, object_id):
    """Post a comment on the object (GET shows the form on a page of its own)."""
    target = _readable_target(request, content_type_id, object_id)
    return _post(
        request, target, parent=None, title=_("Write a comment"), submit=_("Post the comment")
    )


@guarded
@require_http_methods(["GET", "POST"])
def reply(request, pk):
    """Reply to a comment (GET shows the form, under the comment it answers)."""
    parent, target = _readable_comment(request, pk)
    return _post(request, target, parent=parent, title=_("Reply"), submit=_("Post the reply"))


@guarded
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """The author corrects their comment within 15 minutes of posting it."""
    comment, target = _readable_comment(request, pk)
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
        policies.can_edit_comment(user, comment) and comment.consultation.is_open
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
            return redirect(_at_comment(next_path, comment))
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
    comment, target = _readable_comment(request, pk)
    require(request, policies.can_delete_comment(request.user, comment))
    next_path = _next_path(request, target)
    if request.method == "POST":
        services.comment_delete(actor=request.user, comment=comment)
        messages.success(request, _("Your comment has been deleted."))
        return redirect(_at_comment(next_path, comment))
    return render(
        request,
        "participation/comments/confirm_delete.html",
        {
            "comment": comment,
            "target_title": interface.adapter_for(target).title(target),
            "next": next_path,
            "cancel_url": f"{next_path}#comment-{comment.pk}",
            "breadcrumbs": _breadcrumbs(target),
        },
    )


urlpatterns = [
    path(
        "comments/<int:content_type_id>/<int:object_id>/",
        discussion,
        name="comments_discussion",
    ),
    path("comments/<int:content_type_id>/<int:object_id>/post/", post, name="comment_post"),
    path("comments/<int:pk>/reply/", reply, name="comment_reply"),
    path("comments/<int:pk>/edit/", edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", delete, name="comment_delete"),
]
