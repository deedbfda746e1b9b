"""The people of the teams-and-rights permission matrices, on top of `process_factories.world`:
a team member whose team holds the rights to add and delete resources on the phase (so on its
tasks, by inheritance), and one whose team holds none; a resource (a link) on the task."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from tests.coproduction.process_factories import OBSERVER, OWNER, TEAM_MEMBER, World, add_team
from tests.coproduction.process_factories import world as process_world
from tests.factories import UserFactory
from tests.people import ANONYMOUS, OFFICER, OGP_ADMIN, USER
from use_cases.coproduction.models import Resource, Team
from use_cases.coproduction.permissions import ADD_RESOURCES, DELETE_RESOURCES, VIEW_RESOURCES
from use_cases.coproduction.services import resources as resource_services
from use_cases.coproduction.services import teams as team_services

# In a team of role "member" with no right on any item.
MEMBER_WITHOUT_RIGHT = "member_without_right"
# TEAM_MEMBER of process_factories: in "Riders", which holds add and delete on the phase.
MEMBER_WITH_RIGHT = TEAM_MEMBER
ROLES = [
    ANONYMOUS,
    USER,
    OBSERVER,
    MEMBER_WITHOUT_RIGHT,
    MEMBER_WITH_RIGHT,
    OWNER,
    OFFICER,
    OGP_ADMIN,
]
MANAGERS = {OWNER, OGP_ADMIN}


@dataclass
class TeamWorld:
    base: World
    riders: Team
    watchers: Team
    helpers: Team
    helper: object
    resource: Resource

    def __getattr__(self, name):
        return getattr(self.base, name)

    def person(self, people, role):
        if role == MEMBER_WITHOUT_RIGHT:
            return self.helper
        return self.base.person(people, role)


def team_world(people, *, visibility="public") -> TeamWorld:
    base = process_world(people, visibility=visibility)
    owner, process = base.owner, base.process
    riders = Team.objects.get(process=process, name="Riders")
    watchers = Team.objects.get(process=process, name="Watchers")
    helper = UserFactory()
    helpers = add_team(owner, process, Team.Role.MEMBER, helper, name="Helpers")
    for permission in (ADD_RESOURCES, DELETE_RESOURCES):
        team_services.rights_grant(actor=owner, team=riders, item=base.phase, permission=permission)
    team_services.rights_grant(
        actor=owner, team=watchers, item=base.phase, permission=VIEW_RESOURCES
    )
    resource = resource_services.resource_add_link(
        actor=owner, task=base.task, title="Bus timetables", url="https://example.org/times"
    )
    return TeamWorld(base, riders, watchers, helpers, helper, resource)


def sign_in(client, people, w: TeamWorld, role):
    person = w.person(people, role)
    if not isinstance(person, AnonymousUser):
        client.force_login(person)
    return person


def assert_refused(response, role):
    """Anonymous visitors are sent to sign in; everyone else without the right gets 403."""
    if role == ANONYMOUS:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403
