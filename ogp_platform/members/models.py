"""OGP members (national and local governments), their institutions, the organisations of civil
society, the roles people hold, and the onboarding of new members."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from ogp_platform.text import NAME_KEY_LENGTH, name_key, one_line, validate_single_line
from ogp_platform.uploads import GeneratedName

from . import countries
from .validators import validate_pdf


class Region(models.TextChoices):
    AFRICA_MIDDLE_EAST = "africa_middle_east", _("Africa and the Middle East")
    AMERICAS = "americas", _("Americas")
    ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")
    EUROPE = "europe", _("Europe")


class Member(models.Model):
    """A national government or a local government (OGP Local) taking part in OGP."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National government")
        LOCAL = "local", _("Local government")

    class Status(models.TextChoices):
        ONBOARDING = "onboarding", _("Onboarding")
        ACTIVE = "active", _("Active")
        UNDER_REVIEW = "under_review", _("Under procedural review")
        INACTIVE = "inactive", _("Inactive")
        SUSPENDED = "suspended", _("Suspended")

    class Cohort(models.TextChoices):
        EVEN = "even", _("Even year")
        ODD = "odd", _("Odd year")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. LV.")
    )
    country_alpha3 = models.CharField(_("country code (alpha-3)"), max_length=3, editable=False)
    local_code = models.CharField(
        _("local code"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Three capital letters, e.g. MAD."))],
        help_text=_("Local members only: three letters used in commitment and plan ids."),
    )
    # OGP's data gives some members a prefix of its own (UK for the United Kingdom, MO for
    # Morocco, PNG for Papua New Guinea): the import records it, and ids drafted later go on
    # with it. Empty for the others.
    commitment_id_prefix = models.CharField(
        _("commitment id prefix"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2,3}$", _("Two or three capital letters, e.g. UK."))],
        help_text=_(
            "Only when OGP uses its own prefix for this member's commitment ids (UK0012); "
            "empty: the ISO code (LV0047) or, for a local member, its local code (MAD0005)."
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("national member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_members",
        limit_choices_to={"kind": "national"},
    )
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    date_joined = models.DateField(_("date joined"), null=True, blank=True)
    cohort = models.CharField(_("cohort"), max_length=4, choices=Cohort.choices, blank=True)
    lead_agency = models.CharField(
        _("lead ministry or agency"), max_length=200, blank=True, validators=[validate_single_line]
    )
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ONBOARDING
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    forum_rules = models.TextField(
        _("rules of the multistakeholder forum"),
        blank=True,
        help_text=_("How members are selected, how the forum decides, and how often it meets."),
    )
    organisations = models.ManyToManyField(
        "members.Organisation",
        verbose_name=_("civil-society partners"),
        blank=True,
        related_name="members",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name"]
        permissions = [
            ("onboard_member", _("Can onboard members and change their status (OGP admin)")),
            ("moderate_content", _("Can hide abusive content (moderator)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="local") | Q(parent__isnull=True, local_code=""),
                name="members_member_national_has_no_parent_or_local_code",
            ),
            models.CheckConstraint(
                condition=Q(kind="national") | ~Q(local_code=""),
                name="members_member_local_has_code",
            ),
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(kind="national"),
                name="members_member_one_national_per_country",
            ),
            models.UniqueConstraint(
                fields=["local_code"],
                condition=Q(kind="local"),
                name="members_member_unique_local_code",
            ),
            models.UniqueConstraint(
                fields=["commitment_id_prefix"],
                condition=~Q(commitment_id_prefix=""),
                name="members_member_unique_commitment_id_prefix",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind", "region"])]

    def __str__(self):
        return self.localised_name

    def get_absolute_url(self):
        return reverse("members:detail", kwargs={"slug": self.slug})

    @property
    def is_local(self) -> bool:
        return self.kind == self.Kind.LOCAL

    @property
    def country_name(self) -> str:
        return countries.name(self.country)

    @property
    def localised_name(self) -> str:
        """The name in the reader's (the active) language: a national member is its country,
        named as that language names it (Latvia is Lettonia in Italian); a local member keeps
        its own name (Madrid, Jūrmala). `name`, in English, is what data exports carry."""
        if self.is_local:
            return self.name
        return countries.translated(self.country) or self.name

    @property
    def commitment_prefix(self) -> str:
        """Commitment ids start with this: OGP's own prefix for the member when it has one
        (UK0012), else alpha-2 (LV0047), or the local code (MAD0005)."""
        return self.commitment_id_prefix or self.default_commitment_prefix

    @property
    def default_commitment_prefix(self) -> str:
        """The prefix the platform derives: alpha-2, or the local code."""
        return self.local_code if self.is_local else self.country

    @property
    def plan_prefix(self) -> str:
        """Action plan ids use this: alpha-3 (AP_LVA05), or the local code."""
        return self.local_code if self.is_local else self.country_alpha3

    @property
    def is_public(self) -> bool:
        """Members appear in the directory once onboarding has activated them."""
        return self.status != self.Status.ONBOARDING

    @property
    def government_name(self) -> str:
        """The member's government, as the official mark on what its officers write:
        "Government of Latvia", "Local government of Madrid"."""
        if self.is_local:
            return gettext("Local government of %(name)s") % {"name": self.localised_name}
        return gettext("Government of %(name)s") % {"name": self.localised_name}


class MemberStatusChange(models.Model):
    """Who changed a member's status, when, and why. Append-only."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Member.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Member.Status.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["-changed_at"])]

    def __str__(self):
        return f"{self.member}: {self.from_status} → {self.to_status}"


class ContraryToProcess(models.Model):
    """OGP's record that a member acted contrary to process (e.g. a plan delivered long after its
    deadline). Append-only; shown on the member page."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contrary_to_process")
    reason = models.TextField(_("reason"))
    # The plan concerned, by its public id: members know nothing of the plans app.
    plan_identifier = models.CharField(_("plan id"), max_length=16, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("acting contrary to process")
        verbose_name_plural = _("acting contrary to process")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.member}: {self.plan_identifier}"


class Institution(models.Model):
    """A government body of a member: a ministry, an agency, a department of a municipality."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency")
        DEPARTMENT = "department", _("Municipal department")
        OTHER = "other", _("Other public body")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="institutions")
    name = models.CharField(_("name"), max_length=250, validators=[validate_single_line])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MINISTRY)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["member", "name"], name="members_institution_unique")
        ]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A civil-society organisation, or a private-sector or academic one."""

    class Kind(models.TextChoices):
        CSO = "cso", _("Civil-society organisation")
        PRIVATE = "private", _("Private sector")
        ACADEMIC = "academic", _("Academia")

    name = models.CharField(_("name"), max_length=250, validators=[validate_single_line])
    # The name as every name that looks the same reads (`ogp_platform.text.name_key`): unique,
    # so that nobody registers "Delna" again, in capitals or with an invisible space in it,
    # and speaks under it. Derived from `name` on every save.
    name_key = models.CharField(max_length=NAME_KEY_LENGTH, editable=False)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CSO)
    country = models.CharField(_("country"), max_length=2)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Checked by the OGP support unit.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at", "name_key"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        # A role on one organisation, granted to a person through django-guardian
        # (`ogp_platform.roles`, `OrganisationUserObjectPermission`).
        permissions = [("administer_organisation", _("Administer the organisation"))]
        constraints = [
            models.UniqueConstraint(fields=["name_key"], name="members_organisation_unique_name")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Kept here rather than in a service: every way a name is written (services, the
        # Django admin, demo data, factories) must keep the key in step, or the unique
        # constraint would guard a stale value.
        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:organisation", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        taken = self.name_taken_by(self.name)
        if taken is not None:
            raise ValidationError({"name": self.name_taken_error(taken)})

    def name_taken_by(self, name: str) -> "Organisation | None":
        """Another organisation whose name looks the same as `name`, if any."""
        key = name_key(name)
        if not key:
            return None
        return Organisation.objects.filter(name_key=key).exclude(pk=self.pk).first()

    @staticmethod
    def name_taken_error(other: "Organisation") -> str:
        return _(
            "An organisation called “%(name)s” is already registered, and names that differ "
            "only in capitals, spaces or invisible characters count as the same. If you work "
            "for it, ask to join it from its page."
        ) % {"name": one_line(other.name)}

    @property
    def country_name(self) -> str:
        return countries.name(self.country)


class OrganisationMembership(models.Model):
    """A person who may speak for an organisation, once one of its administrators approved
    them. Who administers it is a role on the organisation (`administer_organisation`), not a
    field here."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    message = models.TextField(_("message to the organisation"), blank=True, max_length=1000)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="members_membership_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.status})"


class OrganisationUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's grants of a permission on one organisation to one person (its
    administrators), in a table of their own: a real foreign key, so that the grants go with
    the organisation and "the organisations this person administers" is a join. Written only by
    `ogp_platform.roles`, which records each grant and revocation."""

    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("role on an organisation")
        verbose_name_plural = _("roles on organisations")


class OrganisationRename(models.Model):
    """A new name asked for by the administrator of a verified organisation. The public name
    stays until an OGP admin approves it: "Verified" vouches for a name OGP checked, and must
    not pass to a name it never saw (another organisation's, say). Decided once; the rows and
    their history are the record of who asked, who decided, when and why."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Refused")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="renames")
    old_name = models.CharField(_("current name"), max_length=250)
    new_name = models.CharField(_("new name"), max_length=250, validators=[validate_single_line])
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("Required to refuse. The organisation's administrators see it."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation rename")
        verbose_name_plural = _("organisation renames")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="pending"),
                name="members_organisation_one_pending_rename",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="members_organisation_rename_decided_when_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="members_organisation_rename_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.old_name} → {self.new_name} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class MemberRole(models.Model):
    """A role a person holds on one member. It grants nothing on any other member."""

    class Role(models.TextChoices):
        POINT_OF_CONTACT = "point_of_contact", _("Point of contact")
        OFFICER = "officer", _("Government officer")
        FORUM = "forum", _("Multistakeholder forum member")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_roles"
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "user", "role"], name="members_role_unique")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.member}"


class Onboarding(models.Model):
    """The checklist an OGP admin works through to bring a new member in. Resumable: every step
    saves on its own; `OnboardingEvent` records who did what, when."""

    class Step(models.TextChoices):
        ELIGIBILITY = "eligibility", _("Eligibility")
        VALUES = "values", _("Values check")
        LETTER = "letter", _("Letter of intent")
        PARTNERS = "partners", _("Non-governmental partners")
        CONTACTS = "contacts", _("Lead agency and points of contact")
        ACTIVATION = "activation", _("Activation")

    SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(4)]

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="onboarding")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    # Step 1. Each score is 0 to 4 points, or empty for "no data".
    fiscal_transparency = models.PositiveSmallIntegerField(
        _("fiscal transparency"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    access_to_information = models.PositiveSmallIntegerField(
        _("access to information"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    asset_disclosure = models.PositiveSmallIntegerField(
        _("public officials' asset disclosure"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    citizen_engagement = models.PositiveSmallIntegerField(
        _("citizen engagement"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    # Step 2 (countries only).
    values_passed = models.BooleanField(_("values check passed"), null=True, blank=True)
    values_note = models.TextField(_("note on the values check"), blank=True)
    # Step 3.
    letter_date = models.DateField(_("date of the letter of intent"), null=True, blank=True)
    letter_file = models.FileField(
        _("letter of intent (PDF)"),
        upload_to=GeneratedName("onboarding/letters/%Y/"),
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
    )

    history = HistoricalRecords(excluded_fields=["letter_file"])

    class Meta:
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboardings")
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_transparency__lte=4)
                & Q(access_to_information__lte=4)
                & Q(asset_disclosure__lte=4)
                & Q(citizen_engagement__lte=4),
                name="members_onboarding_scores_0_to_4",
            )
        ]

    def __str__(self):
        return str(self.member)

    def get_absolute_url(self):
        return reverse("members:onboarding", kwargs={"slug": self.member.slug})

    @property
    def scores(self) -> dict[str, int | None]:
        return {
            "fiscal_transparency": self.fiscal_transparency,
            "access_to_information": self.access_to_information,
            "asset_disclosure": self.asset_disclosure,
            "citizen_engagement": self.citizen_engagement,
        }


class OnboardingEvent(models.Model):
    """One recorded step of an onboarding: who, when, and what was decided."""

    onboarding = models.ForeignKey(Onboarding, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(max_length=16, choices=Onboarding.Step.choices, blank=True)
    summary = models.CharField(max_length=300)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.onboarding}: {self.step}"


class Invitation(models.Model):
    """An emailed link that gives a role on one member to whoever owns the invited address.

    Only a digest of the token is stored: the link in the email is the only copy of the secret.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"),
        max_length=24,
        choices=MemberRole.Role.choices,
        default=MemberRole.Role.POINT_OF_CONTACT,
    )
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    send_count = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["token_digest"])

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "email", "role"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="members_invitation_one_open_per_address_and_role",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.member} ({self.role})"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def status(self) -> str:
        if self.revoked_at:
            return self.Status.REVOKED
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label


# --- OGP Participation and Co-Creation Standards 1 and 2: forum and repository -------------


class ForumSeat(models.Model):
    """A seat on a member's multistakeholder forum, held by someone from government or from
    civil society. The forum page shows the balance between the two."""

    class Sector(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        OTHER = "other", _("Other (academia, private sector, parliament)")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="forum_seats")
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    affiliation = models.CharField(
        _("institution or organisation"),
        max_length=250,
        blank=True,
        validators=[validate_single_line],
    )
    position = models.CharField(
        _("role on the forum"),
        max_length=120,
        blank=True,
        help_text=_("E.g. co-chair."),
        validators=[validate_single_line],
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forum seat")
        verbose_name_plural = _("forum seats")
        ordering = ["sector", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="members_forumseat_leaves_after_joining",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_sector_display()})"


class ForumMeeting(models.Model):
    """A meeting of the multistakeholder forum, with its agenda, minutes, attendance and
    decisions. Published on the forum page."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="forum_meetings")
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=250, validators=[validate_single_line])
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    attendance_government = models.PositiveSmallIntegerField(
        _("attendees from government"), default=0
    )
    attendance_civil_society = models.PositiveSmallIntegerField(
        _("attendees from civil society"), default=0
    )
    attendance_other = models.PositiveSmallIntegerField(_("other attendees"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forum meeting")
        verbose_name_plural = _("forum meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["member", "-held_on"])]

    def __str__(self):
        return f"{self.member}: {self.held_on} {self.title}"

    @property
    def attendance(self) -> int:
        return self.attendance_government + self.attendance_civil_society + self.attendance_other


class RepositoryDocument(models.Model):
    """A document of a member's co-creation process in its public repository: a link, or a
    PDF uploaded here."""

    class Kind(models.TextChoices):
        DRAFT = "draft", _("Draft of the action plan")
        MINUTES = "minutes", _("Minutes")
        EVIDENCE = "evidence", _("Evidence")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=250, validators=[validate_single_line])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    dated = models.DateField(_("date of the document"))
    url = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(
        _("PDF file"),
        upload_to=GeneratedName("repository/%Y/"),
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("repository document")
        verbose_name_plural = _("repository documents")
        ordering = ["-dated", "-pk"]
        indexes = [models.Index(fields=["member", "-added_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="members_document_link_or_file",
            )
        ]

    def __str__(self):
        return self.title
