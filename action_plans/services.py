"""Every write to action plans. Each lifecycle transition is one function: it locks the plan,
checks the policy and the rules, records the step on the timeline, and saves a history row
attributed to the actor. Rule violations raise ValidationError with a message that says what to
fix; policy violations raise PermissionDenied."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ogp_platform.members.models import ContraryToProcess, Member
from ogp_platform.services import require
from participation.services.consultations import consultations_end_for_space

from . import contents, policies, selectors
from .models import (
    COUNTRY_LANGUAGES,
    PLAN_LENGTHS_IN_MONTHS,
    ActionPlan,
    PlanTransition,
    default_submission_deadline,
    months_between,
)

Status = ActionPlan.Status
# Members in these states may start new plans.
DRAFTING_MEMBER_STATUSES = (Member.Status.ACTIVE, Member.Status.UNDER_REVIEW)


def _save(plan: ActionPlan, actor, fields: list[str]) -> None:
    plan.updated_at = timezone.now()
    plan._history_user = actor
    plan.save(update_fields=[*fields, "updated_at"])


def _locked(plan: ActionPlan) -> ActionPlan:
    """Re-read the plan under a row lock, so two people cannot move it at once."""
    return ActionPlan.objects.select_for_update().select_related("member").get(pk=plan.pk)


def _move(plan: ActionPlan, actor, to_status: str, *, reason: str = "", fields=()) -> None:
    if plan.status == Status.COCREATION and to_status != Status.COCREATION:
        # Co-creation is over: its consultations end with it.
        consultations_end_for_space(actor=actor, space=plan)
    transition = PlanTransition(
        plan=plan, from_status=plan.status, to_status=to_status, reason=reason, actor=actor
    )
    plan.status = to_status
    _save(plan, actor, ["status", *fields])
    transition.save()


def validate_period(start_date: datetime.date, end_date: datetime.date) -> None:
    """A plan runs two or four years, with at least 20 months of implementation."""
    if end_date <= start_date:
        raise ValidationError({"end_date": _("The end date must be after the start date.")})
    months = months_between(start_date, end_date)
    if not any(low <= months <= high for low, high in PLAN_LENGTHS_IN_MONTHS):
        raise ValidationError(
            {
                "end_date": _(
                    "An action plan runs for two or four years, with at least 20 months of "
                    "implementation: this one runs %(months)s months. Choose an end date 20 to "
                    "24 months, or 44 to 48 months, after the start date."
                )
                % {"months": months}
            }
        )


@transaction.atomic
def action_plan_create(
    *,
    actor,
    member: Member,
    title: str,
    start_date: datetime.date,
    end_date: datetime.date,
    introduction: str = "",
    submission_deadline: datetime.date | None = None,
    language: str | None = None,
) -> ActionPlan:
    """Start a draft plan for the member. Its id follows OGP's form: AP_ + the member's alpha-3
    code (or local code) + the plan's two-digit number."""
    require(policies.can_create_plan(actor, member))
    if member.status not in DRAFTING_MEMBER_STATUSES:
        raise ValidationError(
            _("%(member)s is “%(status)s”: only active members start new action plans.")
            % {"member": member.localised_name, "status": member.get_status_display()}
        )
    validate_period(start_date, end_date)
    # Lock the member row so that two drafts started at once get different numbers.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    sequence = (member.action_plans.aggregate(last=Max("sequence"))["last"] or 0) + 1
    plan = ActionPlan(
        member=member,
        sequence=sequence,
        identifier=f"AP_{member.plan_prefix}{sequence:02d}",
        title=title,
        introduction=introduction,
        language=COUNTRY_LANGUAGES.get(member.country, "") if language is None else language,
        start_date=start_date,
        end_date=end_date,
        submission_deadline=submission_deadline or default_submission_deadline(start_date),
        created_by=actor,
    )
    plan._history_user = actor
    plan.save()
    PlanTransition.objects.create(plan=plan, to_status=Status.DRAFT, actor=actor)
    return plan


@transaction.atomic
def action_plan_update(*, actor, plan: ActionPlan, **fields) -> ActionPlan:
    """Change the title, introduction or period of a plan that is being written."""
    plan = _locked(plan)
    require(policies.can_edit_plan(actor, plan))
    allowed = {"title", "introduction", "language", "start_date", "end_date"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"action_plan_update cannot change {sorted(unknown)}")
    start = fields.get("start_date", plan.start_date)
    end = fields.get("end_date", plan.end_date)
    if "start_date" in fields or "end_date" in fields:
        validate_period(start, end)
        # Shrinking a plan must not leave its commitments' dates outside it.
        contents.provider().check_period(plan, start, end)
    for name, value in fields.items():
        setattr(plan, name, value)
    if fields:
        _save(plan, actor, list(fields))
    return plan


@transaction.atomic
def action_plan_set_deadline(
    *, actor, plan: ActionPlan, submission_deadline: datetime.date
) -> ActionPlan:
    """OGP admins move a plan's submission deadline."""
    plan = _locked(plan)
    require(policies.can_change_deadline(actor, plan))
    plan.submission_deadline = submission_deadline
    _save(plan, actor, ["submission_deadline"])
    return plan


