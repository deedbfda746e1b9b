"""Moderation: people report comments; moderators work through the queue of reported comments,
hide a comment with a reason (shown in its place), restore it, or dismiss the reports. Every
change is a POST to one service, then a redirect (PRG); every action is on record."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ogp_platform.viewtools import add_service_errors, guarded, redirect_back, require

from .. import policies, selectors
from ..forms import DismissForm, ModerationForm, ReportForm
from ..interface import title_of
from ..models import Comment
from ..services import moderation as services
from .common import comment_url, page_path, readable_comment

QUEUE_PER_PAGE = 20
RECORD_PER_PAGE = 50
RECENT_ACTIONS = 10


def _hide_form(data=None):
    return ModerationForm(
        data,
        prefix="hide",
        help_text=_(
            "Shown in the comment's place for everyone to read, and kept on record. Name the "
            "rule the comment breaks; do not repeat what it says."
        ),
    )


def _restore_form(data=None):
    return ModerationForm(
        data,
        prefix="restore",
        help_text=_("Kept on record with the reason it was hidden."),
    )


# --- Helpers ---------------------------------------------------------------------------------


def _with_target_titles(comments) -> None:
    """Each comment's `target_title`, from the participable adapter of what it was written on."""
    for comment in comments:
        target = comment.target
        comment.target_title = title_of(target) if target is not None else ""


def _reason_counts(reports) -> list[tuple[str, int]]:
    counts = Counter(report.get_reason_display() for report in reports)
    return counts.most_common()


def _moderated_comment(request, pk) -> Comment:
    require(request, policies.can_moderate(request.user))
    return get_object_or_404(
        Comment.objects.select_related("author", "organisation", "hidden_by", "consultation"),
        pk=pk,
    )


def _moderation_page(request, comment, *, hide_form=None, restore_form=None):
    reports = list(comment.reports.select_related("reporter", "resolved_by").order_by("-pk"))
    open_reports = [report for report in reports if report.resolved_at is None]
    _with_target_titles([comment])
    return render(
        request,
        "participation/moderation/comment.html",
        {
            "comment": comment,
            "in_place_url": comment_url(comment) if comment.target is not None else "",
            "reports": reports,
            "open_reports": open_reports,
            "reason_counts": _reason_counts(open_reports),
            "actions": comment.moderation_actions.select_related("moderator"),
            "history": comment.history.select_related("history_user").order_by("-history_id"),
            "hide_form": hide_form or _hide_form(),
            "restore_form": restore_form or _restore_form(),
            "dismiss_form": DismissForm(prefix="dismiss"),
            "breadcrumbs": [(_("Moderation"), reverse("participation:moderation_queue"))],
        },
    )


# --- Reporting (participants) ----------------------------------------------------------------


@guarded
@require_http_methods(["GET", "POST"])
def report(request, pk):
    """Report someone else's comment to the moderators: a reason, and a note if need be."""
    comment = readable_comment(request, pk)
    require(request, policies.can_report_comment(request.user, comment))
    seen_on = page_path(request)
    back = comment_url(comment, seen_on)
    existing = selectors.report_by(request.user, comment)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            services.comment_report(actor=request.user, comment=comment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Thank you. The moderators will look at the comment you reported.")
            )
            return redirect(back)
    return render(
        request,
        "participation/moderation/report_form.html",
        {
            "comment": comment,
            "form": form,
            "existing": existing,
            "cancel_url": back,
            "seen_on": seen_on or "",
            "page_title": _("Report a comment"),
        },
    )


# --- The moderators' pages -------------------------------------------------------------------


@guarded
@require_GET
def queue(request):
    """Comments with open reports, the most recently reported first, with the reports' reasons
    and counts; and the latest moderation actions."""
    require(request, policies.can_moderate(request.user))
    page = Paginator(selectors.moderation_queue(), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    _with_target_titles(page.object_list)
    for comment in page.object_list:
        comment.reason_counts = _reason_counts(comment.open_reports)
    return render(
        request,
        "participation/moderation/queue.html",
        {
            "page": page,
            "comments": page.object_list,
            "actions": selectors.moderation_record()[:RECENT_ACTIONS],
        },
    )


@guarded
@require_GET
def record(request):
    """Every moderation action, newest first: who hid, restored or dismissed what, when, why."""
    require(request, policies.can_moderate(request.user))
    page = Paginator(selectors.moderation_record(), RECORD_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "participation/moderation/record.html",
        {
            "page": page,
            "actions": page.object_list,
            "breadcrumbs": [(_("Moderation"), reverse("participation:moderation_queue"))],
        },
    )


@guarded
@require_GET
def comment(request, pk):
    """One comment as moderators see it: its text (even when hidden), its reports, what was done
    about it, its history, and the forms to hide, restore or dismiss."""
    return _moderation_page(request, _moderated_comment(request, pk))


def _done(request, comment, message):
    messages.success(request, message)
    return redirect_back(request, reverse("participation:moderation_comment", args=[comment.pk]))


@guarded
@require_POST
def hide(request, pk):
    comment = _moderated_comment(request, pk)
    form = _hide_form(request.POST)
    if form.is_valid():
        try:
            services.comment_hide(
                actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, comment, _("The comment is hidden; the reason shows instead."))
    return _moderation_page(request, comment, hide_form=form)


@guarded
@require_POST
def restore(request, pk):
    comment = _moderated_comment(request, pk)
    form = _restore_form(request.POST)
    if form.is_valid():
        try:
            services.comment_restore(
                actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, comment, _("The comment is shown again."))
    return _moderation_page(request, comment, restore_form=form)


@guarded
@require_POST
def dismiss(request, pk):
    """Close the open reports on a comment that stays as it is."""
    comment = _moderated_comment(request, pk)
    form = DismissForm(request.POST, prefix="dismiss")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    closed = services.comment_reports_dismiss(actor=request.user, comment=comment, reason=reason)
    if closed:
        messages.success(request, _("The reports are closed; the comment stays as it is."))
    else:
        messages.info(request, _("There were no open reports on this comment."))
    return redirect_back(request, reverse("participation:moderation_queue"))
