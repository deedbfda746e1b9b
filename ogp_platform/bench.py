"""A synthetic but realistic data set for benchmarks, built with bulk inserts.

At scale 1: 80 members, 300 action plans, 6,000 commitments with 4 milestones each, 20,000
users, 100,000 comments (each top-level one an input of its plan's register) and 300,000 votes.
Everything scales with `scale` (at least one of each). The first plan in co-creation holds 60
commitments; its first commitment carries 500 comments and its second exactly 10, so that the
benchmark pages named in the README exist at every scale.

It writes rows directly (no services, no history), in batches, and is meant for an empty
database of its own: `manage.py seed_bench --scale S`.
"""

import datetime
import itertools
import random
from dataclasses import dataclass, field

import pycountry
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from action_plans.models import ActionPlan
from commitments.models import Commitment, CommitmentNumbering, Milestone, PolicyArea
from ogp_platform.members.models import Institution, Member, Region
from participation.models import Comment, Consultation, Input, Vote
from participation.selectors import content_type_of

BATCH = 5000
EMAIL_DOMAIN = "bench.ogp.invalid"
PASSWORD = "bench-pass"  # noqa: S105 - a benchmark account on a throw-away database
REGIONS = [choice for choice, _label in Region.choices]
BODY = (
    "The register should also be published as open data, updated every week, with the names "
    "of the lobbyists and the officials they met. Ā ē ī ū — ñ à è."
)


@dataclass
class Counts:
    members: int = 0
    plans: int = 0
    commitments: int = 0
    milestones: int = 0
    users: int = 0
    comments: int = 0
    inputs: int = 0
    votes: int = 0
    named: dict = field(default_factory=dict)


def _batched(rows, size: int = BATCH):
    """Lists of at most `size` items (itertools.batched arrives with Python 3.12)."""
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _scaled(base: int, scale: float) -> int:
    return max(1, round(base * scale))


def seed_bench(scale: float = 1.0, *, seed: int = 2026, log=lambda message: None) -> Counts:
    if Member.objects.filter(slug__startswith="bench-").exists():
        raise ValueError("Benchmark data is already here: seed a fresh database.")
    rng = random.Random(seed)  # noqa: S311 - repeatable synthetic data, not secrets
    counts = Counts()
    now = timezone.now()
    with transaction.atomic():
        users = _users(_scaled(20_000, scale), now)
        counts.users = len(users)
        log(f"users: {counts.users}")
        members = _members(_scaled(80, scale), now)
        counts.members = len(members)
        institutions = _institutions(members)
        plans = _plans(members, _scaled(300, scale), users[0], now)
        counts.plans = len(plans)
        log(f"members: {counts.members}, plans: {counts.plans}")
        commitments = _commitments(plans, institutions, _scaled(6_000, scale), rng)
        counts.commitments = len(commitments)
        counts.milestones = _milestones(commitments, institutions)
        log(f"commitments: {counts.commitments}, milestones: {counts.milestones}")
        open_plans = [plan for plan in plans if plan.status == ActionPlan.Status.COCREATION]
        consultations = _consultations(open_plans, users[0], now)
        targets = [c for c in commitments if c.plan_id in consultations]
        counts.comments, counts.inputs = _comments(
            targets, consultations, users, _scaled(100_000, scale), rng, now
        )
        log(f"comments: {counts.comments}, inputs: {counts.inputs}")
        counts.votes = _votes(targets, users, _scaled(300_000, scale), rng, now)
        log(f"votes: {counts.votes}")
    first = open_plans[0]
    busy = [c for c in commitments if c.plan_id == first.pk][:2]
    counts.named = {
        "plan_60": first.identifier,
        "commitment_500_comments": busy[0].identifier,
        "commitment_10_comments": busy[1].identifier if len(busy) > 1 else busy[0].identifier,
        "member": first.member.slug,
        "user": users[1].email,
        "password": PASSWORD,
    }
    return counts


