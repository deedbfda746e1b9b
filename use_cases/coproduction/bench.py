"""Benchmark data (see `ogp_platform.seeding`) of the co-production core, at scale 1:

- INTERLINK's catalogue, imported from the copy shipped in `data/` as a fresh install has it
  (62 enablers, 45 problem profiles, 3 schemas), and beside it 45 problem profiles and 600
  synthetic enablers (named in four languages, each facing two profiles, with their search
  documents); every enabler rated by a few people;
- a realistic process, the same at every scale, created from INTERLINK's default schema (4
  phases, 17 objectives, 51 tasks, with their prerequisites and problem profiles): its three
  teams, its first 12 tasks finished and the next 4 in progress, 30 resources on those tasks
  (a third of them enablers of the real catalogue), and 60 comments (40 on the process, a
  quarter of them replies, and 20 on its tasks, each top-level one an input of its register);
- 20 processes owned by the benchmark's members, each with three teams (owners, members,
  observers: people from `run.shared["users"]`) and its rules. The first is the big one, whatever
  the scale: 200 tree items (4 phases, 16 objectives, 180 tasks) and 100 resources (half of them
  enablers); the second is a small one, 10 items and 5 resources; the others are small too.
  The pages the issue measures (the process page with 10 or 200 items and 5 or 100 resources,
  the catalogue with 60 or 600 enablers) exist at every scale.

Rows are written directly, in batches, as the rest of the benchmark data (the realistic
process's tree through `tree_from_schema`, as a process created from a schema gets it).
`run.named` gets `coproduction_process_200`, `coproduction_process_10`,
`coproduction_process_schema` (slugs: the realistic one is `bench-process-schema`),
`coproduction_task` (the path of the big process's task with the most resources) and
`coproduction_owner` (the email of a person in the big process's owner team). The people of the
realistic process's teams and its commenters come from the second half of the users, so the
benchmark's signed-in citizen (`users[1]`) is in none of its teams.
"""

import datetime
import itertools
from pathlib import Path

from django.contrib.auth.models import Group
from django.utils.html import escape

from ogp_platform import seeding
from participation.models import Comment, Input
from participation.selectors import content_type_of

from .importer import import_catalogue, read_catalogue
from .models import (
    Enabler,
    EnablerRating,
    Governance,
    ProblemProfile,
    Process,
    Resource,
    Schema,
    Team,
    TreeItem,
)
from .services.catalogue import enabler_search_documents_refresh
from .services.tree import tree_from_schema

CATALOGUE = Path(__file__).resolve().parent / "data" / "catalogue.json"

LANGUAGES = ("en", "es", "it", "lv")
KINDS = [value for value, _label in Enabler.Kind.choices]
DIFFICULTIES = [value for value, _label in Enabler.Difficulty.choices]
FORMS = ["guidelines", "canvas", "checklist", "document_template", "best_practices"]
FORMATS = ["pdf", "editable_source_document", "open_document"]
LICENCES = ["permissive", "copyleft", "public_domain", "proprietary"]
SCOPES = [["local"], ["national"], ["eu", "national"], ["local", "national"]]
WORDS = {
    "en": "Guide to co-designing public services with residents",
    "es": "Guía para codiseñar servicios públicos con la ciudadanía",
    "it": "Guida alla co-progettazione dei servizi pubblici con i cittadini",
    "lv": "Ceļvedis publisko pakalpojumu kopīgai izstrādei ar iedzīvotājiem",
}
# The big process's tree: phases × objectives per phase, and 180 tasks spread over them.
PHASES, OBJECTIVES_PER_PHASE, TASKS = 4, 4, 180
SMALL = (1, 2, 7)  # 10 items: 1 phase, 2 objectives, 7 tasks
BIG_RESOURCES, SMALL_RESOURCES = 100, 5
# The realistic process.
REAL_SLUG = "bench-process-schema"
REAL_FINISHED, REAL_IN_PROGRESS = 12, 4
REAL_RESOURCES = 30  # on the started tasks; every third an enabler of the real catalogue
REAL_COMMENTS, REAL_REPLIES, REAL_TASK_COMMENTS = 30, 10, 20
REAL_TEXTS = [
    "The online form should let families save it and come back later: many fill it in at night.",
    "Could the city send the documents it already holds, instead of asking us to upload them?",
    "Please write the instructions in plain language, and translate them into the languages "
    "spoken in the neighbourhoods.",
    "We tested the prototype with twelve parents at the library: the address step confused "
    "half of them.",
    "The waiting list should say where each child stands, and why.",
    "Thank you: the notes of the workshop are now among the task's resources.",
]


