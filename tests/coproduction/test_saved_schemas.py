"""Saving a process's tree as a schema: the source's shape (identifiers, prerequisites by
identifier, problem profiles), a schema others start processes from, the refusals, and the
owners' page with its permission matrix."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.coproduction.process_factories import (
    OBSERVER,
    OWNER,
    ROLES,
    TEAM_MEMBER,
    add_item,
    create_process,
    sign_in,
    small_schema,
    world,
)
from tests.factories import UserFactory
from tests.people import ANONYMOUS, OGP_ADMIN, POINT_OF_CONTACT
from use_cases.coproduction.models import ProblemProfile, Schema, TreeItem
from use_cases.coproduction.models.catalogue import Origin
from use_cases.coproduction.services import tree as tree_services
from use_cases.coproduction.services.schemas import schema_save_from_process

pytestmark = pytest.mark.django_db

MANAGERS = {OWNER, OGP_ADMIN}


def outline(process) -> list[tuple]:
    """The tree as (kind, name, parent's name, prerequisites' names, problem profile keys), in
    the tree's order."""
    items = TreeItem.objects.filter(process=process).prefetch_related(
        "prerequisites", "problem_profiles"
    )
    children = {}
    for item in sorted(items, key=lambda item: (item.position, item.pk)):
        children.setdefault(item.parent_id, []).append(item)

    def walk(parent_id, parent_name):
        for item in children.get(parent_id, ()):
            yield (
                item.kind,
                item.name,
                parent_name,
                sorted(p.name for p in item.prerequisites.all()),
                sorted(p.key for p in item.problem_profiles.all()),
            )
            yield from walk(item.pk, item.name)

    return list(walk(None, None))


@pytest.fixture
def process(people):
    """A process from the small schema, with a task added in the process (no identifier) that
    waits for a schema task and faces a problem profile."""
    owner = people[POINT_OF_CONTACT]
    process = create_process(owner, people.member, schema=small_schema(), name="Bus stops")
    objective = TreeItem.objects.get(process=process, key="objective-identify")
    contacts = TreeItem.objects.get(process=process, key="task-contacts")
    add_item(
        owner,
        process,
        objective,
        name="Invite the stakeholders",
        prerequisites=[contacts],
        problem_profiles=[ProblemProfile.objects.get(key="ORG_PROBLEM_4")],
    )
    return process


def test_a_saved_schema_holds_the_tree_in_the_sources_shape(people, process):
    owner = people[POINT_OF_CONTACT]
    schema = schema_save_from_process(
        actor=owner, process=process, name="Bus stops, as we ran it", description="Two phases."
    )
    assert schema.key == "saved-bus-stops-as-we-ran-it"
    assert schema.origin == Origin.SAVED
    assert (schema.created_by, schema.created_from) == (owner, process)
    assert schema.name_translations == {"en": "Bus stops, as we ran it"}
    assert schema.description_translations == {"en": "Two phases."}
    engage, design = schema.phases
    assert [engage["id"], design["id"]] == ["phase-engage", "phase-design"]
    assert design["prerequisites"] == [{"item": "phase-engage", "type": "previous"}]
    (identify,) = engage["objectives"]
    understand, contacts, invite = identify["tasks"]
    assert understand["id"] == "task-understand"
    assert contacts == {
        "id": "task-contacts",
        "name_translations": {"en": "Create a contact list"},
        "description_translations": {"en": "About Create a contact list."},
        "prerequisites": [{"item": "task-understand", "type": "previous"}],
        "problemprofiles": ["ORG_PROBLEM_4"],
    }
    # An item added in the process gets an identifier made from its kind and name.
    assert invite["id"] == "task-invite-the-stakeholders"
    assert invite["prerequisites"] == [{"item": "task-contacts", "type": "previous"}]
    assert invite["description_translations"] == {}


def test_a_process_started_from_a_saved_schema_has_the_same_tree(people, process):
    owner = people[POINT_OF_CONTACT]
    schema = schema_save_from_process(actor=owner, process=process, name="Bus stops again")
    again = create_process(owner, people.member, schema=schema, name="Tram stops")
    assert outline(again) == outline(process)
    assert again.schema == schema


def test_saved_schemas_are_offered_with_the_imported_ones(client, people, process):
    schema_save_from_process(actor=people[POINT_OF_CONTACT], process=process, name="Bus stops")
    client.force_login(people[POINT_OF_CONTACT])
    form = client.get(reverse("coproduction:process_create")).content.decode()
    assert "A small schema" in form and "Bus stops" in form
    assert "Bus stops" in client.get(reverse("coproduction:schemas")).content.decode()


