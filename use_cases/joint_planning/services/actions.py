"""The actions the bodies of a joint plan propose under its objectives, and their consolidation.

An action moves proposed → under review → consolidated into the plan, merged into another
action of its objective, or rejected. Each proposal enters the plan's reasoned-response
register (participation's machinery, reused): its entry (`Action.input`) is a written
submission in the proposing body's name, and the decision is that entry's reasoned response
(consolidated → accepted, merged → merged into the other action's entry, rejected → not
accepted), given in the same transaction as the status, so the proposing body reads why its
proposal went where it went. A decision may be changed, by those who run the plan, with a new
reason; the histories of the action and of its entry keep every one.

Each function runs in one transaction, checks the policy (PermissionDenied) and the rules
(ValidationError keyed by the field to fix), and saves history rows attributed to the actor.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ogp_platform.services import require
from participation.models import Input
from participation.services.register import input_respond, input_submit

from .. import policies
from ..models import Action, Objective, PlanBody

OPEN = (Action.Status.PROPOSED, Action.Status.UNDER_REVIEW)
DECIDED = (Action.Status.CONSOLIDATED, Action.Status.MERGED, Action.Status.REJECTED)
DISPOSITION = {
    Action.Status.CONSOLIDATED: Input.Disposition.ACCEPTED,
    Action.Status.MERGED: Input.Disposition.MERGED,
    Action.Status.REJECTED: Input.Disposition.NOT_ACCEPTED,
}
EDITABLE = (
    "title",
    "description",
    "expected_result",
    "lead",
    "contributors",
    "cost_estimate",
    "starts_on",
    "ends_on",
    "internal",
)


def _clean(plan_id: int, values: dict, errors: dict) -> dict:
    """The action's fields given in `values`, cleaned; what is wrong goes into `errors`."""
    from .plans import _clean_title

    cleaned = dict(values)
    if "title" in values:
        _clean_title(cleaned, errors, "title", _("Give the action a title."))
    for name in ("description", "expected_result"):
        if name in values:
            cleaned[name] = (values[name] or "").strip()
    if "lead" in values and values["lead"] is not None and values["lead"].plan_id != plan_id:
        errors["lead"] = [_("Choose a body of this plan.")]
    if "contributors" in values:
        contributors = list(dict.fromkeys(values["contributors"] or ()))
        if any(body.plan_id != plan_id for body in contributors):
            errors["contributors"] = [_("Choose bodies of this plan.")]
        cleaned["contributors"] = contributors
    if "cost_estimate" in values and values["cost_estimate"] not in (None, ""):
        try:
            cost = Decimal(str(values["cost_estimate"]))
        except InvalidOperation:
            cost = None
        if cost is None or not cost.is_finite() or cost < 0:
            errors["cost_estimate"] = [_("Give the cost as an amount in euros, zero or more.")]
        else:
            cleaned["cost_estimate"] = cost.quantize(Decimal("0.01"))
    elif "cost_estimate" in values:
        cleaned["cost_estimate"] = None
    return cleaned


def _check_time_frame(starts_on: datetime.date | None, ends_on, errors: dict) -> None:
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The action cannot end before it starts.")]


def _register_text(action: Action) -> str:
    """What the action's entry in the plan's register says."""
    parts = [
        _("Proposed action under the objective “%(objective)s”: %(title)s")
        % {"objective": action.objective.title, "title": action.title}
    ]
    if action.description:
        parts.append(action.description)
    if action.expected_result:
        parts.append(_("Expected result: %(result)s") % {"result": action.expected_result})
    return "\n\n".join(parts)


@transaction.atomic
def action_propose(
    *,
    actor,
    objective: Objective,
    proposed_by: PlanBody,
    title: str,
    description: str = "",
    expected_result: str = "",
    lead: PlanBody | None = None,
    contributors=(),
    cost_estimate=None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    internal: bool = False,
) -> Action:
    """A body of the plan proposes an action under the objective, and the proposal enters the
    plan's register in the body's name. The actor acts for `proposed_by`, a participating body
    (not an observer) of the objective's plan."""
    plan = objective.plan
    if proposed_by.plan_id != plan.pk:
        raise ValidationError({"proposed_by": _("Choose a body of this plan.")})
    require(policies.can_act_for(actor, proposed_by))
    errors: dict[str, list] = {}
    cleaned = _clean(
        plan.pk,
        {
            "title": title,
            "description": description,
            "expected_result": expected_result,
            "lead": lead,
            "contributors": contributors,
            "cost_estimate": cost_estimate,
        },
        errors,
    )
    _check_time_frame(starts_on, ends_on, errors)
    if errors:
        raise ValidationError(errors)
    contributors = cleaned.pop("contributors")
    action = Action(
        plan=plan,
        objective=objective,
        proposed_by=proposed_by,
        starts_on=starts_on,
        ends_on=ends_on,
        internal=bool(internal),
        created_by=actor,
        **cleaned,
    )
    action._history_user = actor
    action.save()
    if contributors:
        action.contributors.set(contributors)
    action.input = input_submit(
        actor=actor,
        space=plan,
        text=_register_text(action),
        organisation_name=proposed_by.institution.name,
    )
    action.save(update_fields=["input"])
    return action


