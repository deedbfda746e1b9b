"""Joint strategic plans: the bodies that plan together (institutions of any member: a ministry
and a city's department in one plan), their goals and objectives (linked to the OGP commitments
that carry them out), the actions the bodies propose, and the rounds in which each body
distributes its points over an objective's actions.

A plan runs as a co-production process (`coproduction.Process`), whose teams hold the people of
its bodies. A person acts for a body through an object permission on the body
(`joint_planning.act_for_body`, granted with `ogp_platform.roles`); the people of the lead and
co-owner bodies run the plan.

The budget of a round is kept by the database: each body's ballot holds its budget (copied from
the round when the ballot is made) and what it has spent, with a check constraint, and the
services change a ballot's allocations and its `spent` together under a lock of the ballot's
row, so two people of one body editing at once cannot spend more than the budget."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ogp_platform.members.models import Institution, Member
from ogp_platform.text import validate_single_line

TITLE_LENGTH = 250


class JointPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal to its bodies")

    name = models.CharField(_("name"), max_length=TITLE_LENGTH, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=TITLE_LENGTH + 20, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # The co-production process the plan runs as: its teams hold the bodies' people.
    process = models.OneToOneField(
        "coproduction.Process",
        on_delete=models.PROTECT,
        related_name="joint_plan",
        verbose_name=_("co-production process"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("joint strategic plan")
        verbose_name_plural = _("joint strategic plans")
        ordering = ["-starts_on", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="joint_planning_plan_period"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("joint_planning:plan", args=[self.slug])


class PlanBody(models.Model):
    """An institution taking part in a plan, with its role in it."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        CO_OWNER = "co_owner", _("Co-owner")
        CONTRIBUTOR = "contributor", _("Contributor")
        OBSERVER = "observer", _("Observer")

    class Level(models.TextChoices):
        CENTRAL = "central", _("Central")
        LOCAL = "local", _("Local")

    plan = models.ForeignKey(JointPlan, on_delete=models.CASCADE, related_name="bodies")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="joint_plan_bodies"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    # Central (a national member's institution) or local (an OGP Local member's), fixed when
    # the body joins: results are compared by level.
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    joined_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["joined_at"])

    class Meta:
        verbose_name = _("body of a joint plan")
        verbose_name_plural = _("bodies of a joint plan")
        ordering = ["plan", "pk"]
        permissions = [("act_for_body", "Act for the body in its joint plan")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "institution"], name="joint_planning_body_once_per_plan"
            ),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(role="lead"), name="joint_planning_one_lead"
            ),
        ]

    def __str__(self):
        return self.institution.name

    @staticmethod
    def level_of(institution: Institution) -> str:
        member_kind = institution.member.kind
        return (
            PlanBody.Level.CENTRAL if member_kind == Member.Kind.NATIONAL else PlanBody.Level.LOCAL
        )

    @property
    def runs_the_plan(self) -> bool:
        return self.role in (self.Role.LEAD, self.Role.CO_OWNER)


class Goal(models.Model):
    """A strategic goal of the plan, with the body that answers for it."""

    plan = models.ForeignKey(JointPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("title"), max_length=TITLE_LENGTH, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        PlanBody, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner body")
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        ordering = ["plan", "position", "pk"]

    def __str__(self):
        return self.title


class Objective(models.Model):
    """An objective under a goal, with its owner body and the OGP commitments (of any member's
    action plan) that carry it out."""

    plan = models.ForeignKey(JointPlan, on_delete=models.CASCADE, related_name="objectives")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("title"), max_length=TITLE_LENGTH, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        PlanBody, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner body")
    )
    commitments = models.ManyToManyField(
        "commitments.Commitment",
        related_name="joint_plan_objectives",
        blank=True,
        verbose_name=_("commitments"),
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[commitments])

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["goal", "position", "pk"]

    def __str__(self):
        return self.title


