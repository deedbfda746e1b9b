"""Benchmark data (see `ogp_platform.seeding`): 300 action plans at scale 1, spread over the
members, two years each going back from 2026: the newest of each member in co-creation, with
an open consultation, the one before in implementation, the others ended. Leaves them in
`run.shared["plans"]` and the consultations in `run.shared["consultations"]` (by plan id)."""

import datetime

from ogp_platform import seeding
from ogp_platform.members.models import Member
from participation import bench as participation_bench

from .models import ActionPlan

INTRODUCTION = "A plan co-created with civil society.\n\n" + seeding.BENCH_TEXT


def _plans(run: seeding.BenchRun, members, n: int, creator) -> list[ActionPlan]:
    per_member = [
        n // len(members) + (1 if i < n % len(members) else 0) for i in range(len(members))
    ]
    rows = []
    for member, count in zip(members, per_member, strict=True):
        prefix = member.local_code if member.kind == Member.Kind.LOCAL else member.country_alpha3
        for sequence in range(1, count + 1):
            start = datetime.date(2026 - 2 * (count - sequence), 9, 1)
            newest = sequence == count
            status = (
                ActionPlan.Status.COCREATION
                if newest
                else ActionPlan.Status.IMPLEMENTATION
                if sequence == count - 1
                else ActionPlan.Status.ENDED
            )
            rows.append(
                ActionPlan(
                    member=member,
                    sequence=sequence,
                    identifier=f"AP_{prefix}{sequence:02d}",
                    title=f"Open government action plan {sequence} of {member.name}",
                    introduction=INTRODUCTION,
                    start_date=start,
                    end_date=start.replace(year=start.year + 2) - datetime.timedelta(days=1),
                    submission_deadline=start.replace(month=8, day=31),
                    status=status,
                    published_at=run.now,
                    created_by=creator,
                )
            )
    return ActionPlan.objects.bulk_create(rows)


def seed(run: seeding.BenchRun) -> None:
    creator = run.shared["users"][0]
    plans = _plans(run, run.shared["members"], run.scaled(300), creator)
    run.shared["plans"] = plans
    run.counts["plans"] = len(plans)
    run.log(f"plans: {len(plans)}")
    open_plans = [plan for plan in plans if plan.status == ActionPlan.Status.COCREATION]
    run.shared["consultations"] = participation_bench.consultations(
        run,
        open_plans,
        member_id=lambda plan: plan.member_id,
        title=lambda plan: f"Consultation on {plan.identifier}",
        creator=creator,
    )


seeding.bench.register("action_plans", seed, needs=["accounts", "members"])
