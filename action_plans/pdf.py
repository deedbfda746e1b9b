"""Plans and commitments as PDF documents in the shape of an OGP action plan.

Rendering has two steps. `render_document` builds the HTML (cheap: one template, a constant
number of queries) and its fingerprint; `write_pdf` turns HTML into PDF with WeasyPrint (costly:
seconds for a large plan), which runs in a Celery task (`action_plans.exports`).

WeasyPrint reads resources through `StaticFilesFetcher`: only the project's static files (the
PDF stylesheet, its fonts, the logo), read from disk. Nothing is fetched over the network and a
URL in user-written text cannot make the renderer read anything: text is escaped by the
template, and the fetcher refuses every URL that is not a static file.
"""

import datetime
import hashlib
import mimetypes
import posixpath
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from participation.figures import participation_figures
from participation.links import report_url
from participation.models import Consultation
from participation.selectors import consultations_of, register_median_days, register_totals

from . import contents
from .models import ActionPlan

# The document's base URL: relative links resolve under it, and the fetcher serves nothing else.
# The `.invalid` top-level domain never resolves: even a fetcher that went to the network could
# not reach anything with it.
BASE_URL = "https://pdf.invalid/static/"
# Replaced by the date of rendering after the fingerprint is taken: the date must not make two
# renderings of the same plan look different.
GENERATED_MARK = "[[generated-at]]"
# OGP counts co-creation from about a year before the plan starts.
FORUM_MEETINGS_BEFORE_START_DAYS = 366

_fonts = threading.local()


class StaticFilesFetcher(URLFetcher):
    """Serves the project's static files from disk and refuses every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols=())

    def fetch(self, url, headers=None):
        path = static_path_for(url)
        if path is None:
            raise ValueError(f"The PDF renderer reads only static files, not {url[:200]!r}")
        media_type, _encoding = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url,
            body=path.read_bytes(),
            headers={"Content-Type": media_type or "application/octet-stream"},
        )


def static_path_for(url: str) -> Path | None:
    """The file on disk behind a static-file URL of the PDF document, or None when the URL is
    not one (another scheme or host, a path outside the static files, a missing file)."""
    parts = urlsplit(url)
    base = BASE_URL if url.startswith(BASE_URL) else None
    if base is None or parts.query or parts.fragment:
        return None
    relative = unquote(url[len(base) :])
    # Normalise, then refuse anything that climbs out of the static files.
    normalised = posixpath.normpath(relative)
    if normalised.startswith(("/", "..")) or "\x00" in normalised or normalised == ".":
        return None
    found = finders.find(normalised)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / normalised).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


@dataclass
class Document:
    html: str
    fingerprint: str

    def dated(self, language: str, when=None) -> str:
        """The HTML with its date of generation (now, unless given), written in `language`."""
        return date_document(self.html, language, when)


def date_document(html: str, language: str, when=None) -> str:
    """Put the date of generation into a document's HTML."""
    with translation.override(language):
        stamp = date_format(timezone.localtime(when or timezone.now()), "DATETIME_FORMAT")
    return html.replace(GENERATED_MARK, stamp)


def pdf_commitments(plan: ActionPlan, *, identifier: str = ""):
    """The plan's commitments in order (or the one with `identifier`), with all a PDF shows, in
    a constant number of queries, as the app holding them reads them (`contents`: plans know
    nothing of the commitments app)."""
    return contents.provider().document(plan, identifier=identifier)


def _forum_meetings(plan: ActionPlan) -> list:
    since = plan.start_date - datetime.timedelta(days=FORUM_MEETINGS_BEFORE_START_DAYS)
    return list(
        plan.member.forum_meetings.filter(held_on__gte=since, held_on__lte=plan.end_date).order_by(
            "held_on", "pk"
        )
    )


def document_context(plan: ActionPlan, *, commitment_identifier: str = "") -> dict:
    """Everything the PDF template shows. The participation figures are recounted (not read
    from the minute-long cache) so the document is exact at the time it is made."""
    commitments = pdf_commitments(plan, identifier=commitment_identifier)
    context = {
        "plan": plan,
        "member": plan.member,
        "commitments": commitments,
        "single": bool(commitment_identifier),
        "plan_url": settings.SITE_URL + plan.get_absolute_url(),
        "generated": GENERATED_MARK,
    }
    if commitment_identifier:
        commitment = commitments[0] if commitments else None
        context["commitment"] = commitment
        context["document_url"] = (
            settings.SITE_URL + commitment.get_absolute_url() if commitment else context["plan_url"]
        )
        return context
    consultations = list(consultations_of(plan).order_by("opens_at", "pk"))
    context.update(
        {
            "document_url": context["plan_url"],
            "consultations": [(c, Consultation.State(c.state).label) for c in consultations],
            "forum_meetings": _forum_meetings(plan),
            "figures": participation_figures(plan, consulted=bool(consultations), fresh=True),
            "register_totals": register_totals(plan),
            "register_median_days": register_median_days(plan),
            "report_url": settings.SITE_URL + report_url(plan),
        }
    )
    return context


def render_document(
    plan: ActionPlan, *, language: str, commitment_identifier: str = ""
) -> Document:
    """The PDF's HTML in `language` and its fingerprint (which ignores the date of generation)."""
    with translation.override(language):
        html = render_to_string(
            "action_plans/pdf/document.html",
            document_context(plan, commitment_identifier=commitment_identifier),
        )
    return Document(html=html, fingerprint=hashlib.sha256(html.encode()).hexdigest())


@dataclass
class Pdf:
    content: bytes
    pages: int


def _font_config() -> FontConfiguration:
    """One font configuration per thread, kept between renderings: loading the shipped fonts
    (decompressing WOFF2, registering them with Fontconfig) costs about a second, and is done
    once per worker process instead of once per PDF. Pango's font map is not thread-safe,
    hence one per thread."""
    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


def write_pdf(html: str) -> Pdf:
    """The PDF of a document made by `render_document` (its `dated()` HTML)."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
    rendered = document.render(font_config=_font_config())
    return Pdf(content=rendered.write_pdf(), pages=len(rendered.pages))
