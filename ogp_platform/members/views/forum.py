"""The multistakeholder forum page and the repository page of a member."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform import uploads

from .. import forum, policies
from ..forms import DocumentForm, ForumMeetingForm, ForumRulesForm, ForumSeatForm
from ..models import ForumMeeting, ForumSeat, RepositoryDocument
from .common import (
    add_service_errors,
    form_page,
    guarded,
    member_breadcrumbs,
    require,
    visible_member,
)


def _forum_crumbs(member):
    return [*member_breadcrumbs(member), (_("Forum"), reverse("members:forum", args=[member.slug]))]


@require_GET
def forum_page(request, slug):
    member = visible_member(request, slug)
    seats = list(member.forum_seats.all())
    meetings = Paginator(member.forum_meetings.all(), 10).get_page(request.GET.get("page"))
    return render(
        request,
        "members/forum.html",
        {
            "member": member,
            "current_seats": [s for s in seats if s.left_on is None],
            "former_seats": [s for s in seats if s.left_on is not None],
            "page": meetings,
            "activity": forum.member_activity(member),
            "can_manage": policies.can_manage_forum(request.user, member),
            "breadcrumbs": member_breadcrumbs(member),
        },
    )


@guarded
@require_http_methods(["GET", "POST"])
def forum_rules(request, slug):
    member = visible_member(request, slug)
    require(request, policies.can_manage_forum(request.user, member))
    form = ForumRulesForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        forum.forum_rules_update(
            actor=request.user, member=member, forum_rules=form.cleaned_data["forum_rules"]
        )
        messages.success(request, _("The forum's rules have been saved."))
        return redirect("members:forum", slug=member.slug)
    return form_page(
        request,
        form,
        title=_("Rules of the forum of %(member)s") % {"member": member.localised_name},
        submit=_("Save"),
        cancel_url=reverse("members:forum", args=[member.slug]),
        breadcrumbs=_forum_crumbs(member),
    )


@guarded
@require_http_methods(["GET", "POST"])
def forum_seat(request, slug, pk=None):
    member = visible_member(request, slug)
    require(request, policies.can_manage_forum(request.user, member))
    seat = get_object_or_404(ForumSeat, pk=pk, member=member) if pk else None
    form = ForumSeatForm(request.POST or None, instance=seat)
    if request.method == "POST" and form.is_valid():
        try:
            forum.forum_seat_save(
                actor=request.user, member=member, seat=seat, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The forum's membership has been saved."))
            return redirect(reverse("members:forum", args=[member.slug]) + "#seats")
    return form_page(
        request,
        form,
        title=_("A seat on the forum") if seat is None else _("Change a seat on the forum"),
        submit=_("Save"),
        cancel_url=reverse("members:forum", args=[member.slug]),
        breadcrumbs=_forum_crumbs(member),
    )


@guarded
@require_http_methods(["GET", "POST"])
def forum_meeting(request, slug, pk=None):
    member = visible_member(request, slug)
    require(request, policies.can_manage_forum(request.user, member))
    meeting = get_object_or_404(ForumMeeting, pk=pk, member=member) if pk else None
    form = ForumMeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = forum.forum_meeting_save(
                actor=request.user, member=member, meeting=meeting, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting has been recorded."))
            return redirect(reverse("members:forum", args=[member.slug]) + f"#meeting-{meeting.pk}")
    return form_page(
        request,
        form,
        title=_("Record a forum meeting") if meeting is None else _("Change a meeting's record"),
        submit=_("Save the meeting"),
        cancel_url=reverse("members:forum", args=[member.slug]),
        breadcrumbs=_forum_crumbs(member),
    )


@require_GET
def repository(request, slug):
    member = visible_member(request, slug)
    documents = Paginator(member.documents.select_related("added_by"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "members/repository.html",
        {
            "member": member,
            "page": documents,
            "activity": forum.member_activity(member),
            "can_manage": policies.can_manage_forum(request.user, member),
            "breadcrumbs": member_breadcrumbs(member),
        },
    )


@guarded
@require_http_methods(["GET", "POST"])
def document_add(request, slug):
    member = visible_member(request, slug)
    require(request, policies.can_manage_forum(request.user, member))
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            forum.document_add(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document has been added to the repository."))
            return redirect("members:repository", slug=member.slug)
    return form_page(
        request,
        form,
        title=_("Add a document to the repository of %(member)s")
        % {"member": member.localised_name},
        submit=_("Add the document"),
        cancel_url=reverse("members:repository", args=[member.slug]),
        breadcrumbs=member_breadcrumbs(member),
    )


@guarded
@require_http_methods(["GET", "POST"])
def document_remove(request, slug, pk):
    member = visible_member(request, slug)
    require(request, policies.can_manage_forum(request.user, member))
    document = get_object_or_404(RepositoryDocument, pk=pk, member=member)
    if request.method == "POST":
        forum.document_remove(actor=request.user, document=document)
        messages.success(request, _("The document has been removed from the repository."))
        return redirect("members:repository", slug=member.slug)
    return render(
        request,
        "commitments/confirm_delete.html",
        {
            "page_title": _("Remove this document?"),
            "object_title": document.title,
            "warning": _("It leaves the public repository."),
            "cancel_url": reverse("members:repository", args=[member.slug]),
            "breadcrumbs": member_breadcrumbs(member),
        },
    )


@require_GET
def document_file(request, slug, pk):
    """Serve an uploaded PDF of the repository as an attachment."""
    member = visible_member(request, slug)
    document = get_object_or_404(RepositoryDocument, pk=pk, member=member)
    if not document.file:
        raise Http404
    return uploads.attachment(
        document.file.open("rb"),
        filename=uploads.download_name(document.title, "pdf"),
        content_type="application/pdf",
    )