def test_identifiers_stay_unique_in_the_schema(people):
    """Two added tasks of the same name, and a name already a schema identifier."""
    owner = people[POINT_OF_CONTACT]
    process = create_process(owner, people.member)
    phase = add_item(owner, process, name="Engage")
    objective = add_item(owner, process, phase, name="Listen")
    add_item(owner, process, objective, name="Walk the route")
    add_item(owner, process, objective, name="Walk the route")
    schema = schema_save_from_process(actor=owner, process=process, name="Walks")
    tasks = schema.phases[0]["objectives"][0]["tasks"]
    assert [task["id"] for task in tasks] == ["task-walk-the-route", "task-walk-the-route-2"]


def test_two_schemas_of_the_same_name_get_their_own_identifiers(people, process):
    owner = people[POINT_OF_CONTACT]
    first = schema_save_from_process(actor=owner, process=process, name="Bus stops")
    second = schema_save_from_process(actor=owner, process=process, name="Bus stops")
    assert (first.key, second.key) == ("saved-bus-stops", "saved-bus-stops-2")


def test_a_process_without_a_phase_cannot_be_saved(people):
    owner = people[POINT_OF_CONTACT]
    process = create_process(owner, people.member)
    with pytest.raises(ValidationError, match="no phase yet"):
        schema_save_from_process(actor=owner, process=process, name="Nothing")
    assert not Schema.objects.filter(origin=Origin.SAVED).exists()


@pytest.mark.parametrize("name", ["", "   ", "Two\nlines"])
def test_a_schema_needs_a_one_line_name(people, process, name):
    with pytest.raises(ValidationError) as refused:
        schema_save_from_process(actor=people[POINT_OF_CONTACT], process=process, name=name)
    assert "name" in refused.value.error_dict


@pytest.mark.parametrize("role", [ANONYMOUS, OBSERVER, TEAM_MEMBER])
def test_only_owners_save_a_schema(people, role):
    w = world(people)
    with pytest.raises(PermissionDenied):
        schema_save_from_process(actor=w.person(people, role), process=w.process, name="Mine")


def test_the_schema_keeps_the_tree_as_it_was_when_saved(people, process):
    """Later changes to the process do not reach the schema."""
    owner = people[POINT_OF_CONTACT]
    schema = schema_save_from_process(actor=owner, process=process, name="Bus stops")
    task = TreeItem.objects.get(process=process, key="task-understand")
    tree_services.item_update(actor=owner, item=task, name="Renamed since")
    schema.refresh_from_db()
    names = [t["name_translations"]["en"] for t in schema.phases[0]["objectives"][0]["tasks"]]
    assert "Renamed since" not in names


# --- The owners' page ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_saving_as_a_schema_permissions(client, people, role):
    """Owners and OGP admins open the page and save the tree; anyone else is refused,
    anonymous visitors are sent to sign in."""
    w = world(people)
    sign_in(client, people, w, role)
    url = reverse("coproduction:save_as_schema", args=[w.process.slug])
    page = client.get(url)
    response = client.post(url, {"name": "Better buses, our way", "description": ""})
    saved = Schema.objects.filter(origin=Origin.SAVED)
    if role in MANAGERS:
        assert page.status_code == 200
        assert "phases: 1, objectives: 1, tasks: 2" in page.content.decode()
        assert response.status_code == 302
        assert response["Location"] == w.process.get_absolute_url()
        assert saved.get().created_by == w.person(people, role)
    else:
        expected = 302 if role == ANONYMOUS else 403
        assert page.status_code == response.status_code == expected
        assert not saved.exists()


def test_the_page_keeps_what_was_typed_when_the_tree_is_empty(client, people):
    owner = people[POINT_OF_CONTACT]
    process = create_process(owner, people.member)
    client.force_login(owner)
    response = client.post(
        reverse("coproduction:save_as_schema", args=[process.slug]),
        {"name": "Empty", "description": "Nothing to see."},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "build its tree before saving it as a schema" in html
    assert "Nothing to see." in html


def test_a_hidden_process_is_not_found(client, people):
    w = world(people, visibility="team")
    client.force_login(UserFactory())
    url = reverse("coproduction:save_as_schema", args=[w.process.slug])
    assert client.get(url).status_code == 404
