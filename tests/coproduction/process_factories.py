"""Processes, their trees and teams for the tests of the co-production core, made through the
services (so that every row has what the services give it: teams, history, rules).

`world(people)` is a public process of `people.member`, created by its point of contact (the
owner), with a team member and an observer in teams of their own: the people of a permission
matrix on a process (`ROLES`, `who(...)`).
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory
from tests.people import ANONYMOUS, OFFICER, OGP_ADMIN, POINT_OF_CONTACT, USER
from use_cases.coproduction.models import ProblemProfile, Process, Schema, Team, TreeItem
from use_cases.coproduction.services import processes as process_services
from use_cases.coproduction.services import teams as team_services
from use_cases.coproduction.services import tree as tree_services

OWNER = "owner"  # in the process's owner team (its creator, point of contact of the member)
TEAM_MEMBER = "team_member"  # in a team whose role is "member"
OBSERVER = "observer"  # in a team whose role is "observer"
# Anonymous, plain user, observer, team member, owner, officer of an owning member (in no
# team), OGP admin.
ROLES = [ANONYMOUS, USER, OBSERVER, TEAM_MEMBER, OWNER, OFFICER, OGP_ADMIN]


def _translations(text: str) -> dict:
    return {"en": text, "it": f"{text} (it)"}


def schema_entry(key: str, name: str, *, prerequisites=(), profiles=(), **children) -> dict:
    """One phase, objective or task in the source's shape."""
    entry = {
        "id": key,
        "name_translations": _translations(name),
        "description_translations": _translations(f"About {name}."),
        "prerequisites": [{"item": other, "type": "previous"} for other in prerequisites],
    }
    if profiles is not None:
        entry["problemprofiles"] = list(profiles)
    entry.update(children)
    return entry


def small_schema(key: str = "small") -> Schema:
    """Two phases listed in the wrong order (as the source does), the second waiting for the
    first; two objectives and three tasks, with prerequisites and problem profiles."""
    ProblemProfile.objects.get_or_create(
        key="ORG_PROBLEM_4", defaults={"name_translations": _translations("Communication")}
    )
    phases = [
        schema_entry(
            "phase-design",
            "Design",
            prerequisites=["phase-engage"],
            profiles=None,
            objectives=[
                schema_entry(
                    "objective-ideation",
                    "Ideation",
                    tasks=[schema_entry("task-brainstorm", "Organise a brainstorming")],
                )
            ],
        ),
        schema_entry(
            "phase-engage",
            "Engage",
            profiles=None,
            objectives=[
                schema_entry(
                    "objective-identify",
                    "Identify stakeholders",
                    tasks=[
                        schema_entry(
                            "task-understand", "Understand the stakeholders", profiles=["X_404"]
                        ),
                        schema_entry(
                            "task-contacts",
                            "Create a contact list",
                            prerequisites=["task-understand"],
                            profiles=["ORG_PROBLEM_4"],
                        ),
                    ],
                )
            ],
        ),
    ]
    return Schema.objects.create(
        key=key,
        name_translations=_translations("A small schema"),
        description_translations=_translations("Engage, then design."),
        phases=phases,
    )


def create_process(creator, member, *, schema=None, visibility="public", name="Better buses"):
    return process_services.process_create(
        actor=creator,
        name=name,
        description="Co-design the bus network with the people who ride it.",
        languages=["en"],
        owner_members=[member],
        visibility=visibility,
        schema=schema,
    )


def add_item(actor, process, parent=None, name="Item", **fields) -> TreeItem:
    return tree_services.item_create(
        actor=actor, process=process, parent=parent, name=name, **fields
    )


def add_team(actor, process, role, *people, name=None) -> Team:
    team = team_services.team_create(
        actor=actor,
        process=process,
        name=name or f"Team {role}",
        kind=Team.Kind.CITIZENS,
        role=role,
    )
    for person in people:
        team_services.team_add_person(actor=actor, team=team, user=person)
    return team


@dataclass
class World:
    process: Process
    owner: object
    member: object
    observer: object
    phase: TreeItem
    objective: TreeItem
    task: TreeItem
    second_task: TreeItem

    def person(self, people, role):
        if role == OWNER:
            return self.owner
        if role == TEAM_MEMBER:
            return self.member
        if role == OBSERVER:
            return self.observer
        return people[role]


def world(people, *, visibility="public") -> World:
    """A process of `people.member` with a phase, an objective and two tasks, the second
    waiting for the first."""
    owner = people[POINT_OF_CONTACT]
    process = create_process(owner, people.member, visibility=visibility)
    team_member, observer = UserFactory(), UserFactory()
    add_team(owner, process, Team.Role.MEMBER, team_member, name="Riders")
    add_team(owner, process, Team.Role.OBSERVER, observer, name="Watchers")
    phase = add_item(owner, process, name="Engage")
    objective = add_item(owner, process, phase, name="Identify stakeholders")
    task = add_item(owner, process, objective, name="Map the stakeholders")
    second = add_item(owner, process, objective, name="Invite them", prerequisites=[task])
    return World(process, owner, team_member, observer, phase, objective, task, second)


def sign_in(client, people, w: World, role):
    person = w.person(people, role)
    if not isinstance(person, AnonymousUser):
        client.force_login(person)
    return person
