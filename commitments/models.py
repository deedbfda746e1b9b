"""Commitments in OGP's template, their milestones, progress reports with evidence, and the
independent assessment (IRM)."""

import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from action_plans.models import ActionPlan
from ogp_platform.members.models import Institution, Member, Organisation
from ogp_platform.text import validate_single_line
from ogp_platform.uploads import GeneratedName

from .validators import EVIDENCE_EXTENSIONS, validate_evidence_file


class OgpValue(models.TextChoices):
    """OGP's values. The first three are the core values: a commitment needs one of them."""

    ACCESS_TO_INFORMATION = "access_to_information", _("Access to information")
    CIVIC_PARTICIPATION = "civic_participation", _("Civic participation")
    PUBLIC_ACCOUNTABILITY = "public_accountability", _("Public accountability")
    TECHNOLOGY_INNOVATION = "technology_innovation", _("Technology and innovation")


CORE_VALUES = (
    OgpValue.ACCESS_TO_INFORMATION,
    OgpValue.CIVIC_PARTICIPATION,
    OgpValue.PUBLIC_ACCOUNTABILITY,
)


class Completion(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DatePrecision(models.TextChoices):
    """How much of a date is known. Imported dates are often only a month or a year: the date
    then holds the period's first day (start dates) or last day (end dates)."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class PolicyArea(models.Model):
    """One entry of OGP's policy-area taxonomy. Seeded by a migration; names are translated in
    `commitments.taxonomy` by slug."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")
        ordering = ["position", "name"]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        from .taxonomy import POLICY_AREA_LABELS

        return POLICY_AREA_LABELS.get(self.slug, self.name)