@transaction.atomic
def action_plan_open_cocreation(*, actor, plan: ActionPlan) -> ActionPlan:
    """Publish the draft: from now on everyone reads it, and civil society co-creates it."""
    plan = _locked(plan)
    require(policies.can_open_cocreation(actor, plan))
    plan.published_at = plan.published_at or timezone.now()
    _move(plan, actor, Status.COCREATION, fields=["published_at"])
    return plan


@transaction.atomic
def action_plan_submit(*, actor, plan: ActionPlan, today: datetime.date | None = None):
    """Submit the co-created plan to OGP. Refused without a commitment, or while a commitment
    misses a required section. After the deadline the plan is marked late; from 1 January after
    the deadline's year the member is also recorded as acting contrary to process. A plan
    submitted again after a reopening keeps its first submission date and lateness."""
    plan = _locked(plan)
    require(policies.can_submit(actor, plan))
    checklist = selectors.plan_submission_checklist(plan=plan)
    if not checklist.ready:
        raise ValidationError(
            [_("The plan cannot be submitted yet:")] + [item.text for item in checklist.missing]
        )
    today = today or timezone.localdate()
    if plan.submitted_on is not None:
        # Submitted again after an OGP admin reopened it: the plan was delivered on its first
        # submission date, which alone decides whether it was late.
        _move(plan, actor, Status.SUBMITTED)
        return plan
    plan.submitted_on = today
    plan.is_late = today > plan.submission_deadline
    _move(plan, actor, Status.SUBMITTED, fields=["submitted_on", "is_late"])
    if today >= datetime.date(plan.submission_deadline.year + 1, 1, 1):
        ContraryToProcess.objects.create(
            member=plan.member,
            plan_identifier=plan.identifier,
            recorded_by=actor,
            reason=_(
                "Action plan %(plan)s was submitted on %(submitted)s, after 1 January following "
                "its deadline of %(deadline)s."
            )
            % {
                "plan": plan.identifier,
                "submitted": today.isoformat(),
                "deadline": plan.submission_deadline.isoformat(),
            },
        )
    return plan


@transaction.atomic
def action_plan_start_implementation(*, actor, plan: ActionPlan) -> ActionPlan:
    plan = _locked(plan)
    require(policies.can_start_implementation(actor, plan))
    _move(plan, actor, Status.IMPLEMENTATION)
    return plan


@transaction.atomic
def action_plan_end(*, actor, plan: ActionPlan) -> ActionPlan:
    """Close the implementation period: the plan is then assessed and archived."""
    plan = _locked(plan)
    require(policies.can_end(actor, plan))
    _move(plan, actor, Status.ENDED)
    return plan


@transaction.atomic
def action_plan_withdraw(*, actor, plan: ActionPlan, reason: str) -> ActionPlan:
    plan = _locked(plan)
    require(policies.can_withdraw(actor, plan))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the plan is withdrawn.")})
    _move(plan, actor, Status.WITHDRAWN, reason=reason.strip())
    return plan


@transaction.atomic
def action_plan_reopen(*, actor, plan: ActionPlan, reason: str) -> ActionPlan:
    """An OGP admin sends a submitted plan back to co-creation so its team can change it."""
    plan = _locked(plan)
    require(policies.can_reopen(actor, plan))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the plan is reopened.")})
    plan.published_at = plan.published_at or timezone.now()
    _move(plan, actor, Status.COCREATION, reason=reason.strip(), fields=["published_at"])
    return plan


TRANSITIONS = {
    "open_cocreation": action_plan_open_cocreation,
    "submit": action_plan_submit,
    "start_implementation": action_plan_start_implementation,
    "end": action_plan_end,
    "withdraw": action_plan_withdraw,
    "reopen": action_plan_reopen,
}


# --- Bulk writes of another system's plans (the IRM importer) ---------------------------------

# Rows written in one INSERT by the bulk writes.
BULK_BATCH = 500


@transaction.atomic
def action_plans_import(
    *, actor, plans: list[ActionPlan], reason: str, at: datetime.datetime
) -> list[ActionPlan]:
    """Save plans whose every field another system decided (the IRM's dataset: published,
    past their submission), in bulk: each with its first history row and the first step on
    its timeline, to its status, with `reason`, by `actor` at `at`. No policy is checked:
    the caller is an import its own permission allows. Bypasses model signals: the caller
    refreshes the page cache. Returns the plans saved, with their ids."""
    saved = bulk_create_with_history(plans, ActionPlan, batch_size=BULK_BATCH, default_user=actor)
    by_identifier = {plan.identifier: plan for plan in saved}
    PlanTransition.objects.bulk_create(
        [
            PlanTransition(
                plan=by_identifier[plan.identifier],
                to_status=plan.status,
                reason=reason,
                actor=actor,
                created_at=at,
            )
            for plan in plans
        ],
        batch_size=BULK_BATCH,
    )
    return saved


def action_plans_touch(*, plan_ids, at: datetime.datetime) -> None:
    """Mark the plans changed at `at` (what they hold changed, in bulk): their cached PDFs and
    exports key on it. One UPDATE; no history row, no signal (the caller refreshes the page
    cache)."""
    ActionPlan.objects.filter(pk__in=plan_ids).update(updated_at=at)
