"""The action plans the rows belong to: found by id, or created published with a period
derived from their years."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from action_plans import services as plan_services
from action_plans.models import ActionPlan, default_submission_deadline
from ogp_platform.members.models import Member

from . import columns
from .rows import MemberKey, Row
from .state import ImportState, chunks, skip_row
from .summary import DERIVED

# The platform's plans run from 1 September to 31 August (see action_plans): imported plans,
# known only by their years, get the same period.
PLAN_START = (9, 1)
PLAN_END = (8, 31)
DEFAULT_PLAN_YEARS = 2


def _plan_status(start: datetime.date, end: datetime.date, today: datetime.date) -> str:
    """An imported plan is past its submission: ended once its end date passed, in
    implementation while it runs, submitted before it starts."""
    if end < today:
        return ActionPlan.Status.ENDED
    if start > today:
        return ActionPlan.Status.SUBMITTED
    return ActionPlan.Status.IMPLEMENTATION


def plan_period(spec) -> tuple[datetime.date, datetime.date, str, dict] | None:
    """The period of a plan known by its years: 1 September of the year of submission to 31
    August of the end year (the platform's usual period); a plan whose end year is its year of
    submission runs that calendar year; without an end year, the duration in years, else OGP's
    usual two. Returns (start, end, note code, note parameters), or None without a year."""
    if spec.year is None:
        return None
    if spec.end_year is not None and spec.end_year > spec.year:
        start = datetime.date(spec.year, *PLAN_START)
        end = datetime.date(spec.end_year, *PLAN_END)
        return start, end, "plan_created", {"years": f"{spec.year}–{spec.end_year}"}
    if spec.end_year == spec.year:
        start, end = datetime.date(spec.year, 1, 1), datetime.date(spec.year, 12, 31)
        return start, end, "plan_created", {"years": str(spec.year)}
    length = spec.duration if spec.duration and spec.duration > 0 else DEFAULT_PLAN_YEARS
    start = datetime.date(spec.year, *PLAN_START)
    end = datetime.date(spec.year + length, *PLAN_END)
    return start, end, "plan_created_length", {"year": spec.year, "length": length}


def _new_plan(state: ImportState, member: Member, identifier: str, sequence: int, derived):
    start, end, _code, _params = derived
    return ActionPlan(
        member=member,
        sequence=sequence,
        identifier=identifier,
        title=_("%(member)s action plan %(start)s–%(end)s")
        % {"member": member.name, "start": start.year, "end": end.year},
        start_date=start,
        end_date=end,
        submission_deadline=default_submission_deadline(start),
        status=_plan_status(start, end, timezone.localdate()),
        published_at=state.now,
        created_by=state.actor,
        created_at=state.now,
        updated_at=state.now,
    )


def resolve_plans(
    state: ImportState, rows: list[Row], members: dict[MemberKey, Member]
) -> tuple[dict[str, ActionPlan], list[Row]]:
    """The plans the rows belong to: found by id, or created from the first row that names
    them, published, with a period derived from its years and a status fitting those dates.
    Existing plans are not changed; those being written on the platform are not imported into.
    Returns the plans and the rows kept."""
    summary = state.summary
    by_plan: dict[str, list[Row]] = {}
    for row in rows:
        by_plan.setdefault(row.plan.identifier, []).append(row)
    existing = {}
    for chunk in chunks(list(by_plan)):
        for plan in ActionPlan.objects.filter(identifier__in=chunk).select_related("member"):
            existing[plan.identifier] = plan
    taken = {
        (member_id, sequence): identifier
        for member_id, sequence, identifier in ActionPlan.objects.filter(
            member_id__in={member.pk for member in members.values()}
        ).values_list("member_id", "sequence", "identifier")
    }
    plans: dict[str, ActionPlan] = {}
    new_plans: list[ActionPlan] = []
    kept: list[Row] = []

    def skip_all(plan_rows, code, /, **params):
        for row in plan_rows:
            skip_row(state, row, code, **params)
        summary.count("plans", "skipped")

    for identifier, plan_rows in by_plan.items():
        first = plan_rows[0]
        member = members[first.member.key]
        same_member = [first]
        for row in plan_rows[1:]:
            if row.member.key != first.member.key:
                skip_row(state, row, "plan_of_other_member", plan=identifier, member=member.name)
                continue
            for column, mine, theirs in (
                (columns.PLAN_NUMBER, row.plan.sequence, first.plan.sequence),
                (columns.YEAR, row.plan.year, first.plan.year),
                (columns.END_YEAR, row.plan.end_year, first.plan.end_year),
            ):
                if mine is not None and theirs is not None and mine != theirs:
                    row.adjust(
                        "plan_details_differ",
                        column=column,
                        value=mine,
                        plan=identifier,
                        first_row=first.number,
                    )
            same_member.append(row)
        plan_rows = same_member
        derived = plan_period(first.plan)
        plan = existing.get(identifier)
        if plan is not None:
            if plan.member_id != member.pk:
                skip_all(
                    plan_rows, "plan_of_other_member", plan=identifier, member=plan.member.name
                )
                continue
            if plan.status in ActionPlan.EDITABLE:
                skip_all(plan_rows, "plan_being_written", plan=identifier)
                continue
            summary.count("plans", "unchanged")
            if derived and (derived[0], derived[1]) != (plan.start_date, plan.end_date):
                summary.note(
                    first.number,
                    identifier,
                    DERIVED,
                    "plan_period_differs",
                    plan=identifier,
                    start_date=plan.start_date.isoformat(),
                    end_date=plan.end_date.isoformat(),
                    years=f"{derived[0].year}–{derived[1].year}",
                )
        else:
            if first.plan.sequence is None:
                skip_all(plan_rows, "plan_number_unknown", plan=identifier)
                continue
            other = taken.get((member.pk, first.plan.sequence))
            if other is not None:
                skip_all(
                    plan_rows,
                    "plan_number_taken",
                    member=member.name,
                    sequence=first.plan.sequence,
                    other=other,
                )
                continue
            if derived is None:
                skip_all(plan_rows, "plan_year_unknown", plan=identifier)
                continue
            plan = _new_plan(state, member, identifier, first.plan.sequence, derived)
            taken[(member.pk, plan.sequence)] = identifier
            new_plans.append(plan)
            summary.count("plans", "created")
            summary.note(
                first.number,
                identifier,
                DERIVED,
                derived[2],
                **derived[3],
                plan=identifier,
                start_date=plan.start_date.isoformat(),
                end_date=plan.end_date.isoformat(),
                status=plan.status,
            )
        plans[identifier] = plan
        kept.extend(plan_rows)

    if new_plans:
        for plan in plan_services.action_plans_import(
            actor=state.actor,
            plans=new_plans,
            reason=_("Imported from the IRM's commitments dataset."),
            at=state.now,
        ):
            plans[plan.identifier] = plan
    kept.sort(key=lambda row: row.number)
    return plans, kept