class CommitmentNumbering(models.Model):
    """The last commitment number a member used. Numbers are never reused, even when a draft
    commitment is removed; services lock this row to hand out the next one."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.member}: {self.last_number}"


class Commitment(models.Model):
    """A commitment of an action plan, in OGP's template."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Sections of the template that a plan cannot be submitted without (besides a core value
    # and a lead institution): see `missing_for_submission`.
    REQUIRED_TEXT_FIELDS = (
        "problem",
        "status_quo",
        "description",
        "contribution",
        "values_relevance",
    )

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    number = models.PositiveIntegerField(editable=False)
    identifier = models.CharField(_("commitment id"), max_length=8, unique=True, editable=False)
    position = models.PositiveSmallIntegerField(default=0, editable=False)
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    short_title = models.CharField(
        _("short title"),
        max_length=80,
        blank=True,
        help_text=_("Used in tables and lists."),
        validators=[validate_single_line],
    )
    problem = models.TextField(
        _("problem addressed"),
        blank=True,
        help_text=_("What problem does the commitment aim to address?"),
    )
    status_quo = models.TextField(
        _("status quo"),
        blank=True,
        help_text=_("What is the situation today, and what has been tried before?"),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What is the commitment? What will be done, and what is the expected result?"),
    )
    contribution = models.TextField(_("how it will contribute to solving the problem"), blank=True)
    values_relevance = models.TextField(
        _("relevance to OGP values"),
        blank=True,
        help_text=_("How does it make government more transparent, participatory or accountable?"),
    )
    value_access_to_information = models.BooleanField(_("access to information"), default=False)
    value_civic_participation = models.BooleanField(_("civic participation"), default=False)
    value_public_accountability = models.BooleanField(_("public accountability"), default=False)
    value_technology_innovation = models.BooleanField(_("technology and innovation"), default=False)
    policy_areas = models.ManyToManyField(
        PolicyArea, verbose_name=_("policy areas"), blank=True, related_name="commitments"
    )
    lead_institution = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_commitments",
    )
    supporting_institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("supporting institutions"),
        blank=True,
        related_name="supported_commitments",
    )
    partner_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("supporting organisations"),
        blank=True,
        related_name="commitments",
        help_text=_("Civil society, private sector and academia."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    start_date_precision = models.CharField(
        _("precision of the start date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        editable=False,
    )
    end_date_precision = models.CharField(
        _("precision of the end date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        editable=False,
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. EUR.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    # The latest reported completion level, kept by the progress-report service.
    completion = models.CharField(
        _("completion"), max_length=16, choices=Completion.choices, blank=True
    )
    # Title, ids and template sections in one text, for search (kept by the services).
    search_document = models.TextField(blank=True, editable=False)
    # The many-to-many choices as text, kept by the services, so that the history (which records
    # a row's own columns) shows their changes like any other field's.
    # (Editable, unlike the other bookkeeping fields, because the changes pages show the fields
    # people edit; no form lists them.)
    policy_areas_record = models.TextField(_("policy areas"), blank=True)
    supporting_institutions_record = models.TextField(_("supporting institutions"), blank=True)
    partner_organisations_record = models.TextField(_("supporting organisations"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(
        excluded_fields=["search_document", "created_at", "updated_at", "number", "position"]
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan", "position", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="commitments_commitment_ends_after_start",
            ),
            # Technology and innovation cannot stand alone: it must serve a core value.
            models.CheckConstraint(
                condition=Q(value_technology_innovation=False)
                | Q(value_access_to_information=True)
                | Q(value_civic_participation=True)
                | Q(value_public_accountability=True),
                name="commitments_commitment_technology_needs_core_value",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | ~Q(budget_currency=""),
                name="commitments_commitment_budget_has_currency",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "completion"]),
        ]

    def __str__(self):
        return f"{self.identifier} {self.title}"

    def get_absolute_url(self):
        return reverse("commitments:detail", kwargs={"identifier": self.identifier})

    @property
    def display_title(self) -> str:
        return self.short_title or self.title

    @property
    def values(self) -> list[str]:
        """The OGP values ticked, as `OgpValue` members in OGP's order."""
        return [value for value in OgpValue if getattr(self, f"value_{value}")]

    def get_values_display(self) -> list[str]:
        return [value.label for value in self.values]

    @property
    def has_core_value(self) -> bool:
        return any(getattr(self, f"value_{value}") for value in CORE_VALUES)

    def missing_for_submission(self) -> list[str]:
        """What OGP's template still needs before the plan can be submitted, as field labels.
        Reads the lead institution's id only, so it costs no query."""
        missing = [
            str(self._meta.get_field(name).verbose_name)
            for name in self.REQUIRED_TEXT_FIELDS
            if not getattr(self, name).strip()
        ]
        if not self.has_core_value:
            missing.append(str(_("a core OGP value")))
        if self.lead_institution_id is None:
            missing.append(str(self._meta.get_field("lead_institution").verbose_name))
        if self.start_date is None or self.end_date is None:
            missing.append(str(_("start and end date")))
        return missing


class Milestone(models.Model):
    """A verifiable step of a commitment. Ordered by `position`; reorderable."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=0, editable=False)
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    expected_output = models.TextField(
        _("expected output"),
        blank=True,
        help_text=_("A deliverable someone can check, e.g. “Register published as open data”."),
    )
    responsible_institution = models.ForeignKey(
        Institution,
        verbose_name=_("responsible institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    completion = models.CharField(
        _("completion"),
        max_length=16,
        choices=Completion.choices,
        default=Completion.NOT_STARTED,
    )

    history = HistoricalRecords(excluded_fields=["position"])

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["commitment", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="commitments_milestone_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.commitment.get_absolute_url()}#milestone-{self.pk}"


class ProgressReport(models.Model):
    """An officer's report on a commitment, or on one of its milestones, during implementation.
    Append-only: the trail of reports is the commitment's record of progress."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="progress_reports"
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="progress_reports",
        help_text=_("Leave empty to report on the commitment as a whole."),
    )
    level = models.CharField(_("completion level"), max_length=16, choices=Completion.choices)
    narrative = models.TextField(
        _("what happened"), help_text=_("What was done, what is left, and what got in the way.")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_at", "-pk"]

    def __str__(self):
        return f"{self.commitment.identifier}: {self.level}"


class Evidence(models.Model):
    """A link or an uploaded file that backs a progress report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    url = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(
        _("file"),
        upload_to=GeneratedName("evidence/%Y/%m/"),
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_evidence_file],
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="commitments_evidence_link_or_file",
            )
        ]

    def __str__(self):
        return self.title


class Assessment(models.Model):
    """The Independent Reporting Mechanism's assessment of a commitment. Every judgement may be
    unknown (empty): unknown is stored as such, never as a default."""

    class Specificity(models.TextChoices):
        NONE = "none", pgettext_lazy("specificity", "None")
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class PotentialImpact(models.TextChoices):
        NONE = "none", pgettext_lazy("potential impact", "None")
        MINOR = "minor", _("Minor")
        MODERATE = "moderate", _("Moderate")
        TRANSFORMATIVE = "transformative", _("Transformative")

    class PotentialForResults(models.TextChoices):
        UNCLEAR = "unclear", _("Unclear")
        MODEST = "modest", _("Modest")
        SUBSTANTIAL = "substantial", _("Substantial")

    class OpenedGovernment(models.TextChoices):
        WORSENED = "worsened", _("Worsened")
        DID_NOT_CHANGE = "did_not_change", _("Did not change")
        MARGINAL = "marginal", _("Marginal")
        MAJOR = "major", _("Major")
        OUTSTANDING = "outstanding", _("Outstanding")

    # Plans from this year on are assessed for potential for results instead of impact.
    RESULTS_METHOD_FROM_YEAR = 2020

    commitment = models.OneToOneField(
        Commitment, on_delete=models.CASCADE, related_name="assessment"
    )
    verifiable = models.BooleanField(_("verifiable"), null=True, blank=True)
    specificity = models.CharField(
        _("specificity"), max_length=8, choices=Specificity.choices, blank=True
    )
    relevant = models.BooleanField(_("relevant to OGP values"), null=True, blank=True)
    potential_impact = models.CharField(
        _("potential impact"), max_length=16, choices=PotentialImpact.choices, blank=True
    )
    potential_for_results = models.CharField(
        _("potential for results"), max_length=16, choices=PotentialForResults.choices, blank=True
    )
    completion_midterm = models.CharField(
        _("completion at mid-term"), max_length=16, choices=Completion.choices, blank=True
    )
    completion_end = models.CharField(
        _("completion at end of term"), max_length=16, choices=Completion.choices, blank=True
    )
    opened_government = models.CharField(
        _("did it open government?"),
        max_length=16,
        choices=OpenedGovernment.choices,
        blank=True,
    )
    early_results = models.TextField(_("early results"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        permissions = [("assess_commitment", _("Can enter IRM assessments"))]

    def __str__(self):
        return f"{self.commitment.identifier}"

    @cached_property
    def uses_results_method(self) -> bool:
        return self.commitment.plan.start_date.year >= self.RESULTS_METHOD_FROM_YEAR

    @property
    def completion(self) -> str:
        """The latest known completion: end of term if assessed, else mid-term."""
        return self.completion_end or self.completion_midterm

    @property
    def starred(self) -> bool | None:
        """IRM's star: medium or high specificity, relevant, moderate or transformative potential
        impact (substantial potential for results for plans from 2020), and substantial or
        complete implementation. None while a judgement it needs is unknown, unless one known
        judgement already rules the star out."""
        if self.uses_results_method:
            ambition = (
                None
                if not self.potential_for_results
                else self.potential_for_results == self.PotentialForResults.SUBSTANTIAL
            )
        else:
            ambition = (
                None
                if not self.potential_impact
                else self.potential_impact
                in (self.PotentialImpact.MODERATE, self.PotentialImpact.TRANSFORMATIVE)
            )
        tests = [
            None
            if not self.specificity
            else self.specificity in (self.Specificity.MEDIUM, self.Specificity.HIGH),
            self.relevant,
            ambition,
            None
            if not self.completion
            else self.completion in (Completion.SUBSTANTIAL, Completion.COMPLETE),
        ]
        if False in tests:
            return False
        if None in tests:
            return None
        return True


def _import_file_name(instance, filename: str) -> str:
    # A generated name: what the uploader called the file is kept in `original_name` only.
    return f"private/commitment-imports/{uuid.uuid4().hex}.csv"


class CommitmentImport(models.Model):
    """One run of the import of the IRM's commitments dataset, started from the upload page:
    the file, whether it was a dry run, how it went and the importer's summary."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), upload_to=_import_file_name)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    # `commitments.importer.ImportSummary.as_dict()`, once the import has run.
    summary = models.JSONField(_("summary"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("commitment import")
        verbose_name_plural = _("commitment imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.original_name or self.file.name} ({self.status})"

    def get_absolute_url(self):
        return reverse("commitments:import_report", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
