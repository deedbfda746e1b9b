"""Every write to commitments, milestones, progress reports and assessments.

Each function runs in one transaction, checks the policy (PermissionDenied) and the rules
(ValidationError keyed by the field to fix, so forms show it next to that field), and saves a
history row attributed to the actor. What was saved before a refused change stays as it was.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from action_plans.models import ActionPlan
from ogp_platform import pagecache
from ogp_platform.services import require

from . import policies
from .models import (
    CORE_VALUES,
    Assessment,
    Commitment,
    CommitmentNumbering,
    Completion,
    DatePrecision,
    Evidence,
    Milestone,
    OgpValue,
    ProgressReport,
)

TEXT_FIELDS = (
    "title",
    "short_title",
    "problem",
    "status_quo",
    "description",
    "contribution",
    "values_relevance",
)
SCALAR_FIELDS = (
    *TEXT_FIELDS,
    "lead_institution",
    "start_date",
    "end_date",
    "budget",
    "budget_currency",
    "status",
)
M2M_FIELDS = ("policy_areas", "supporting_institutions", "partner_organisations")
MILESTONE_FIELDS = ("title", "expected_output", "responsible_institution", "start_date", "end_date")


def _lock_plan(commitment: Commitment) -> Commitment:
    """Lock the commitment's plan row and re-read its state, so that a change cannot slip in
    while the plan is being submitted (the lifecycle services take the same lock)."""
    commitment.plan = (
        ActionPlan.objects.select_for_update().select_related("member").get(pk=commitment.plan_id)
    )
    return commitment


def _date(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _check_period(errors: dict, start, end, *, parent_start, parent_end, parent_label) -> None:
    """Dates must be in order and inside the parent's period (the plan's or the commitment's)."""
    if start and end and end < start:
        errors.setdefault("end_date", []).append(
            _("The end date must not be before the start date.")
        )
    for name, value in (("start_date", start), ("end_date", end)):
        if value and parent_start and parent_end and not parent_start <= value <= parent_end:
            errors.setdefault(name, []).append(
                _("Choose a date inside %(parent)s, from %(start)s to %(end)s.")
                % {"parent": parent_label, "start": _date(parent_start), "end": _date(parent_end)}
            )


def _check_institution(errors: dict, name: str, institution, member) -> None:
    if institution is not None and institution.member_id != member.pk:
        errors.setdefault(name, []).append(
            _("Choose an institution of %(member)s.") % {"member": member.localised_name}
        )


def validate_values(values) -> None:
    """Technology and innovation must serve a core value: access to information, civic
    participation or public accountability."""
    values = set(values)
    if values and not values & set(CORE_VALUES):
        raise ValidationError(
            {
                "values": _(
                    "Technology and innovation cannot stand alone: tick at least one of access "
                    "to information, civic participation or public accountability."
                )
            }
        )


def _validate(commitment: Commitment, plan: ActionPlan, m2m: dict) -> None:
    errors: dict[str, list] = {}
    if not commitment.title.strip():
        errors["title"] = [_("Give the commitment a title.")]
    _check_period(
        errors,
        commitment.start_date,
        commitment.end_date,
        parent_start=plan.start_date,
        parent_end=plan.end_date,
        parent_label=_("the plan's period"),
    )
    _check_institution(errors, "lead_institution", commitment.lead_institution, plan.member)
    for institution in m2m.get("supporting_institutions") or ():
        _check_institution(errors, "supporting_institutions", institution, plan.member)
    if commitment.budget is not None and not commitment.budget_currency:
        errors["budget_currency"] = [_("Give the currency of the budget, e.g. EUR.")]
    if commitment.budget_currency and not (
        len(commitment.budget_currency) == 3 and commitment.budget_currency.isalpha()
    ):
        errors.setdefault("budget_currency", []).append(
            _("A currency is three letters (ISO 4217), e.g. EUR.")
        )
    try:
        validate_values(commitment.values)
    except ValidationError as error:
        errors.update(error.message_dict)
    if commitment.pk and (commitment.start_date or commitment.end_date):
        start = commitment.start_date or plan.start_date
        end = commitment.end_date or plan.end_date
        outside = commitment.milestones.filter(Q(start_date__lt=start) | Q(end_date__gt=end))
        titles = sorted({m.title for m in outside})
        if titles:
            errors.setdefault("end_date", []).append(
                _(
                    "These milestones would fall outside the new dates: %(titles)s. "
                    "Change them first."
                )
                % {"titles": "; ".join(titles)}
            )
    if errors:
        raise ValidationError(errors)


def _search_document(commitment: Commitment) -> str:
    return "\n".join([commitment.identifier, *(getattr(commitment, name) for name in TEXT_FIELDS)])


def _record_m2m(commitment: Commitment, m2m: dict) -> None:
    """Write the chosen policy areas, institutions and organisations into their text records
    (one name a line, sorted), so each change is a version in the commitment's history."""
    for name, values in m2m.items():
        labels = sorted(str(getattr(value, "label", value)) for value in values)
        setattr(commitment, f"{name}_record", "\n".join(labels))