def _profiles() -> list[ProblemProfile]:
    rows = [
        ProblemProfile(
            key=f"BENCH_PROBLEM_{i}",
            name_translations={lang: f"{WORDS[lang][:30]} {i}" for lang in LANGUAGES},
            description_translations={"en": seeding.BENCH_TEXT},
        )
        for i in range(1, 46)
    ]
    return ProblemProfile.objects.bulk_create(rows)


def _enablers(run: seeding.BenchRun, profiles, n: int) -> list[Enabler]:
    rows = [
        Enabler(
            key=f"bench-enabler-{i}",
            kind=KINDS[i % len(KINDS)],
            form=FORMS[i % len(FORMS)],
            format=FORMATS[i % len(FORMATS)],
            difficulty=DIFFICULTIES[i % len(DIFFICULTIES)],
            licence=LICENCES[i % len(LICENCES)],
            administrative_scopes=SCOPES[i % len(SCOPES)],
            languages=list(LANGUAGES[: 1 + i % len(LANGUAGES)]),
            name_translations={lang: f"{WORDS[lang]} ({i})" for lang in LANGUAGES},
            description_translations=dict.fromkeys(LANGUAGES, seeding.BENCH_TEXT),
            tags_translations={"en": ["co-design", "services"]},
        )
        for i in range(1, n + 1)
    ]
    enablers = []
    for batch in run.batched(rows):
        enablers.extend(Enabler.objects.bulk_create(batch))
    through = Enabler.problem_profiles.through
    links = (
        through(enabler_id=enabler.pk, problemprofile_id=profile.pk)
        for enabler in enablers
        for profile in run.rng.sample(profiles, 2)
    )
    for batch in run.batched(links):
        through.objects.bulk_create(batch)
    enabler_search_documents_refresh(enabler_ids=[enabler.pk for enabler in enablers])
    return enablers


def _ratings(run: seeding.BenchRun, enablers, users) -> int:
    raters = users[: min(len(users), 5)]
    rows = (
        EnablerRating(
            enabler=enabler,
            user=user,
            stars=1 + (enabler.pk + user.pk) % 5,
            comment="Clear and easy to adapt." if user.pk % 2 else "",
        )
        for enabler in enablers
        for user in raters
    )
    total = 0
    for batch in run.batched(rows):
        total += len(EnablerRating.objects.bulk_create(batch))
    return total


def _processes(run: seeding.BenchRun, members, creator, n: int) -> list[Process]:
    rows = [
        Process(
            name=f"Co-designing public services, round {i}",
            slug=f"bench-process-{i}",
            description=seeding.BENCH_TEXT,
            languages=["en"],
            primary_member=members[i % len(members)],
            status=Process.Status.RUNNING,
            created_by=creator,
        )
        for i in range(1, n + 1)
    ]
    processes = Process.objects.bulk_create(rows)
    _owners_and_rules(processes, members)
    return processes


