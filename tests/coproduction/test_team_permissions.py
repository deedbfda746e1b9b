"""Permission matrix of every state-changing view of teams, rights and resources: anonymous,
plain user, observer, team member with and without the right, owner, officer of the owning
member (in no team), OGP admin. The process is public, so people without the right get 403,
not 404; anonymous visitors are sent to sign in. A right granted on the phase applies to its
tasks: the team member with the right holds it through the phase only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ogp_platform.audit.models import ObjectRoleChange
from tests.coproduction.team_world import (
    MANAGERS,
    MEMBER_WITH_RIGHT,
    ROLES,
    assert_refused,
    sign_in,
    team_world,
)
from tests.factories import UserFactory
from tests.members.factories import OrganisationFactory
from use_cases.coproduction.models import Enabler, Resource, Team
from use_cases.coproduction.services import teams as team_services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
# Those who add and delete resources on the task: owners, OGP admins, and the team member
# whose team holds the rights on the phase above it.
RESOURCE_EDITORS = MANAGERS | {MEMBER_WITH_RIGHT}


@pytest.fixture
def w(people):
    return team_world(people)


def _url(name, w, *args):
    return reverse(f"coproduction:{name}", args=[w.process.slug, *args])


def _outcome(response, role, allowed, changed):
    if allowed:
        assert response.status_code == 302, response.status_code
        assert changed
    else:
        assert_refused(response, role)
        assert not changed


# --- Teams -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_team(client, people, w, role):
    sign_in(client, people, w, role)
    response = client.post(
        _url("teams", w), {"name": "Drivers", "kind": "public_administration", "role": "member"}
    )
    created = Team.objects.filter(process=w.process, name="Drivers").exists()
    _outcome(response, role, role in MANAGERS, created)


@pytest.mark.parametrize("role", ROLES)
def test_the_teams_page_shows_the_form_to_owners_only(client, people, w, role):
    """Everyone who may read the process reads its teams; only owners see the form."""
    sign_in(client, people, w, role)
    response = client.get(_url("teams", w))
    assert response.status_code == 200
    assert (response.context["form"] is not None) is (role in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_person_to_a_team(client, people, w, role):
    newcomer = UserFactory(email="newcomer@example.org")
    sign_in(client, people, w, role)
    response = client.post(
        _url("team_person_add", w, w.helpers.pk), {"person-email": "newcomer@example.org"}
    )
    added = w.helpers.people.filter(pk=newcomer.pk).exists()
    _outcome(response, role, role in MANAGERS, added)
    assert w.helpers.group.user_set.filter(pk=newcomer.pk).exists() is added


@pytest.mark.parametrize("role", ROLES)
def test_taking_a_person_out_of_a_team(client, people, w, role):
    sign_in(client, people, w, role)
    response = client.post(_url("team_person_remove", w, w.helpers.pk, w.helper.pk))
    gone = not w.helpers.people.filter(pk=w.helper.pk).exists()
    _outcome(response, role, role in MANAGERS, gone)


@pytest.mark.parametrize("role", ROLES)
def test_naming_an_organisation_in_a_team(client, people, w, role):
    organisation = OrganisationFactory(name="Bus Riders Union")
    sign_in(client, people, w, role)
    response = client.post(
        _url("team_organisation_add", w, w.helpers.pk),
        {"organisation-organisation": "Bus Riders Union"},
    )
    added = w.helpers.organisations.filter(pk=organisation.pk).exists()
    _outcome(response, role, role in MANAGERS, added)


@pytest.mark.parametrize("role", ROLES)
def test_taking_an_organisation_out_of_a_team(client, people, w, role):
    organisation = OrganisationFactory()
    team_services.team_add_organisation(actor=w.owner, team=w.helpers, organisation=organisation)
    sign_in(client, people, w, role)
    response = client.post(_url("team_organisation_remove", w, w.helpers.pk, organisation.pk))
    gone = not w.helpers.organisations.filter(pk=organisation.pk).exists()
    _outcome(response, role, role in MANAGERS, gone)


@pytest.mark.parametrize("role", ROLES)
def test_removing_a_team(client, people, w, role):
    sign_in(client, people, w, role)
    page = client.get(_url("team_remove", w, w.helpers.pk))
    response = client.post(_url("team_remove", w, w.helpers.pk))
    gone = not Team.objects.filter(pk=w.helpers.pk).exists()
    _outcome(response, role, role in MANAGERS, gone)
    if role in MANAGERS:
        assert page.status_code == 200
    else:
        assert_refused(page, role)


# --- Rights ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_granting_rights_on_an_item(client, people, w, role):
    """Only owners open an item's rights page and save it; a refused post changes and records
    nothing."""
    sign_in(client, people, w, role)
    before = ObjectRoleChange.objects.count()
    page = client.get(_url("item_rights", w, w.objective.pk))
    response = client.post(
        _url("item_rights", w, w.objective.pk), {"granted": [f"{w.helpers.pk}:add_resources"]}
    )
    changed = ObjectRoleChange.objects.count() != before
    _outcome(response, role, role in MANAGERS, changed)
    if role in MANAGERS:
        assert page.status_code == 200
    else:
        assert_refused(page, role)


# --- Resources -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["link", "file", "enabler"])
def test_adding_a_resource(client, people, w, role, kind):
    """Adding a link, a file or an enabler takes the right to add on the task or above it."""
    Enabler.objects.create(key="personas", kind="knowledge", name_translations={"en": "Personas"})
    data = {
        "link": {"title": "Survey results", "url": "https://example.org/survey"},
        "file": {
            "title": "Survey results",
            "file": SimpleUploadedFile("survey.pdf", PDF, "application/pdf"),
        },
        "enabler": {"enabler": "personas"},
    }[kind]
    sign_in(client, people, w, role)
    page = client.get(_url("resource_add", w, w.task.pk, kind))
    response = client.post(_url("resource_add", w, w.task.pk, kind), data)
    added = Resource.objects.filter(task=w.task, kind=kind).exclude(pk=w.resource.pk).exists()
    _outcome(response, role, role in RESOURCE_EDITORS, added)
    if role in RESOURCE_EDITORS:
        assert page.status_code == 200
    else:
        assert_refused(page, role)


@pytest.mark.parametrize("role", ROLES)
def test_deleting_a_resource(client, people, w, role):
    """Deleting takes the right to delete on the task or above it (here: on the phase)."""
    sign_in(client, people, w, role)
    page = client.get(_url("resource_delete", w, w.task.pk, w.resource.pk))
    response = client.post(_url("resource_delete", w, w.task.pk, w.resource.pk))
    gone = not Resource.objects.filter(pk=w.resource.pk).exists()
    _outcome(response, role, role in RESOURCE_EDITORS, gone)
    if role in RESOURCE_EDITORS:
        assert page.status_code == 200
    else:
        assert_refused(page, role)


def test_nothing_is_reachable_on_a_process_one_may_not_read(client, people):
    """On a process visible to its teams only, an outsider gets 404 everywhere, even on the
    forms: they do not learn it exists."""
    w = team_world(people, visibility="team")
    outsider = UserFactory()
    client.force_login(outsider)
    urls = [
        _url("teams", w),
        _url("team", w, w.helpers.pk),
        _url("team_remove", w, w.helpers.pk),
        _url("item_rights", w, w.phase.pk),
        _url("resource_add", w, w.task.pk, "link"),
        _url("resource", w, w.task.pk, w.resource.pk),
        _url("resource_delete", w, w.task.pk, w.resource.pk),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(_url("team_person_remove", w, w.helpers.pk, w.helper.pk)).status_code == 404
    assert Resource.objects.filter(pk=w.resource.pk).exists()