def _apply(commitment: Commitment, fields: dict) -> dict:
    """Set scalar fields and values on the instance; return the many-to-many ones."""
    m2m = {}
    for name, value in fields.items():
        if name == "values":
            for ogp_value in OgpValue:
                setattr(commitment, f"value_{ogp_value}", ogp_value in set(value))
        elif name in M2M_FIELDS:
            m2m[name] = list(value)
        elif name in SCALAR_FIELDS:
            if name == "budget_currency":
                value = (value or "").upper()
            if isinstance(value, str) and name != "budget_currency":
                value = value.strip()
            if name in ("start_date", "end_date") and getattr(commitment, name) != value:
                # A date typed in the form is a whole date (imported ones may be a month).
                setattr(commitment, f"{name}_precision", DatePrecision.DAY)
            setattr(commitment, name, value)
        else:
            raise TypeError(f"A commitment has no editable field {name!r}")
    return m2m


def _next_number(member) -> int:
    numbering, _created = CommitmentNumbering.objects.get_or_create(member=member)
    numbering = CommitmentNumbering.objects.select_for_update().get(pk=numbering.pk)
    # Imported commitments may already use higher numbers: never hand one out twice. OGP's data
    # may also file an id under another member than its prefix says (an imported EE0004 of
    # Latvia): the ids under the member's prefix count too, whoever holds them.
    prefix = member.commitment_prefix
    taken = Commitment.objects.filter(
        Q(plan__member=member)
        | Q(identifier__startswith=prefix, identifier__regex=rf"^{re.escape(prefix)}[0-9]+$")
    ).aggregate(last=Max("number"))["last"]
    numbering.last_number = max(numbering.last_number, taken or 0) + 1
    numbering.save(update_fields=["last_number"])
    return numbering.last_number


@transaction.atomic
def commitment_create(*, actor, plan: ActionPlan, **fields) -> Commitment:
    """Add a commitment to a plan being written. It takes the member's next number, e.g. LV0048;
    numbers are never reused."""
    plan = ActionPlan.objects.select_for_update().select_related("member").get(pk=plan.pk)
    require(policies.can_add_commitment(actor, plan))
    commitment = Commitment(plan=plan)
    m2m = _apply(commitment, fields)
    _validate(commitment, plan, m2m)
    commitment.number = _next_number(plan.member)
    commitment.identifier = f"{plan.member.commitment_prefix}{commitment.number:04d}"
    commitment.position = (plan.commitments.aggregate(last=Max("position"))["last"] or 0) + 1
    commitment.search_document = _search_document(commitment)
    _record_m2m(commitment, m2m)
    commitment._history_user = actor
    try:
        with transaction.atomic():
            commitment.save()
    except IntegrityError as error:
        raise ValidationError(
            _("The commitment id %(id)s is already taken; try again.")
            % {"id": commitment.identifier}
        ) from error
    for name, values in m2m.items():
        getattr(commitment, name).set(values)
    _touch(plan)
    return commitment


@transaction.atomic
def commitment_update(*, actor, commitment: Commitment, **fields) -> Commitment:
    """Change a commitment of a plan being written. Only the fields given change."""
    require(policies.can_edit_commitment(actor, _lock_plan(commitment)))
    m2m = _apply(commitment, fields)
    _validate(commitment, commitment.plan, m2m)
    commitment.search_document = _search_document(commitment)
    _record_m2m(commitment, m2m)
    commitment.updated_at = timezone.now()
    commitment._history_user = actor
    commitment.save()
    for name, values in m2m.items():
        getattr(commitment, name).set(values)
    _touch(commitment.plan)
    return commitment


@transaction.atomic
def commitment_delete(*, actor, commitment: Commitment) -> None:
    """Remove a commitment (and its milestones) from a plan being written. Its number is not
    reused; the history keeps the removed versions."""
    require(policies.can_edit_commitment(actor, _lock_plan(commitment)))
    plan = commitment.plan
    for milestone in commitment.milestones.all():
        milestone._history_user = actor
        milestone.delete()
    commitment._history_user = actor
    commitment.delete()
    _touch(plan)


def _swap(items: list, item, direction: str) -> list:
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down"):
        raise ValueError(direction)
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return items


def _renumber(model, items: list) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position
    model.objects.bulk_update(items, ["position"])


@transaction.atomic
def commitment_move(*, actor, commitment: Commitment, direction: str) -> None:
    """Move a commitment one place up or down in its plan."""
    require(policies.can_edit_commitment(actor, _lock_plan(commitment)))
    plan = commitment.plan
    items = list(plan.commitments.order_by("position", "number"))
    _renumber(Commitment, _swap(items, commitment, direction))
    _touch(plan)


def _touch(plan: ActionPlan) -> None:
    """The plan changed (its commitments did): cached exports and pages key on this."""
    ActionPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    pagecache.objects_changed(plan)


