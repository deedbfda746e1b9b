"""Benchmark data (see `ogp_platform.seeding`): 6,000 commitments at scale 1 over the plans,
each with 4 milestones and two policy areas; the first plan in co-creation holds 60. On the
commitments of plans in consultation, 100,000 comments (each top-level one an input of its
plan's register) and 300,000 votes; the first of them carries 500 comments and the second
exactly 10, so that the benchmark pages the documentation names exist at every scale
(`run.named`)."""

import itertools

from action_plans.models import ActionPlan
from ogp_platform import seeding
from ogp_platform.members.models import Member
from participation import bench as participation_bench

from .models import Commitment, CommitmentNumbering, Milestone, PolicyArea

BODY = seeding.BENCH_TEXT


def _sizes(plans, n: int, first_open: int) -> list[int]:
    """How many commitments each plan gets: `n` spread evenly, then the first plan in
    co-creation raised to 60 by taking from the others (each keeps at least one)."""
    sizes = [n // len(plans)] * len(plans)
    for i in range(n % len(plans)):
        sizes[i] += 1
    # At tiny scales the big plan stays smaller.
    spare = sum(size - 1 for i, size in enumerate(sizes) if i != first_open)
    moved = max(0, min(60 - sizes[first_open], spare))
    sizes[first_open] += moved
    for i in itertools.cycle(range(len(plans))):
        if moved <= 0:
            break
        if i != first_open and sizes[i] > 1:
            sizes[i] -= 1
            moved -= 1
    return sizes


def _commitments(run: seeding.BenchRun, plans, institutions, n: int) -> list[Commitment]:
    first_open = next(i for i, p in enumerate(plans) if p.status == ActionPlan.Status.COCREATION)
    sizes = _sizes(plans, n, first_open)
    areas = list(PolicyArea.objects.all())
    numbers: dict[int, int] = {}
    rows = []
    for plan, size in zip(plans, sizes, strict=True):
        member = plan.member
        prefix = member.local_code if member.kind == Member.Kind.LOCAL else member.country
        for position in range(1, size + 1):
            number = numbers.get(member.pk, 0) + 1
            numbers[member.pk] = number
            identifier = f"{prefix}{number:04d}"
            title = f"Open data on public contracts and budgets, part {number}"
            rows.append(
                Commitment(
                    plan=plan,
                    number=number,
                    identifier=identifier,
                    position=position,
                    title=title,
                    short_title="Open contracts",
                    problem=BODY,
                    status_quo=BODY,
                    description=BODY + "\n\n" + BODY,
                    contribution=BODY,
                    values_relevance="Access to information and accountability.",
                    value_access_to_information=True,
                    value_public_accountability=run.rng.random() < 0.5,
                    value_civic_participation=run.rng.random() < 0.4,
                    lead_institution=institutions[member.pk][0],
                    start_date=plan.start_date,
                    end_date=plan.end_date,
                    search_document=f"{identifier}\n{title}\n{BODY}",
                )
            )
    created = []
    for batch in run.batched(rows):
        created.extend(Commitment.objects.bulk_create(batch))
    CommitmentNumbering.objects.bulk_create(
        CommitmentNumbering(member_id=member_id, last_number=last)
        for member_id, last in numbers.items()
    )
    through = Commitment.policy_areas.through
    links = (
        through(commitment_id=c.pk, policyarea_id=area.pk)
        for c in created
        for area in run.rng.sample(areas, 2)
    )
    for batch in run.batched(links):
        through.objects.bulk_create(batch)
    return created


def _milestones(run: seeding.BenchRun, commitments, institutions) -> int:
    rows = (
        Milestone(
            commitment=commitment,
            position=position,
            title=f"Milestone {position}: publish the data set",
            expected_output="A data set on the national portal, updated weekly.",
            responsible_institution=institutions[commitment.plan.member_id][position % 3],
            start_date=commitment.start_date,
            end_date=commitment.end_date,
        )
        for commitment in commitments
        for position in range(1, 5)
    )
    total = 0
    for batch in run.batched(rows):
        total += len(Milestone.objects.bulk_create(batch))
    return total


def seed(run: seeding.BenchRun) -> None:
    plans, institutions = run.shared["plans"], run.shared["institutions"]
    commitments = _commitments(run, plans, institutions, run.scaled(6_000))
    run.counts["commitments"] = len(commitments)
    run.counts["milestones"] = _milestones(run, commitments, institutions)
    run.log(f"commitments: {run.counts['commitments']}, milestones: {run.counts['milestones']}")

    consultations, users = run.shared["consultations"], run.shared["users"]
    targets = [c for c in commitments if c.plan_id in consultations]
    run.counts["comments"], run.counts["inputs"] = participation_bench.comments(
        run,
        targets,
        space_of=lambda commitment: commitment.plan,
        consultations=consultations,
        users=users,
        n=run.scaled(100_000),
    )
    run.log(f"comments: {run.counts['comments']}, inputs: {run.counts['inputs']}")
    run.counts["votes"] = participation_bench.votes(
        run, targets, users=users, n=run.scaled(300_000)
    )
    run.log(f"votes: {run.counts['votes']}")

    first = next(plan for plan in plans if plan.status == ActionPlan.Status.COCREATION)
    busy = [c for c in commitments if c.plan_id == first.pk][:2]
    run.named.update(
        {
            "plan_60": first.identifier,
            "commitment_500_comments": busy[0].identifier,
            "commitment_10_comments": busy[-1].identifier,
            "member": first.member.slug,
        }
    )


seeding.bench.register("commitments", seed, needs=["action_plans"])
