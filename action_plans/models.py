"""Action plans and their lifecycle: draft → co-creation → submitted → implementation → ended,
or withdrawn. Every transition is a service in `action_plans.services`; `PlanTransition` keeps
who moved the plan, when and why, and is the timeline on the plan page."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ogp_platform.members.models import Member
from ogp_platform.text import validate_single_line

# OGP: a plan runs two or four years, with at least 20 months of implementation.
PLAN_LENGTHS_IN_MONTHS = ((20, 24), (44, 48))


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from the first day to the last day inclusive (1 Sep 2024 – 31 Aug 2026: 24)."""
    after = end + datetime.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if after.day < start.day:
        months -= 1
    return months


# The language most members write their plans in, from the member's country (ISO alpha-2), to
# propose when a plan is started. Officers can change it; it marks the plan's text with `lang`.
COUNTRY_LANGUAGES = {
    "AR": "es", "AT": "de", "BE": "nl", "BG": "bg", "BR": "pt", "CA": "en", "CL": "es",
    "CO": "es", "CR": "es", "CZ": "cs", "DE": "de", "DK": "da", "DO": "es", "EC": "es",
    "EE": "et", "ES": "es", "FI": "fi", "FR": "fr", "GB": "en", "GR": "el", "GT": "es",
    "HN": "es", "HR": "hr", "IE": "en", "IT": "it", "LT": "lt", "LU": "fr", "LV": "lv",
    "MD": "ro", "MX": "es", "NL": "nl", "NO": "nb", "PA": "es", "PE": "es", "PL": "pl",
    "PT": "pt", "PY": "es", "RO": "ro", "SE": "sv", "SK": "sk", "SV": "es", "UA": "uk",
    "US": "en", "UY": "es",
}  # fmt: skip


def content_language_choices():
    from django.conf import global_settings

    return [("", _("Not stated")), *global_settings.LANGUAGES]


def default_submission_deadline(start: datetime.date) -> datetime.date:
    """OGP asks for plans by 31 August of the year they start."""
    return datetime.date(start.year, 8, 31)


class ActionPlan(models.Model):
    """A member's two- or four-year open-government action plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COCREATION = "cocreation", _("Co-creation")
        SUBMITTED = "submitted", _("Submitted")
        IMPLEMENTATION = "implementation", _("Implementation")
        ENDED = "ended", _("Ended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The stages of the cycle in order, for the timeline (withdrawn leaves the cycle).
    CYCLE = (
        Status.DRAFT,
        Status.COCREATION,
        Status.SUBMITTED,
        Status.IMPLEMENTATION,
        Status.ENDED,
    )
    # While the plan is being written, its team may change it; after submission only OGP admins
    # may reopen it.
    EDITABLE = (Status.DRAFT, Status.COCREATION)

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="action_plans"
    )
    sequence = models.PositiveSmallIntegerField(_("number"))
    identifier = models.CharField(_("plan id"), max_length=16, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=250, validators=[validate_single_line])
    language = models.CharField(
        _("language of the plan"),
        max_length=16,
        blank=True,
        choices=content_language_choices,
        help_text=_("The language the plan and its commitments are written in."),
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("The context of the plan and the government's ambition, in a few paragraphs."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    submission_deadline = models.DateField(_("submission deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        help_text=_("Set when co-creation opens: from then on everyone may read the plan."),
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    is_late = models.BooleanField(_("submitted late"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "created_by"])

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["member__name", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "sequence"], name="action_plans_plan_unique_sequence"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="action_plans_plan_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="withdrawn") | Q(published_at__isnull=False),
                name="action_plans_plan_published_after_draft",
            ),
        ]
        indexes = [models.Index(fields=["status", "start_date"])]

    def __str__(self):
        return f"{self.identifier} {self.title}"

    def get_absolute_url(self):
        return reverse("action_plans:detail", kwargs={"identifier": self.identifier})

    @property
    def is_public(self) -> bool:
        """Drafts stay with the member's team until co-creation opens."""
        return self.published_at is not None

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def period_label(self) -> str:
        return f"{self.start_date.year}–{self.end_date.year}"


class PlanTransition(models.Model):
    """One step of a plan's lifecycle: who moved it, from where to where, when, and why.
    Append-only; it is the timeline on the plan page."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=ActionPlan.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ActionPlan.Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.plan.identifier}: {self.from_status} → {self.to_status}"


class PdfExport(models.Model):
    """One rendering of a plan, or of one of its commitments, as a PDF in one language.

    The `fingerprint` is a hash of the HTML the PDF is made from, so a PDF is rendered once per
    version of the document: asking again for an unchanged plan finds the same row (and file),
    and any change to what the PDF would show gives a new fingerprint and a new rendering. The
    unique constraint makes two people asking at the same moment share one row and one task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for its turn")
        RENDERING = "rendering", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="pdf_exports")
    # Empty for the whole plan; a commitment's identifier for a single commitment (plans know
    # nothing of the commitments app, so this is not a foreign key).
    commitment_identifier = models.CharField(max_length=16, blank=True)
    language = models.CharField(max_length=8)
    fingerprint = models.CharField(max_length=64)
    # The document to render, kept until the PDF is written.
    html = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="exports/pdf/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("PDF export")
        verbose_name_plural = _("PDF exports")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "commitment_identifier", "language", "fingerprint"],
                name="action_plans_pdf_one_rendering_per_version",
            )
        ]

    def __str__(self):
        subject = self.commitment_identifier or self.plan.identifier
        return f"{subject} ({self.language}) {self.status}"

    @property
    def filename(self) -> str:
        return f"{self.commitment_identifier or self.plan.identifier}-{self.language}.pdf"