# --- Milestones ----------------------------------------------------------------------------


def _validate_milestone(milestone: Milestone, commitment: Commitment) -> None:
    errors: dict[str, list] = {}
    if not milestone.title.strip():
        errors["title"] = [_("Give the milestone a title.")]
    plan = commitment.plan
    if commitment.start_date and commitment.end_date:
        parent = (commitment.start_date, commitment.end_date, _("the commitment's period"))
    else:
        parent = (plan.start_date, plan.end_date, _("the plan's period"))
    _check_period(
        errors,
        milestone.start_date,
        milestone.end_date,
        parent_start=parent[0],
        parent_end=parent[1],
        parent_label=parent[2],
    )
    _check_institution(
        errors, "responsible_institution", milestone.responsible_institution, plan.member
    )
    if errors:
        raise ValidationError(errors)


def _apply_milestone(milestone: Milestone, fields: dict) -> None:
    for name, value in fields.items():
        if name not in MILESTONE_FIELDS:
            raise TypeError(f"A milestone has no editable field {name!r}")
        setattr(milestone, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def milestone_create(*, actor, commitment: Commitment, **fields) -> Milestone:
    require(policies.can_edit_commitment(actor, _lock_plan(commitment)))
    milestone = Milestone(commitment=commitment)
    _apply_milestone(milestone, fields)
    _validate_milestone(milestone, commitment)
    milestone.position = (commitment.milestones.aggregate(last=Max("position"))["last"] or 0) + 1
    milestone._history_user = actor
    milestone.save()
    _touch(commitment.plan)
    return milestone


@transaction.atomic
def milestone_update(*, actor, milestone: Milestone, **fields) -> Milestone:
    require(policies.can_edit_commitment(actor, _lock_plan(milestone.commitment)))
    _apply_milestone(milestone, fields)
    _validate_milestone(milestone, milestone.commitment)
    milestone._history_user = actor
    milestone.save()
    _touch(milestone.commitment.plan)
    return milestone


@transaction.atomic
def milestone_delete(*, actor, milestone: Milestone) -> None:
    require(policies.can_edit_commitment(actor, _lock_plan(milestone.commitment)))
    plan = milestone.commitment.plan
    milestone._history_user = actor
    milestone.delete()
    _touch(plan)


@transaction.atomic
def milestone_move(*, actor, milestone: Milestone, direction: str) -> None:
    """Move a milestone one place up or down in its commitment."""
    commitment = milestone.commitment
    require(policies.can_edit_commitment(actor, _lock_plan(commitment)))
    items = list(commitment.milestones.order_by("position", "pk"))
    _renumber(Milestone, _swap(items, milestone, direction))
    _touch(commitment.plan)


# --- Progress and assessment ---------------------------------------------------------------


@transaction.atomic
def progress_report_create(
    *,
    actor,
    commitment: Commitment,
    level: str,
    narrative: str,
    milestone: Milestone | None = None,
    evidence: list[dict] = (),
) -> ProgressReport:
    """Report progress on a commitment or one of its milestones, with evidence (each a dict with
    a title and either a url or a file). The reported level becomes the current completion of
    what was reported on."""
    require(policies.can_report_progress(actor, _lock_plan(commitment)))
    errors = {}
    if milestone is not None and milestone.commitment_id != commitment.pk:
        errors["milestone"] = [_("Choose a milestone of this commitment.")]
    if level not in Completion.values:
        errors["level"] = [_("Choose a completion level.")]
    if not narrative.strip():
        errors["narrative"] = [_("Say what happened.")]
    if errors:
        raise ValidationError(errors)
    report = ProgressReport.objects.create(
        commitment=commitment,
        milestone=milestone,
        level=level,
        narrative=narrative.strip(),
        reported_by=actor,
    )
    for item in evidence:
        piece = Evidence(
            report=report, title=item["title"], url=item.get("url", ""), file=item.get("file")
        )
        piece.full_clean(exclude=["report"])
        piece.save()
    target = milestone or commitment
    target.completion = level
    target._history_user = actor
    target.save(update_fields=["completion"])
    _touch(commitment.plan)
    return report


ASSESSMENT_FIELDS = (
    "verifiable",
    "specificity",
    "relevant",
    "potential_impact",
    "potential_for_results",
    "completion_midterm",
    "completion_end",
    "opened_government",
    "early_results",
)


@transaction.atomic
def assessment_save(*, actor, commitment: Commitment, **fields) -> Assessment:
    """Enter or change the IRM's assessment of a commitment. Judgements left empty stay unknown."""
    require(policies.can_assess(actor, commitment))
    unknown = set(fields) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"An assessment has no field {sorted(unknown)}")
    assessment = Assessment.objects.filter(commitment=commitment).first() or Assessment(
        commitment=commitment
    )
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.assessed_by = actor
    assessment.assessed_at = timezone.now()
    assessment._history_user = actor
    assessment.full_clean(exclude=["commitment", "assessed_by"])
    assessment.save()
    return assessment