class Action(models.Model):
    """An action a body proposes under an objective. Its consolidation decision is the reasoned
    response to its entry in the plan's register (`input`, participation's machinery):
    consolidated into the plan, merged into another action, or rejected, each with a reason
    the proposing body reads."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        UNDER_REVIEW = "under_review", _("Under review")
        CONSOLIDATED = "consolidated", _("Consolidated into the plan")
        MERGED = "merged", _("Merged into another action")
        REJECTED = "rejected", _("Rejected")

    plan = models.ForeignKey(JointPlan, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=TITLE_LENGTH, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    expected_result = models.TextField(_("expected result"), blank=True)
    proposed_by = models.ForeignKey(
        PlanBody, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposing body")
    )
    lead = models.ForeignKey(
        PlanBody,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("lead body"),
    )
    contributors = models.ManyToManyField(
        PlanBody, related_name="+", blank=True, verbose_name=_("contributing bodies")
    )
    cost_estimate = models.DecimalField(
        _("cost estimate (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    # Kept among the plan's bodies: visitors do not see it.
    internal = models.BooleanField(_("internal"), default=False)
    # Its entry in the plan's register, which carries the decision and its reason.
    input = models.OneToOneField(
        "participation.Input",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="joint_plan_action",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["created_at"], m2m_fields=[contributors])

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["objective", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | ~Q(status="merged") & Q(merged_into__isnull=True),
                name="joint_planning_action_merged_into",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="joint_planning_action_time_frame",
            ),
            models.CheckConstraint(
                condition=Q(cost_estimate__isnull=True) | Q(cost_estimate__gte=0),
                name="joint_planning_action_cost",
            ),
        ]

    def __str__(self):
        return self.title


class Round(models.Model):
    """A prioritisation round on an objective's proposed actions: each body of the plan
    distributes `budget` points over them, or ranks them, until the round closes."""

    class Method(models.TextChoices):
        POINTS = "points", _("Distribute points")
        RANKING = "ranking", _("Rank the actions")

    plan = models.ForeignKey(JointPlan, on_delete=models.CASCADE, related_name="rounds")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(_("title"), max_length=TITLE_LENGTH, validators=[validate_single_line])
    method = models.CharField(
        _("method"), max_length=16, choices=Method.choices, default=Method.POINTS
    )
    budget = models.PositiveIntegerField(_("points per body"), default=100)
    actions = models.ManyToManyField(Action, related_name="rounds", verbose_name=_("actions"))
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    closes_at = models.DateTimeField(_("closes at"))
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["opened_at"])

    class Meta:
        verbose_name = _("prioritisation round")
        verbose_name_plural = _("prioritisation rounds")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=1) & Q(budget__lte=10000), name="joint_planning_budget"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and timezone.now() < self.closes_at


class Ballot(models.Model):
    """One body's allocation in a round: its budget (the round's, copied when the ballot is
    made) and what it has spent. The check constraint keeps `spent` within the budget; the
    services keep `spent` equal to the sum of the ballot's points, under a lock of this row."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ballots")
    body = models.ForeignKey(PlanBody, on_delete=models.CASCADE, related_name="ballots")
    budget = models.PositiveIntegerField(_("budget"))
    spent = models.PositiveIntegerField(_("points given"), default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["round", "body"], name="joint_planning_one_ballot"),
            models.CheckConstraint(
                condition=Q(spent__lte=F("budget")), name="joint_planning_within_budget"
            ),
        ]

    def __str__(self):
        return f"{self.body} in {self.round}: {self.spent}/{self.budget}"


class Allocation(models.Model):
    """The points (or the rank) a body gives one action of a round."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="allocations")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="allocations")
    points = models.PositiveIntegerField(_("points"), default=0)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "action"], name="joint_planning_allocation_once"
            ),
            models.UniqueConstraint(
                fields=["ballot", "rank"],
                condition=Q(rank__isnull=False),
                name="joint_planning_rank_once",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1), name="joint_planning_rank"
            ),
        ]

    def __str__(self):
        return f"{self.action}: {self.points}"