def can_update_action(user, action: Action) -> bool:
    """The proposing body's people while the action is proposed; those who run the plan until
    it is decided."""
    if action.status == Action.Status.PROPOSED and policies.can_act_for(user, action.proposed_by):
        return True
    return action.status in OPEN and policies.runs_plan(user, action.plan)


@transaction.atomic
def action_update(*, actor, action: Action, **fields) -> Action:
    """Change the action's details (only those given) before it is decided."""
    action = Action.objects.select_for_update(of=("self",)).select_related("plan").get(pk=action.pk)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"An action has no editable field {sorted(unknown)!r}")
    require(can_update_action(actor, action))
    errors: dict[str, list] = {}
    cleaned = _clean(action.plan_id, fields, errors)
    _check_time_frame(
        cleaned.get("starts_on", action.starts_on), cleaned.get("ends_on", action.ends_on), errors
    )
    if errors:
        raise ValidationError(errors)
    contributors = cleaned.pop("contributors", None)
    for name, value in cleaned.items():
        setattr(action, name, bool(value) if name == "internal" else value)
    action._history_user = actor
    action.save()
    if contributors is not None:
        action.contributors.set(contributors)
    return action


@transaction.atomic
def action_review(*, actor, action: Action) -> Action:
    """Take a proposed action under review: those who run the plan."""
    action = Action.objects.select_for_update(of=("self",)).select_related("plan").get(pk=action.pk)
    require(policies.runs_plan(actor, action.plan))
    if action.status != Action.Status.PROPOSED:
        raise ValidationError(
            {
                "status": _("Only a proposed action is taken under review; this one is “%(s)s”.")
                % {"s": action.get_status_display()}
            }
        )
    action.status = Action.Status.UNDER_REVIEW
    action._history_user = actor
    action.save(update_fields=["status"])
    return action


@transaction.atomic
def action_decide(
    *, actor, action: Action, decision: str, reason: str, merged_into: Action | None = None
) -> Action:
    """Consolidate the action into the plan, merge it into another action of its objective, or
    reject it, with the reason the proposing body reads: the status and the reasoned response
    to the action's register entry change together. Those who run the plan decide, on an
    action under review; they may change a decision later, with a new reason."""
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("plan", "input")
        .get(pk=action.pk)
    )
    require(policies.runs_plan(actor, action.plan))
    reason = (reason or "").strip()
    errors: dict[str, list] = {}
    if decision not in DECIDED:
        errors["decision"] = [_("Choose to consolidate, merge or reject the action.")]
    if action.status == Action.Status.PROPOSED:
        errors["decision"] = [_("Take the action under review before deciding on it.")]
    if not reason:
        errors["reason"] = [
            _("Give the reason for this decision: the body that proposed the action reads it.")
        ]
    elif action.status in DECIDED and action.input is not None and reason == action.input.reason:
        errors["reason"] = [_("Give the reason for changing the decision.")]
    if decision == Action.Status.MERGED:
        if merged_into is None:
            errors["merged_into"] = [_("Choose the action this one is merged into.")]
        elif merged_into.pk == action.pk:
            errors["merged_into"] = [_("An action cannot be merged into itself.")]
        elif merged_into.objective_id != action.objective_id:
            errors["merged_into"] = [_("Choose an action of the same objective.")]
        elif merged_into.status == Action.Status.MERGED:
            errors["merged_into"] = [
                _("That action is itself merged into another: choose the one it went into.")
            ]
        elif merged_into.input_id is None:
            errors["merged_into"] = [_("That action has no entry in the plan's register.")]
    elif merged_into is not None:
        errors["merged_into"] = [_("Only an action merged into another names one.")]
    if action.input_id is None:
        errors.setdefault("decision", []).append(
            _("This action has no entry in the plan's register to answer.")
        )
    if errors:
        raise ValidationError(errors)
    action.status = decision
    action.merged_into = merged_into if decision == Action.Status.MERGED else None
    action._history_user = actor
    action.save(update_fields=["status", "merged_into"])
    input_respond(
        actor=actor,
        input=action.input,
        disposition=DISPOSITION[decision],
        reason=reason,
        merged_into=merged_into.input if decision == Action.Status.MERGED else None,
    )
    return action
