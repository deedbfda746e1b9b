"""Co-production processes: the tree of phases → objectives → tasks, the teams that work on
it, the resources on its tasks, and its governance framework.

Rules live in the services (`use_cases.coproduction.services`) and, where the database can hold
them, in constraints here: an item's kind follows its parent's (a phase has no parent, an
objective a phase, a task an objective), dates run forwards, one framework per process.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ogp_platform.members.models import Member, Organisation
from ogp_platform.text import validate_single_line
from ogp_platform.uploads import GeneratedName

from .catalogue import Enabler, ProblemProfile, Schema


class Process(models.Model):
    """A co-production process, owned by one or more members (a ministry's government and a
    city's together) and, beside them, organisations. The first owning member is its primary
    member: the member whose pages it belongs to."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        TEAM = "team", _("Members of its teams only")

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    languages = models.JSONField(
        _("languages"), default=list, help_text=_("The languages the process works in.")
    )
    owner_members = models.ManyToManyField(
        Member, related_name="coproduction_processes", verbose_name=_("owning members")
    )
    owner_organisations = models.ManyToManyField(
        Organisation,
        related_name="coproduction_processes",
        blank=True,
        verbose_name=_("owning organisations"),
    )
    # Kept for the page cache and the participation register (a process's primary member).
    primary_member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("primary member")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    schema = models.ForeignKey(
        Schema,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="processes",
        verbose_name=_("created from schema"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # The owners too: who joined and left is in the process's history.
    history = HistoricalRecords(
        excluded_fields=["created_at"], m2m_fields=[owner_members, owner_organisations]
    )

    class Meta:
        verbose_name = _("co-production process")
        verbose_name_plural = _("co-production processes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("coproduction:process", args=[self.slug])


class Team(models.Model):
    """People and organisations working on a process, with a kind and a role on it. Rights on
    tree items are granted to the team (guardian permissions of its group, inherited down the
    tree); the team's people are its group's users."""

    class Kind(models.TextChoices):
        PUBLIC_ADMINISTRATION = "public_administration", _("Public administration")
        CITIZENS = "citizens", _("Citizens")
        NON_PROFIT = "non_profit", _("Non-profit organisations")
        FOR_PROFIT = "for_profit", _("For-profit organisations")
        RESEARCH = "research", _("Research and academia")
        OTHER = "other", _("Other")

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Team member")
        OBSERVER = "observer", _("Observer")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coproduction_teams", blank=True
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="coproduction_teams", blank=True
    )
    # The auth group through which guardian grants the team's rights (kept equal to `people`
    # by the team services).
    group = models.OneToOneField(
        "auth.Group", on_delete=models.PROTECT, related_name="coproduction_team"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["created_at"], m2m_fields=[people, organisations])

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["process", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="coproduction_team_name"),
        ]

    def __str__(self):
        return self.name


class TreeItem(models.Model):
    """A phase, an objective or a task of a process. Its progress and status roll up from its
    children (computed, not stored, for phases and objectives); a task's status is set by the
    team. Prerequisites are items of the same process that must finish first."""

    class Kind(models.TextChoices):
        PHASE = "phase", _("Phase")
        OBJECTIVE = "objective", _("Objective")
        TASK = "task", _("Task")

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting")
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The schema item it came from (`task-technical-implementation`), empty for added ones.
    key = models.CharField(_("schema identifier"), max_length=120, blank=True)
    name = models.CharField(_("name"), max_length=250, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.AWAITING
    )
    responsible_team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("responsible team"),
    )
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        verbose_name=_("prerequisites"),
    )
    problem_profiles = models.ManyToManyField(
        ProblemProfile, blank=True, related_name="items", verbose_name=_("problem profiles")
    )
    # The many-to-many choices as text (one name a line, sorted), kept by the tree services, so
    # that the history, which records a row's own columns, shows their changes like any other
    # field's (as commitments do). Editable because the changes pages show the fields people
    # edit; no form lists them.
    prerequisites_record = models.TextField(_("prerequisites"), blank=True)
    problem_profiles_record = models.TextField(_("problem profiles"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("process item")
        verbose_name_plural = _("process items")
        ordering = ["process", "position", "pk"]
        permissions = [
            ("view_resources", "See the resources"),
            ("add_resources", "Add resources"),
            ("delete_resources", "Delete resources"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="phase", parent__isnull=True)
                | (~Q(kind="phase") & Q(parent__isnull=False)),
                name="coproduction_item_phase_is_a_root",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="coproduction_item_dates_forwards",
            ),
        ]
        indexes = [models.Index(fields=["process", "parent", "position"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("coproduction:item", args=[self.process.slug, self.pk])


class Resource(models.Model):
    """What a task works with: a link, an uploaded file (the platform's upload rules), or an
    enabler of the catalogue instantiated for the task. People comment on each."""

    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        FILE = "file", _("File")
        ENABLER = "enabler", _("Enabler from the catalogue")

    task = models.ForeignKey(TreeItem, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True, max_length=2000)
    url = models.URLField(_("address"), blank=True, max_length=500)
    file = models.FileField(
        _("file"), upload_to=GeneratedName("coproduction/resources/%Y/%m/"), blank=True
    )
    file_name = models.CharField(max_length=255, blank=True, editable=False)
    enabler = models.ForeignKey(
        Enabler,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("enabler"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["created_at", "file"])

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["task", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(url="") & Q(enabler__isnull=True))
                | (Q(kind="file") & ~Q(file="") & Q(enabler__isnull=True))
                | (Q(kind="enabler") & Q(enabler__isnull=False)),
                name="coproduction_resource_has_what_its_kind_says",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "coproduction:resource", args=[self.task.process.slug, self.task_id, self.pk]
        )


class Governance(models.Model):
    """The rules of a process, public before anyone takes part: INTERLINK's governance model,
    who may take part, how decisions are taken (with weights when mixed), the intellectual
    property and the agreement that follows. After people have taken part, a change is an
    amendment with a reason."""

    class Model(models.TextChoices):
        CITIZEN_SOURCING = "citizen_sourcing", _("Citizen sourcing")
        PUBLIC_CIVIL_PARTNERSHIP = "public_civil_partnership", _("Public–civil partnership")
        GOVERNMENT_AS_A_PLATFORM = "government_as_a_platform", _("Government as a platform")
        CITIZEN_TO_CITIZEN = "citizen_to_citizen", _("Citizen to citizen")

    class Participant(models.TextChoices):
        PUBLIC_SECTOR = "public_sector", _("Public sector")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        ACADEMIA = "academia", _("Academia")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        CITIZENS = "citizens", _("Citizens")

    class Decision(models.TextChoices):
        OWNERS = "owners", _("By the owners")
        JURY = "jury", _("By a jury")
        PUBLIC_VOTE = "public_vote", _("By a public vote")
        WEIGHTED = "weighted", _("A weighted mix")

    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="governance")
    model = models.CharField(_("governance model"), max_length=32, choices=Model.choices)
    participants = models.JSONField(
        _("who may take part"), default=list, help_text=_("Values of Governance.Participant.")
    )
    decision = models.CharField(
        _("how decisions are taken"), max_length=16, choices=Decision.choices
    )
    # Percentages of a weighted mix; they add up to 100 (checked by the service and below).
    owners_weight = models.PositiveSmallIntegerField(_("weight of the owners"), default=0)
    jury_weight = models.PositiveSmallIntegerField(_("weight of the jury"), default=0)
    public_weight = models.PositiveSmallIntegerField(_("weight of the public vote"), default=0)
    intellectual_property = models.TextField(_("intellectual property"), blank=True)
    agreement = models.TextField(_("the agreement that follows"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("governance framework")
        verbose_name_plural = _("governance frameworks")
        constraints = [
            # A weighted mix's weights are percentages that add up to 100.
            models.CheckConstraint(
                condition=~Q(decision="weighted")
                | Q(
                    Exact(
                        models.F("owners_weight")
                        + models.F("jury_weight")
                        + models.F("public_weight"),
                        100,
                    )
                ),
                name="coproduction_weights_add_up",
            ),
        ]

    def __str__(self):
        return str(self.process)


class GovernanceAmendment(models.Model):
    """A change to the rules of a process after people have taken part: what changed (the
    fields before and after), why, who, when."""

    governance = models.ForeignKey(Governance, on_delete=models.CASCADE, related_name="amendments")
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason"))
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("amendment of the rules")
        verbose_name_plural = _("amendments of the rules")
        ordering = ["-amended_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="coproduction_amendment_reason"),
        ]

    def __str__(self):
        return f"{self.governance} {self.amended_at:%Y-%m-%d}"
