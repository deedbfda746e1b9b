"""INTERLINK's catalogue as the platform keeps it: problem profiles, enablers ("interlinkers")
and co-production schemas, imported from the published `catalogue.json` with every translation
kept (`*_translations` fields hold {language: text} as the source gives them), plus what the
platform adds: ratings, curation by OGP staff, schemas saved from processes.

Texts are read in the reader's language with `translated()`, falling back to English, then to
any language the source has.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

FALLBACK_LANGUAGE = "en"


def translated(translations, language: str | None = None):
    """The text of `translations` ({language: text}) in `language` (the active one by
    default), else in English, else in the first language that has one; "" when none has."""
    if not translations:
        return ""
    language = (language or get_language() or FALLBACK_LANGUAGE).split("-")[0]
    for code in (language, FALLBACK_LANGUAGE):
        if translations.get(code):
            return translations[code]
    return next((text for text in translations.values() if text), "")


class Origin(models.TextChoices):
    IMPORTED = "imported", _("INTERLINK catalogue")
    CURATED = "curated", _("Added by OGP staff")
    SAVED = "saved", _("Saved from a process")


class ProblemProfile(models.Model):
    """A problem area that enablers address and schema tasks face (`ORG_PROBLEM_8`)."""

    key = models.CharField(_("identifier"), max_length=64, unique=True)
    name_translations = models.JSONField(_("name"), default=dict)
    description_translations = models.JSONField(_("description"), default=dict, blank=True)
    functionality_translations = models.JSONField(_("what helps"), default=dict, blank=True)

    class Meta:
        verbose_name = _("problem profile")
        verbose_name_plural = _("problem profiles")
        ordering = ["key"]

    def __str__(self):
        return f"{self.key} {self.name}"

    @property
    def name(self) -> str:
        return translated(self.name_translations)


class Enabler(models.Model):
    """An enabler of the catalogue (INTERLINK's "interlinker"): a piece of knowledge (a guide,
    a template), an external tool or service, or a software component."""

    class Kind(models.TextChoices):
        KNOWLEDGE = "knowledge", _("Knowledge")
        EXTERNAL = "external", _("External tool or service")
        SOFTWARE = "software", _("Software")

    class Difficulty(models.TextChoices):
        VERY_EASY = "very_easy", _("Very easy")
        EASY = "easy", _("Easy")
        MEDIUM = "medium", _("Medium")
        DIFFICULT = "difficult", _("Difficult")
        VERY_DIFFICULT = "very_difficult", _("Very difficult")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    key = models.SlugField(_("identifier"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The source's vocabularies (form, format, licence, scope) are open lists: kept as given,
    # labelled by `use_cases.coproduction.vocabulary` where a label is known.
    form = models.CharField(_("form"), max_length=64, blank=True)
    format = models.CharField(_("format"), max_length=64, blank=True)
    difficulty = models.CharField(
        _("difficulty"), max_length=16, choices=Difficulty.choices, blank=True
    )
    licence = models.CharField(_("licence"), max_length=64, blank=True)
    administrative_scopes = models.JSONField(_("administrative scopes"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    problem_profiles = models.ManyToManyField(
        ProblemProfile, related_name="enablers", blank=True, verbose_name=_("problem profiles")
    )
    name_translations = models.JSONField(_("name"), default=dict)
    description_translations = models.JSONField(_("description"), default=dict, blank=True)
    tags_translations = models.JSONField(_("tags"), default=dict, blank=True)
    constraints_translations = models.JSONField(
        _("constraints and limitations"), default=dict, blank=True
    )
    regulations_translations = models.JSONField(
        _("regulations and standards"), default=dict, blank=True
    )
    # Where the enabler is: a web address, or a file of INTERLINK's repository (by language).
    uri_translations = models.JSONField(_("address"), default=dict, blank=True)
    file_translations = models.JSONField(_("file"), default=dict, blank=True)
    # The source's object, whole, so that nothing it says is lost (integration details of
    # software enablers, targets, environments…).
    source = models.JSONField(_("source record"), default=dict, blank=True, editable=False)
    origin = models.CharField(
        _("origin"), max_length=16, choices=Origin.choices, default=Origin.IMPORTED
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PUBLISHED
    )
    withdrawn_reason = models.TextField(_("reason for withdrawing"), blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # When OGP staff last changed it on the platform: the importer then keeps their edits
    # rather than INTERLINK's (see `use_cases.coproduction.importer`).
    curated_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["source", "created_at", "updated_at", "curated_at", "withdrawn_at"]
    )

    class Meta:
        verbose_name = _("enabler")
        verbose_name_plural = _("enablers")
        ordering = ["key"]
        permissions = [("curate_catalogue", "Curate the catalogue of enablers")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("coproduction:enabler", args=[self.key])

    @property
    def name(self) -> str:
        return translated(self.name_translations)

    @property
    def description(self) -> str:
        return translated(self.description_translations)


class EnablerSearchDocument(models.Model):
    """What full-text search reads for one enabler in one language of the platform: its name,
    description, tags and problem profiles as a reader of that language sees them (with the
    same fallbacks as the pages), written by the catalogue's services whenever those change.

    On PostgreSQL `vector` holds the document's tsvector in the language's text-search
    configuration (english, italian, spanish; `simple` for Latvian, which PostgreSQL has no
    stemmer for), GIN-indexed (migration 0003); other databases search `document` word by word.
    """

    enabler = models.ForeignKey(Enabler, on_delete=models.CASCADE, related_name="search_documents")
    language = models.CharField(max_length=8)
    document = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enabler", "language"], name="coproduction_one_search_document"
            ),
        ]

    def __str__(self):
        return f"{self.enabler_id} ({self.language})"


class EnablerRating(models.Model):
    """A signed-in person's rating of an enabler, 1 to 5, with an optional comment: one per
    person and enabler, changed by rating again."""

    enabler = models.ForeignKey(Enabler, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enabler_ratings"
    )
    stars = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("enabler rating")
        verbose_name_plural = _("enabler ratings")
        constraints = [
            models.UniqueConstraint(fields=["enabler", "user"], name="coproduction_one_rating"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5),
                name="coproduction_rating_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.enabler_id}: {self.stars}"


class Schema(models.Model):
    """A co-production process template: phases → objectives → tasks, with prerequisites and
    problem profiles, in the source's JSON shape (`phases`), whether imported from INTERLINK or
    saved by the owners of a process for others to reuse."""

    key = models.SlugField(_("identifier"), max_length=120, unique=True)
    name_translations = models.JSONField(_("name"), default=dict)
    description_translations = models.JSONField(_("description"), default=dict, blank=True)
    licence = models.CharField(_("licence"), max_length=64, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phases = models.JSONField(_("phases"), default=list)
    origin = models.CharField(
        _("origin"), max_length=16, choices=Origin.choices, default=Origin.IMPORTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_from = models.ForeignKey(
        "coproduction.Process",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="saved_schemas",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("schema")
        verbose_name_plural = _("schemas")
        ordering = ["origin", "key"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return translated(self.name_translations)
