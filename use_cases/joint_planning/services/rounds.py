"""Prioritisation rounds: opening and closing them (the people who run the plan), and each
participating body's allocation in them: points over the round's actions, or a ranking.

A body changes its allocation until the round closes. Its points never exceed the budget, even
when two people of the body write at once: the service changes the ballot's allocations and its
`spent` together under a lock of the ballot's row, the ballot's check constraint (spent <=
budget) refuses an overspent ballot, and on PostgreSQL a constraint trigger on the allocations
(migration 0002) refuses any write, even one that bypasses this service, that gives a ballot
more points than its budget.

Each function runs in one transaction, checks the policy (PermissionDenied) and the rules
(ValidationError keyed by the field to fix)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_platform.services import require
from ogp_platform.text import validate_single_line

from .. import policies
from ..models import TITLE_LENGTH, Action, Allocation, Ballot, Objective, PlanBody, Round

# The actions a round is about: those not decided yet.
OPEN_STATUSES = (Action.Status.PROPOSED, Action.Status.UNDER_REVIEW)
MAX_BUDGET = 10000
# The PostgreSQL constraint trigger of migration 0002, and the ballot's check constraint.
BUDGET_TRIGGER = "joint_planning_allocation_within_budget"
BUDGET_CHECK = "joint_planning_within_budget"


def _over_budget(total: int, budget: int) -> ValidationError:
    return ValidationError(
        {
            "points": _(
                "These points add up to %(total)s, more than the %(budget)s points each body "
                "has in this round."
            )
            % {"total": total, "budget": budget}
        }
    )


@transaction.atomic
def round_open(
    *,
    actor,
    objective: Objective,
    title: str,
    method: str = Round.Method.POINTS,
    budget: int = 100,
    closes_at: datetime,
    actions=None,
) -> Round:
    """Open a round on `objective`'s actions (by default those proposed or under review; at
    least two), in which each participating body distributes `budget` points over them or ranks
    them (`method`), until `closes_at`."""
    plan = objective.plan
    require(policies.runs_plan(actor, plan))
    errors: dict[str, list] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the round a title.")]
    elif len(title) > TITLE_LENGTH:
        errors["title"] = [
            _("Keep the title under %(limit)s characters.") % {"limit": TITLE_LENGTH}
        ]
    else:
        try:
            validate_single_line(title)
        except ValidationError as error:
            errors["title"] = list(error.messages)
    if method not in Round.Method.values:
        errors["method"] = [_("Choose how the bodies prioritise: points or a ranking.")]
    if isinstance(budget, bool) or not isinstance(budget, int) or not 1 <= budget <= MAX_BUDGET:
        errors["budget"] = [
            _("Give each body between 1 and %(limit)s points.") % {"limit": MAX_BUDGET}
        ]
    if closes_at is None or timezone.is_naive(closes_at) or closes_at <= timezone.now():
        errors["closes_at"] = [_("Choose a closing date and time in the future.")]
    if plan.status == plan.Status.CLOSED:
        errors["objective"] = [_("The plan is closed: it opens no more rounds.")]
    open_actions = Action.objects.filter(objective=objective, status__in=OPEN_STATUSES)
    if actions is None:
        chosen = list(open_actions)
    else:
        ids = {action.pk for action in actions}
        chosen = list(open_actions.filter(pk__in=ids))
        if len(chosen) != len(ids):
            errors["actions"] = [
                _(
                    "Choose actions of this objective that are proposed or under review: "
                    "decided actions are not prioritised."
                )
            ]
    if "actions" not in errors and len(chosen) < 2:
        errors["actions"] = [
            _(
                "A round needs at least two actions of the objective that are proposed or "
                "under review; this objective has %(count)s."
            )
            % {"count": len(chosen)}
        ]
    if errors:
        raise ValidationError(errors)
    round_ = Round(
        plan=plan,
        objective=objective,
        title=title,
        method=method,
        budget=budget,
        closes_at=closes_at,
        opened_by=actor,
    )
    round_._history_user = actor
    round_.save()
    round_.actions.set(chosen)
    return round_


@transaction.atomic
def round_close(*, actor, round: Round) -> Round:
    """Close the round now (before its closing date, or record the close of one whose date has
    passed). Closing a closed round changes nothing."""
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    require(policies.runs_plan(actor, round_.plan))
    if round_.closed_at is None:
        round_.closed_at = min(timezone.now(), round_.closes_at)
        round_._history_user = actor
        round_.save(update_fields=["closed_at"])
    return round_


def _ballot_rules(actor, round: Round, body: PlanBody, method: str) -> Round:
    """The checks before a body's allocation changes; the round as it is now."""
    require(policies.can_act_for(actor, body))
    round_ = Round.objects.get(pk=round.pk)
    if body.plan_id != round_.plan_id:
        raise ValidationError({"body": _("This body does not take part in the round's plan.")})
    if not round_.is_open:
        raise ValidationError(
            {"round": _("The round has closed: its allocations no longer change.")}
        )
    if round_.method != method:
        if method == Round.Method.POINTS:
            message = _("In this round the bodies rank the actions: they give no points.")
        else:
            message = _("In this round the bodies give points: they do not rank the actions.")
        raise ValidationError({"round": message})
    return round_


