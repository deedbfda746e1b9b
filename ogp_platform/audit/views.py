"""The audit log, for OGP admins: every change to plans, commitments, responses, moderation
decisions and roles, with who made it and when, as a page and as a CSV file."""

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ogp_platform import opendata
from ogp_platform.members import policies
from ogp_platform.viewtools import guarded, require

from . import selectors
from .forms import AuditFilterForm


def _person(user, context) -> str:
    return user.get_full_name() if user else _("system")


def _email(user, context) -> str:
    return user.email if user else ""


COLUMNS = [
    opendata.Column("date", "When the change was made (UTC)", lambda entry, c: entry.date),
    opendata.Column("kind", "What kind of change", lambda entry, c: entry.kind_label),
    opendata.Column("person", "Who made it", lambda entry, c: _person(entry.actor, c)),
    opendata.Column("email", "Their email address", lambda entry, c: _email(entry.actor, c)),
    opendata.Column("object", "What was changed", lambda entry, c: entry.subject),
    opendata.Column("change", "What changed", lambda entry, c: entry.what),
    opendata.Column(
        "url", "Its page", lambda entry, c: c.build_absolute_uri(entry.url) if entry.url else ""
    ),
]


def _form(request) -> AuditFilterForm:
    form = AuditFilterForm(request.GET or None)
    if request.GET:
        form.is_valid()
    return form


@require_GET
@never_cache
@guarded
def log(request):
    """The log, newest first, filtered by the query string. Filters that are not valid are
    named at the top of the page, and nothing is listed until they are fixed."""
    require(request, policies.can_view_audit_log(request.user))
    form = _form(request)
    invalid = form.is_bound and not form.is_valid()
    page = None
    if not invalid:
        filters = form.filters() if form.is_bound else selectors.Filters()
        page = selectors.log_page(filters, selectors.page_number(request.GET.get("page")))
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "filtered": form.filtered, "invalid": invalid},
        status=400 if invalid else 200,
    )


@require_GET
@never_cache
@guarded
def download(request):
    """The filtered log as a CSV file, streamed: cells a spreadsheet would run as formulas are
    neutralised, as in every file the platform writes. Not open data: no licence."""
    require(request, policies.can_view_audit_log(request.user))
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "audit/log.html",
            {"form": form, "page": None, "filtered": True, "invalid": True},
            status=400,
        )
    filters = form.filters() if form.is_bound else selectors.Filters()
    response = StreamingHttpResponse(
        opendata.csv_stream(COLUMNS, selectors.all_entries(filters), request),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(True, f"audit-log-{stamp}.csv")
    return response