def _owners_and_rules(processes, members) -> None:
    """Each process owned by its primary member and the next member, with its rules."""
    through = Process.owner_members.through
    through.objects.bulk_create(
        through(process_id=process.pk, member_id=member.pk)
        for process in processes
        for member in {process.primary_member, members[(process.pk + 1) % len(members)]}
    )
    Governance.objects.bulk_create(
        Governance(
            process=process,
            model=Governance.Model.PUBLIC_CIVIL_PARTNERSHIP,
            participants=list(Governance.Participant.values),
            decision=Governance.Decision.WEIGHTED,
            owners_weight=50,
            jury_weight=30,
            public_weight=20,
            intellectual_property=seeding.BENCH_TEXT,
            agreement=seeding.BENCH_TEXT,
        )
        for process in processes
    )


def _teams(run: seeding.BenchRun, processes, users) -> dict[int, list[Team]]:
    roles = [
        ("Owners", Team.Kind.PUBLIC_ADMINISTRATION, Team.Role.OWNER),
        ("Residents", Team.Kind.CITIZENS, Team.Role.MEMBER),
        ("Observers", Team.Kind.RESEARCH, Team.Role.OBSERVER),
    ]
    groups = Group.objects.bulk_create(
        Group(name=f"coproduction bench team {process.pk}-{n}")
        for process in processes
        for n in range(len(roles))
    )
    groups_of = iter(groups)
    teams = Team.objects.bulk_create(
        Team(process=process, name=name, kind=kind, role=role, group=next(groups_of))
        for process in processes
        for name, kind, role in roles
    )
    people = Team.people.through
    membership = Group.user_set.through
    rows, group_rows = [], []
    for index, team in enumerate(teams):
        for offset in range(3):
            user = users[(index * 3 + offset) % len(users)]
            rows.append(people(team_id=team.pk, user_id=user.pk))
            group_rows.append(membership(group_id=team.group_id, user_id=user.pk))
    people.objects.bulk_create(rows, ignore_conflicts=True)
    membership.objects.bulk_create(group_rows, ignore_conflicts=True)
    by_process: dict[int, list[Team]] = {}
    for team in teams:
        by_process.setdefault(team.process_id, []).append(team)
    return by_process


def _tree(process, shape, teams) -> list[TreeItem]:
    """A process's tree of `shape` (phases, objectives per phase, tasks), level by level; its
    tasks are spread evenly over the objectives and answered for by its teams in turn."""
    phases_n, objectives_n, tasks_n = shape
    phases = TreeItem.objects.bulk_create(
        TreeItem(process=process, kind=TreeItem.Kind.PHASE, name=f"Phase {p}", position=p)
        for p in range(1, phases_n + 1)
    )
    objectives = TreeItem.objects.bulk_create(
        TreeItem(
            process=process,
            parent=phase,
            kind=TreeItem.Kind.OBJECTIVE,
            name=f"Objective {phase.position}.{o}",
            position=o,
        )
        for phase in phases
        for o in range(1, objectives_n + 1)
    )
    statuses = itertools.cycle(
        [TreeItem.Status.FINISHED, TreeItem.Status.IN_PROGRESS, TreeItem.Status.AWAITING]
    )
    tasks = TreeItem.objects.bulk_create(
        TreeItem(
            process=process,
            parent=objectives[t % len(objectives)],
            kind=TreeItem.Kind.TASK,
            name=f"Task {t + 1}: map the service's users and their needs",
            description=seeding.BENCH_TEXT,
            position=t // len(objectives) + 1,
            status=next(statuses),
            responsible_team=teams[t % len(teams)],
        )
        for t in range(tasks_n)
    )
    return [*phases, *objectives, *tasks]