def _users(n: int, now) -> list:
    user_model = get_user_model()
    password = make_password(PASSWORD)
    rows = (
        user_model(
            email=f"user{i}@{EMAIL_DOMAIN}",
            display_name=f"Participant {i}",
            password=password,
            date_joined=now,
        )
        for i in range(n)
    )
    created = []
    for batch in _batched(rows):
        created.extend(user_model.objects.bulk_create(batch))
    # Mandatory email verification: the accounts can sign in.
    addresses = (
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in created
    )
    for batch in _batched(addresses):
        EmailAddress.objects.bulk_create(batch)
    return created


def _members(n: int, now) -> list[Member]:
    countries = sorted(pycountry.countries, key=lambda c: c.alpha_2)
    rows = []
    for i in range(n):
        if i < len(countries):
            country = countries[i]
            rows.append(
                Member(
                    kind=Member.Kind.NATIONAL,
                    name=f"{country.name}",
                    slug=f"bench-{country.alpha_2.lower()}",
                    country=country.alpha_2,
                    country_alpha3=country.alpha_3,
                    region=REGIONS[i % len(REGIONS)],
                    status="active",
                    date_joined=datetime.date(2011 + i % 12, 9, 20),
                )
            )
        else:  # more members than countries: local governments of the first countries
            country = countries[i % len(countries)]
            code = f"L{i:02d}"[-3:]
            rows.append(
                Member(
                    kind=Member.Kind.LOCAL,
                    name=f"City {i}, {country.name}",
                    slug=f"bench-local-{i}",
                    country=country.alpha_2,
                    country_alpha3=country.alpha_3,
                    local_code=code,
                    region=REGIONS[i % len(REGIONS)],
                    status="active",
                )
            )
    return Member.objects.bulk_create(rows)


def _institutions(members) -> dict[int, list[Institution]]:
    rows = [
        Institution(member=member, name=f"{name} of {member.name}")
        for member in members
        for name in ("Ministry of Finance", "Ministry of Justice", "Open Data Agency")
    ]
    by_member: dict[int, list[Institution]] = {}
    for institution in Institution.objects.bulk_create(rows):
        by_member.setdefault(institution.member_id, []).append(institution)
    return by_member


def _plans(members, n: int, creator, now) -> list[ActionPlan]:
    """Plans spread over the members, the newest of each in co-creation, the others ended or in
    implementation, two years each going back from 2026."""
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
                    introduction="A plan co-created with civil society.\n\n" + BODY,
                    start_date=start,
                    end_date=start.replace(year=start.year + 2) - datetime.timedelta(days=1),
                    submission_deadline=start.replace(month=8, day=31),
                    status=status,
                    published_at=now,
                    created_by=creator,
                )
            )
    return ActionPlan.objects.bulk_create(rows)


def _commitments(plans, institutions, n: int, rng) -> list[Commitment]:
    """`n` commitments over the plans; the first plan in co-creation gets 60."""
    first_open = next(i for i, p in enumerate(plans) if p.status == ActionPlan.Status.COCREATION)
    sizes = [n // len(plans)] * len(plans)
    for i in range(n % len(plans)):
        sizes[i] += 1
    # Others keep at least one commitment each; at tiny scales the big plan stays smaller.
    spare = sum(size - 1 for i, size in enumerate(sizes) if i != first_open)
    moved = max(0, min(60 - sizes[first_open], spare))
    sizes[first_open] += moved
    for i in itertools.cycle(range(len(plans))):
        if moved <= 0:
            break
        if i != first_open and sizes[i] > 1:
            sizes[i] -= 1
            moved -= 1
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
                    value_public_accountability=rng.random() < 0.5,
                    value_civic_participation=rng.random() < 0.4,
                    lead_institution=institutions[member.pk][0],
                    start_date=plan.start_date,
                    end_date=plan.end_date,
                    search_document=f"{identifier}\n{title}\n{BODY}",
                )
            )
    created = []
    for batch in _batched(rows):
        created.extend(Commitment.objects.bulk_create(batch))
    CommitmentNumbering.objects.bulk_create(
        CommitmentNumbering(member_id=member_id, last_number=last)
        for member_id, last in numbers.items()
    )
    through = Commitment.policy_areas.through
    links = (
        through(commitment_id=c.pk, policyarea_id=area.pk)
        for c in created
        for area in rng.sample(areas, 2)
    )
    for batch in _batched(links):
        through.objects.bulk_create(batch)
    return created