def _locked_ballot(actor, round: Round, body: PlanBody) -> Ballot:
    """The body's ballot in the round (made on first use, with the round's budget), its row
    locked until the transaction ends: one writer per ballot at a time."""
    ballot, _created = Ballot.objects.get_or_create(
        round=round, body=body, defaults={"budget": round.budget, "updated_by": actor}
    )
    return Ballot.objects.select_for_update().get(pk=ballot.pk)


def _check_deferred_budget() -> None:
    """Run the PostgreSQL budget trigger now rather than at commit, so that what it refuses
    is refused inside the service (and becomes a ValidationError)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {BUDGET_TRIGGER} IMMEDIATE")
            cursor.execute(f"SET CONSTRAINTS {BUDGET_TRIGGER} DEFERRED")


def _as_int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


@transaction.atomic
def allocate_points(*, actor, round: Round, body: PlanBody, points: dict) -> Ballot:
    """Give the round's actions points in the name of `body`: `points` maps an action's id to
    its points (whole numbers, 0 or more). The actions named get those points (0 takes them
    back); the others keep theirs. All of them together stay within the round's budget."""
    round_ = _ballot_rules(actor, round, body, Round.Method.POINTS)
    in_round = set(round_.actions.values_list("pk", flat=True))
    wanted: dict[int, int] = {}
    for key, value in points.items():
        action_id, given = _as_int(key), _as_int(value)
        if action_id not in in_round:
            raise ValidationError({"points": _("Give points only to the actions of the round.")})
        if given is None or given < 0:
            raise ValidationError(
                {"points": _("Give each action a whole number of points, 0 or more.")}
            )
        wanted[action_id] = given
    total = None
    ballot = None
    try:
        with transaction.atomic():
            ballot = _locked_ballot(actor, round_, body)
            current = dict(ballot.allocations.values_list("action_id", "points"))
            current.update(wanted)
            total = sum(current.values())
            if total > round_.budget:
                raise _over_budget(total, round_.budget)
            ballot.allocations.filter(action_id__in=wanted).delete()
            Allocation.objects.bulk_create(
                Allocation(ballot=ballot, action_id=action_id, points=given)
                for action_id, given in wanted.items()
                if given > 0
            )
            ballot.spent = total
            ballot.updated_at = timezone.now()
            ballot.updated_by = actor
            ballot.save(update_fields=["spent", "updated_at", "updated_by"])
            _check_deferred_budget()
    except IntegrityError as error:
        if BUDGET_CHECK not in str(error) and BUDGET_TRIGGER not in str(error):
            raise
        budget = ballot.budget if ballot is not None else round_.budget
        raise _over_budget(total, budget) from error
    return ballot


@transaction.atomic
def rank_actions(*, actor, round: Round, body: PlanBody, ordered_action_ids) -> Ballot:
    """Rank the round's actions in the name of `body`, first the one it wants most: every
    action of the round once (ranks 1 to n). The new ranking replaces the body's last one."""
    round_ = _ballot_rules(actor, round, body, Round.Method.RANKING)
    in_round = set(round_.actions.values_list("pk", flat=True))
    ordered = [_as_int(action_id) for action_id in ordered_action_ids]
    if len(set(ordered)) != len(ordered):
        raise ValidationError({"ranks": _("Rank each action once.")})
    if set(ordered) != in_round:
        raise ValidationError(
            {"ranks": _("Rank every action of the round, and only the actions of the round.")}
        )
    ballot = _locked_ballot(actor, round_, body)
    ballot.allocations.all().delete()
    Allocation.objects.bulk_create(
        Allocation(ballot=ballot, action_id=action_id, points=0, rank=position)
        for position, action_id in enumerate(ordered, 1)
    )
    ballot.updated_at = timezone.now()
    ballot.updated_by = actor
    ballot.save(update_fields=["updated_at", "updated_by"])
    return ballot