def _resources(run: seeding.BenchRun, tasks, enablers, creator, n: int) -> list[Resource]:
    """`n` resources on `tasks`: half on the first task, the rest spread; every other one an
    enabler, the others links."""
    rows = []
    for i in range(n):
        task = tasks[0] if i < n // 2 else tasks[i % len(tasks)]
        common = {"task": task, "created_by": creator, "description": seeding.BENCH_TEXT}
        if i % 2:
            enabler = enablers[i % len(enablers)]
            rows.append(
                Resource(kind=Resource.Kind.ENABLER, enabler=enabler, title=enabler.key, **common)
            )
        else:
            rows.append(
                Resource(
                    kind=Resource.Kind.LINK,
                    title=f"Notes of workshop {i}",
                    url=f"https://example.org/workshops/{i}",
                    **common,
                )
            )
    return Resource.objects.bulk_create(rows)


def _realistic_process(run: seeding.BenchRun, members, users, creator, enablers) -> dict:
    """The process from INTERLINK's default schema, with its teams, resources and comments
    (see the module's docstring). `users`: its people and commenters; `enablers`: the real
    catalogue's. Returns its figures."""
    process = Process.objects.bulk_create(
        [
            Process(
                name="Nursery school enrolment, redesigned with families",
                slug=REAL_SLUG,
                description=(
                    "The city and the national government redesign with families how children "
                    "are enrolled in nursery schools: one online application, clear in every "
                    "language spoken in the city, with the documents the administration holds "
                    "filled in, and an answer within thirty days."
                ),
                languages=["en"],
                primary_member=members[0],
                status=Process.Status.RUNNING,
                schema=Schema.objects.get(key="default"),
                created_by=creator,
                created_at=run.now - datetime.timedelta(days=60),
            )
        ]
    )[0]
    _owners_and_rules([process], members)
    teams = _teams(run, [process], users)[process.pk]
    tree = tree_from_schema(actor=creator, process=process, schema=process.schema)
    tasks = [item for item in tree if item.kind == TreeItem.Kind.TASK]
    # Tasks in the tree's order: the first finished, the next in progress, each answered for by
    # the owners or the residents in turn.
    working = [team for team in teams if team.role != Team.Role.OBSERVER]
    for index, task in enumerate(tasks):
        task.responsible_team = working[index % len(working)]
        if index < REAL_FINISHED:
            task.status = TreeItem.Status.FINISHED
        elif index < REAL_FINISHED + REAL_IN_PROGRESS:
            task.status = TreeItem.Status.IN_PROGRESS
    TreeItem.objects.bulk_update(tasks, ["responsible_team", "status"])

    started = tasks[: REAL_FINISHED + REAL_IN_PROGRESS]
    real = sorted(enablers, key=lambda enabler: enabler.key)
    rows = []
    for i in range(REAL_RESOURCES):
        common = {
            "task": started[i % len(started)],
            "created_by": users[i % 6],
            "created_at": run.now - datetime.timedelta(days=50 - i),
        }
        if i % 3 == 2 and real:
            enabler = real[(i * 7) % len(real)]
            name = enabler.name_translations.get("en") or enabler.key
            rows.append(
                Resource(kind=Resource.Kind.ENABLER, enabler=enabler, title=name[:250], **common)
            )
        else:
            rows.append(
                Resource(
                    kind=Resource.Kind.LINK,
                    title=f"Notes of the workshop with families, week {i + 1}",
                    url=f"https://example.org/nursery-enrolment/workshops/{i + 1}",
                    description=REAL_TEXTS[i % len(REAL_TEXTS)],
                    **common,
                )
            )
    resources = Resource.objects.bulk_create(rows)

    comments = _realistic_comments(run, process, started, users)
    return {
        "items": len(tree),
        "tasks": len(tasks),
        "resources": len(resources),
        "comments": comments,
    }


