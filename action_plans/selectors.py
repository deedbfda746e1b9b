"""Reads of action plans, already filtered to what the user may see."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Prefetch, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation.links import register_url
from participation.selectors import consultations_by_space, pending_input_count, pick_current

from . import contents, policies
from .models import ActionPlan, PdfExport, PlanTransition


@dataclass
class ChecklistItem:
    text: str
    done: bool
    url: str = ""


@dataclass
class SubmissionChecklist:
    items: list[ChecklistItem] = field(default_factory=list)

    @property
    def missing(self) -> list[ChecklistItem]:
        return [item for item in self.items if not item.done]

    @property
    def ready(self) -> bool:
        return not self.missing


def plan_submission_checklist(*, plan: ActionPlan, commitments=None) -> SubmissionChecklist:
    """What the plan still needs before it can be submitted: what its contents require (at
    least one commitment, every commitment complete in OGP's template with at least one
    milestone: `contents`), and a reasoned response to every input of its register (none
    pending). Pass the commitments when they are already listed (`plan_commitments` with
    `for_checklist`) to spare the query."""
    checklist = SubmissionChecklist(contents.provider().checklist(plan, commitments))
    checklist.items.append(_register_item(plan))
    return checklist


def _register_item(plan: ActionPlan) -> ChecklistItem:
    """OGP Standard 4: every input (comment or input received outside the platform) has its
    reasoned response before the plan goes to OGP. Links to the pending inputs."""
    pending = pending_input_count(plan)
    if not pending:
        return ChecklistItem(_("Every input has a reasoned response."), True)
    text = ngettext(
        "%(count)d input is still waiting for a reasoned response.",
        "%(count)d inputs are still waiting for a reasoned response.",
        pending,
    ) % {"count": pending}
    url = register_url(plan)
    return ChecklistItem(text, False, f"{url}?disposition=pending")


def plan_detail(*, user, identifier: str) -> ActionPlan | None:
    """The plan with its member and timeline, or None when it does not exist for this user."""
    plan = (
        ActionPlan.objects.select_related("member", "member__parent")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=PlanTransition.objects.select_related("actor"),
            )
        )
        .filter(identifier=identifier)
        .first()
    )
    if plan is None or not policies.can_view_plan(user, plan):
        return None
    return plan


def plan_timeline(plan: ActionPlan) -> list[dict]:
    """The stages of the cycle with the date each was reached (the latest time, if reopened),
    and withdrawal when it happened. Reads the prefetched transitions."""
    reached = {}
    for transition in plan.transitions.all():
        reached[transition.to_status] = transition
    stages = []
    current_index = ActionPlan.CYCLE.index(plan.status) if plan.status in ActionPlan.CYCLE else None
    for index, status in enumerate(ActionPlan.CYCLE):
        transition = reached.get(status)
        stages.append(
            {
                "status": status,
                "label": ActionPlan.Status(status).label,
                "transition": transition,
                "current": plan.status == status,
                "done": current_index is not None and index < current_index,
            }
        )
    if plan.status == ActionPlan.Status.WITHDRAWN:
        stages.append(
            {
                "status": plan.status,
                "label": plan.get_status_display(),
                "transition": reached.get(plan.status),
                "current": True,
                "done": False,
            }
        )
    return stages


def member_plans(*, user, member) -> list[ActionPlan]:
    """The member's plans the user may see, newest first, with their commitment counts."""
    return list(
        policies.plans_visible_to(user)
        .filter(member=member)
        .annotate(commitment_count=contents.provider().count())
        .order_by("-sequence")
    )


def plan_commitments(*, plan: ActionPlan, for_checklist: bool = False) -> list:
    """The plan's commitments in order, for its page (with all the submission checklist reads
    when `for_checklist`), as the app holding them lists them (`contents.PlanContents.listed`):
    plans know nothing of the commitments app."""
    return contents.provider().listed(plan, for_checklist=for_checklist)


# --- My work (ogp_platform/dashboard.py) ------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """The next date a plan's team works towards: what it is, when, and whether it passed."""

    label: str
    date: datetime.date
    overdue: bool = False


def plan_next_deadline(plan: ActionPlan, consultations, today: datetime.date) -> Deadline | None:
    """While a plan is being written, its submission deadline (or the close of its open
    consultation, when that comes first); in implementation, the end of the plan; none while
    OGP has it or once it left the cycle. `consultations`: the plan's, newest first."""
    Status = ActionPlan.Status
    if plan.status in (Status.DRAFT, Status.COCREATION):
        deadline = Deadline(
            _("Submission deadline"),
            plan.submission_deadline,
            overdue=plan.submission_deadline < today,
        )
        current = pick_current(consultations)
        if current is not None and current.is_open:
            closes = timezone.localdate(current.closes_at)
            if closes <= deadline.date:
                return Deadline(_("Consultation closes"), closes)
        return deadline
    if plan.status == Status.IMPLEMENTATION:
        return Deadline(_("End of implementation"), plan.end_date, overdue=plan.end_date < today)
    return None


def plans_of_members(*, members, limit: int) -> tuple[list[ActionPlan], int]:
    """The members' plans, those still in their cycle first, then the newest (at most `limit`,
    each with its member and `next_deadline`), and how many there are. Three queries."""
    plans = ActionPlan.objects.filter(member__in=members)
    count = plans.count()
    if not count:
        return [], 0
    finished = Case(
        When(status__in=[ActionPlan.Status.ENDED, ActionPlan.Status.WITHDRAWN], then=1),
        default=0,
        output_field=IntegerField(),
    )
    rows = list(
        plans.select_related("member")
        .annotate(finished=finished)
        .order_by("finished", "-start_date", "member__name", "-sequence")[:limit]
    )
    consultations = consultations_by_space(rows)
    today = timezone.localdate()
    for plan in rows:
        plan.next_deadline = plan_next_deadline(plan, consultations.get(plan.pk, []), today)
    return rows, count


def recent_pdf_exports(*, members, limit: int) -> tuple[list[PdfExport], int]:
    """The PDFs made of the members' plans (or of their commitments), latest first (at most
    `limit`, each with its plan), and how many there are."""
    exports = PdfExport.objects.filter(plan__member__in=members)
    count = exports.count()
    if not count:
        return [], 0
    rows = exports.select_related("plan").defer("html").order_by("-requested_at", "-pk")[:limit]
    return list(rows), count
