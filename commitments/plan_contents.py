"""A plan's commitments, as action_plans asks for them (`action_plans.contents`): registered in
`CommitmentsConfig.ready()`. Plans know nothing of this app; everything they show or check of
their commitments is read here."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from action_plans.contents import History, PlanContents
from action_plans.selectors import ChecklistItem

from .models import Commitment, Milestone

# What the plan page's list does not show of a commitment: its long template sections.
LIST_DEFERRED = (
    "problem",
    "status_quo",
    "description",
    "contribution",
    "values_relevance",
    "search_document",
)


class CommitmentsOfPlans(PlanContents):
    """Read through the plan's reverse relation (`plan.commitments`), so that each commitment
    knows its plan without a query."""

    def listed(self, plan, *, for_checklist: bool = False) -> list:
        """The plan's commitments in order, each with its lead institution, policy areas and
        `milestone_count`. The submission checklist (`for_checklist`) also needs every section
        and the milestones (with their responsible institutions); the list alone does not,
        and a plan of 60 commitments is much lighter to read without them."""
        commitments = plan.commitments.select_related("lead_institution").prefetch_related(
            "policy_areas"
        )
        if for_checklist:
            commitments = commitments.prefetch_related("milestones__responsible_institution")
        else:
            commitments = commitments.defer(*LIST_DEFERRED)
        return list(
            commitments.annotate(milestone_count=Count("milestones")).order_by("position", "number")
        )

    def checklist(self, plan, items=None) -> list[ChecklistItem]:
        """At least one commitment, and every commitment not withdrawn complete in OGP's
        template with at least one milestone."""
        if items is None:
            commitments = list(
                plan.commitments.exclude(status=Commitment.Status.WITHDRAWN).annotate(
                    milestone_count=Count("milestones")
                )
            )
        else:
            commitments = [c for c in items if c.status != Commitment.Status.WITHDRAWN]
        lines = [ChecklistItem(_("The plan has at least one commitment."), bool(commitments))]
        for commitment in commitments:
            missing = commitment.missing_for_submission()
            if not commitment.milestone_count:
                missing.append(_("at least one milestone"))
            if missing:
                text = _("%(id)s “%(title)s” needs: %(missing)s.") % {
                    "id": commitment.identifier,
                    "title": commitment.display_title,
                    "missing": ", ".join(missing),
                }
            else:
                text = _("%(id)s “%(title)s” is complete.") % {
                    "id": commitment.identifier,
                    "title": commitment.display_title,
                }
            lines.append(ChecklistItem(text, not missing, commitment.get_absolute_url()))
        return lines

    def document(self, plan, *, identifier: str = "") -> list:
        commitments = (
            plan.commitments.select_related("lead_institution")
            .prefetch_related(
                "policy_areas",
                "supporting_institutions",
                "partner_organisations",
                Prefetch(
                    "milestones",
                    queryset=Milestone.objects.select_related("responsible_institution").order_by(
                        "position", "pk"
                    ),
                ),
            )
            .order_by("position", "number")
        )
        if identifier:
            commitments = commitments.filter(identifier=identifier)
        return list(commitments)

    def find(self, identifier: str):
        return Commitment.objects.filter(identifier=identifier).first()

    def history(self, plan) -> History:
        """Every commitment the plan ever had, from its latest historical version, so that
        removed commitments keep a link to their history."""
        history = Commitment.history
        latest = (
            history.filter(plan_id=plan.pk)
            .values("id")
            .annotate(last=Max("history_id"))
            .values("last")
        )
        records = history.filter(history_id__in=latest).order_by("identifier")
        return History(
            title=_("Commitments of this plan"),
            intro=_(
                "Each commitment keeps its own history, including commitments that were removed "
                "from the draft."
            ),
            items=[
                {
                    "identifier": record.identifier,
                    "title": record.short_title or record.title,
                    "removed": record.history_type == "-",
                    "changes_url": reverse("commitments:changes", args=[record.identifier]),
                }
                for record in records.only("identifier", "title", "short_title", "history_type")
            ],
        )

    def check_period(self, plan, start_date, end_date) -> None:
        """Shrinking a plan must not leave its commitments' dates outside it."""
        outside = plan.commitments.filter(Q(start_date__lt=start_date) | Q(end_date__gt=end_date))
        ids = list(outside.order_by("identifier").values_list("identifier", flat=True))
        if ids:
            raise ValidationError(
                _(
                    "These commitments have dates outside the new period: %(ids)s. Change their "
                    "dates first, or choose a period that includes them."
                )
                % {"ids": ", ".join(ids)}
            )

    def takeable(self, plan):
        """The plan's commitments, in order."""
        return plan.commitments.order_by("position", "number")

    def count(self):
        return Count("commitments")