def _realistic_comments(run: seeding.BenchRun, process, tasks, users) -> int:
    """Comments on the process (a quarter of them replies) and on its started tasks, an hour and
    a half apart over the last four days; every top-level one an input of the process's
    register."""
    space_type = content_type_of(process)
    task_type = content_type_of(tasks[0])
    total = REAL_COMMENTS + REAL_REPLIES + REAL_TASK_COMMENTS
    made = itertools.count()

    def comment(target_type, target_id, parent=None):
        i = next(made)
        body = REAL_TEXTS[i % len(REAL_TEXTS)]
        # Replies come from the owner team (its first three people), the rest from anyone.
        author = users[i % 3] if parent else users[(i * 5 + 9) % len(users)]
        return Comment(
            target_type=target_type,
            target_id=target_id,
            space_type=space_type,
            space_id=process.pk,
            member_id=process.primary_member_id,
            parent=parent,
            depth=1 if parent else 0,
            author=author,
            body=body,
            body_html=f"<p>{escape(body)}</p>",
            created_at=run.now - datetime.timedelta(minutes=(total - i) * 90),
        )

    top = Comment.objects.bulk_create(
        [comment(space_type, process.pk) for _ in range(REAL_COMMENTS)]
        + [comment(task_type, tasks[i % len(tasks)].pk) for i in range(REAL_TASK_COMMENTS)]
    )
    replies = Comment.objects.bulk_create(
        comment(space_type, process.pk, parent=top[i * 3]) for i in range(REAL_REPLIES)
    )
    Input.objects.bulk_create(
        Input(
            space_type=space_type,
            space_id=process.pk,
            member_id=process.primary_member_id,
            source=Input.Source.COMMENT,
            comment=c,
            received_on=c.created_at.date(),
        )
        for c in top
    )
    return len(top) + len(replies)


def seed(run: seeding.BenchRun) -> None:
    users, members = run.shared["users"], run.shared["members"]
    import_catalogue(read_catalogue(CATALOGUE))
    real = list(Enabler.objects.all())
    profiles = _profiles()
    enablers = _enablers(run, profiles, run.scaled(600))
    run.counts["enablers"] = len(real) + len(enablers)
    run.counts["enabler_ratings"] = _ratings(run, real + enablers, users)
    run.log(
        f"enablers: {len(real)} of INTERLINK's catalogue and {len(enablers)} synthetic, "
        f"ratings: {run.counts['enabler_ratings']}"
    )

    processes = _processes(run, members, users[0], max(2, run.scaled(20)))
    teams = _teams(run, processes, users)
    items = resources = 0
    for index, process in enumerate(processes):
        shape = (PHASES, OBJECTIVES_PER_PHASE, TASKS) if index == 0 else SMALL
        tree = _tree(process, shape, teams[process.pk])
        tasks = [item for item in tree if item.kind == TreeItem.Kind.TASK]
        made = _resources(
            run, tasks, enablers, users[0], BIG_RESOURCES if index == 0 else SMALL_RESOURCES
        )
        items, resources = items + len(tree), resources + len(made)
        if index == 0:
            busy_task = tasks[0]
    run.counts["processes"], run.counts["process_items"] = len(processes), items
    run.counts["process_resources"] = resources
    run.log(f"processes: {len(processes)}, items: {items}, resources: {resources}")

    realistic = _realistic_process(run, members, users[len(users) // 2 :], users[0], real)
    run.counts["process_items"] += realistic["items"]
    run.counts["process_resources"] += realistic["resources"]
    run.counts["processes"] += 1
    run.counts["process_comments"] = realistic["comments"]
    run.log(
        f"process from the default schema: {realistic['items']} items "
        f"({realistic['tasks']} tasks), {realistic['resources']} resources, "
        f"{realistic['comments']} comments"
    )

    big, small = processes[0], processes[1]
    owner = next(team for team in teams[big.pk] if team.role == Team.Role.OWNER)
    busy_task.process = big
    run.named.update(
        {
            "coproduction_process_200": big.slug,
            "coproduction_process_10": small.slug,
            "coproduction_process_schema": REAL_SLUG,
            "coproduction_task": busy_task.get_absolute_url(),
            "coproduction_owner": owner.people.order_by("pk").first().email,
        }
    )


seeding.bench.register("coproduction", seed, needs=["accounts", "members"])