def _milestones(commitments, institutions) -> int:
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
    for batch in _batched(rows):
        total += len(Milestone.objects.bulk_create(batch))
    return total


def _consultations(plans, creator, now) -> dict[int, Consultation]:
    plan_type = content_type_of(plans[0])
    rows = [
        Consultation(
            space_type=plan_type,
            space_id=plan.pk,
            member_id=plan.member_id,
            title=f"Consultation on {plan.identifier}",
            rules="Be kind; every input gets a reasoned response.",
            questions="What is missing?",
            opens_at=now - datetime.timedelta(days=10),
            closes_at=now + datetime.timedelta(days=20),
            opened_at=now - datetime.timedelta(days=10),
            created_by=creator,
        )
        for plan in plans
    ]
    return {c.space_id: c for c in Consultation.objects.bulk_create(rows)}


def _comments(targets, consultations, users, n, rng, now) -> tuple[int, int]:
    """500 comments on the first target, 10 on the second, the rest spread at random; a
    quarter of the rest are replies. Every top-level comment is an input of the register."""
    commitment_type = content_type_of(targets[0])
    plans = {c.plan_id: c.plan for c in targets}
    plan_type = content_type_of(next(iter(plans.values())))
    quotas = [min(500, n), min(10, max(0, n - 500))]
    rest = max(0, n - sum(quotas))
    reply_count = rest // 5
    rest -= reply_count
    others = targets[2:] or targets
    plan_of = {c.pk: c.plan_id for c in targets}

    def comment(target, i, parent=None):
        body = f"{BODY} ({i})"
        return Comment(
            target_type=commitment_type,
            target_id=target.pk,
            consultation=consultations[target.plan_id],
            parent=parent,
            depth=1 if parent else 0,
            author=users[(i * 7 + 1) % len(users)],
            body=body,
            body_html=f"<p>{escape(body)}</p>",
            created_at=now - datetime.timedelta(minutes=n - i),
        )

    planned = []
    for target, quota in zip(targets[:2], quotas, strict=False):
        planned += [target] * quota
    planned += [rng.choice(others) for _ in range(rest)]
    top_level = []
    i = 0
    for batch in _batched(planned):
        made = Comment.objects.bulk_create([comment(t, i + k) for k, t in enumerate(batch)])
        i += len(batch)
        top_level.extend(made)
    # Replies: a quarter of the random ones answer an earlier comment on the same target.
    by_pk = {target.pk: target for target in targets}
    replies = [
        comment(by_pk[parent.target_id], i + k, parent=parent)
        for k, parent in enumerate(
            itertools.islice(itertools.cycle(top_level[sum(quotas) :] or top_level), reply_count)
        )
    ]
    made_replies = []
    for batch in _batched(replies):
        made_replies.extend(Comment.objects.bulk_create(batch))
    inputs = (
        Input(
            space_type=plan_type,
            space_id=plan_of[c.target_id],
            member_id=plans[plan_of[c.target_id]].member_id,
            source=Input.Source.COMMENT,
            comment=c,
            received_on=c.created_at.date(),
        )
        for c in top_level
    )
    total_inputs = 0
    for batch in _batched(inputs):
        total_inputs += len(Input.objects.bulk_create(batch))
    return len(top_level) + len(made_replies), total_inputs


def _votes(targets, users, n, rng, now) -> int:
    """`n` votes on the commitments under consultation, one per person and commitment."""
    commitment_type = content_type_of(targets[0])
    rows = []
    for index, target in enumerate(targets):
        # n spread evenly, the first targets taking the remainder; at most one vote a person.
        share = n // len(targets) + (1 if index < n % len(targets) else 0)
        start = (index * 997) % len(users)
        for k in range(min(share, len(users))):
            rows.append(
                Vote(
                    target_type=commitment_type,
                    target_id=target.pk,
                    user=users[(start + k) % len(users)],
                    value=Vote.Value.SUPPORT if rng.random() < 0.8 else Vote.Value.OPPOSE,
                    created_at=now,
                    updated_at=now,
                )
            )
    total = 0
    for batch in _batched(rows):
        total += len(Vote.objects.bulk_create(batch))
    return total
