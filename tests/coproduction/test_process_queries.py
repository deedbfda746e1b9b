"""The process page costs the same number of queries for a tree of about 10 items as for one
of about 200, and for 5 resources as for 100; so does the list of processes for 3 processes
or 30, and a task's page for 5 resources or 100."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.coproduction.process_factories import add_team, create_process
from tests.factories import UserFactory
from tests.members.factories import MemberRoleFactory
from tests.queries import assert_queries_constant, get_ok
from use_cases.coproduction.models import Process, Resource, Schema, Team, TreeItem
from use_cases.coproduction.services import tree as tree_services

pytestmark = pytest.mark.django_db

MAX_QUERIES = 40

ROLES = ["anonymous", "owner", "team_member"]


@pytest.fixture(autouse=True)
def _warm(no_page_cache):
    """Content types are cached for the life of a process; a running server read them long
    before the page counted."""
    ContentType.objects.get_for_models(Process, TreeItem, Resource)


def _schema(key: str, phases: int, tasks: int) -> Schema:
    """`phases` phases of two objectives of `tasks` tasks, each task after the one before."""

    def entry(key, **more):
        return {"id": key, "name_translations": {"en": key}, "prerequisites": [], **more}

    shape = []
    for p in range(phases):
        objectives = []
        for o in range(2):
            keys = [f"task-{p}-{o}-{t}" for t in range(tasks)]
            objectives.append(
                entry(
                    f"objective-{p}-{o}",
                    tasks=[
                        entry(k, prerequisites=[{"item": keys[i - 1]}] if i else [])
                        for i, k in enumerate(keys)
                    ],
                )
            )
        shape.append(entry(f"phase-{p}", objectives=objectives))
    return Schema.objects.get_or_create(
        key=key, defaults={"name_translations": {"en": key}, "phases": shape}
    )[0]


def build(owner, member, *, phases, tasks, resources):
    """A process from a schema of that size, a responsible team on every task, the first task
    finished, and `resources` links spread over the tasks."""
    process = create_process(
        owner, member, schema=_schema(f"s-{phases}-{tasks}", phases, tasks), name="Sized"
    )
    team = process.teams.get(role=Team.Role.OWNER)
    process.items.filter(kind="task").update(responsible_team=team)
    first = process.items.filter(kind="task").order_by("pk").first()
    tree_services.task_set_status(actor=owner, task=first, status="finished")
    task_ids = list(process.items.filter(kind="task").values_list("pk", flat=True))
    Resource.objects.bulk_create(
        Resource(
            task_id=task_ids[n % len(task_ids)],
            kind="link",
            title=f"Link {n}",
            url=f"https://example.org/{n}",
            created_by=owner,
        )
        for n in range(resources)
    )
    return process


def _people(client, role, member):
    owner = MemberRoleFactory(member=member, role="point_of_contact").user
    worker = UserFactory()
    if role == "owner":
        client.force_login(owner)
    elif role == "team_member":
        client.force_login(worker)
    return owner, worker


@pytest.mark.parametrize("role", ROLES)
def test_process_page_queries_do_not_grow(client, people, role):
    owner, worker = _people(client, role, people.member)
    processes = []
    for phases, tasks, resources in ((1, 4, 5), (4, 23, 100)):
        process = build(owner, people.member, phases=phases, tasks=tasks, resources=resources)
        add_team(owner, process, Team.Role.MEMBER, worker, name="Workers")
        processes.append(process)
    small, large = processes
    assert small.items.count() <= 12 and large.items.count() >= 190
    count = assert_queries_constant(
        lambda process: get_ok(client, process.get_absolute_url()), small, large
    )
    assert count <= MAX_QUERIES


@pytest.mark.parametrize("role", ROLES)
def test_task_page_queries_do_not_grow(client, people, role):
    owner, worker = _people(client, role, people.member)
    tasks = []
    for resources in (5, 100):
        process = build(owner, people.member, phases=1, tasks=1, resources=0)
        add_team(owner, process, Team.Role.MEMBER, worker, name="Workers")
        task = process.items.filter(kind="task").first()
        Resource.objects.bulk_create(
            Resource(
                task=task, kind="link", title=f"L{n}", url="https://example.org", created_by=owner
            )
            for n in range(resources)
        )
        tasks.append(task)
    count = assert_queries_constant(lambda task: get_ok(client, task.get_absolute_url()), *tasks)
    assert count <= MAX_QUERIES


def test_the_list_queries_do_not_grow(client, people):
    owner = MemberRoleFactory(member=people.member, role="point_of_contact").user

    def processes(count):
        def make():
            for _ in range(count):
                build(owner, people.member, phases=1, tasks=2, resources=1)
            return reverse("coproduction:processes")

        return make

    count = assert_queries_constant(lambda url: get_ok(client, url), processes(3), processes(27))
    assert count <= 15
