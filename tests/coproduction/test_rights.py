"""Rights of teams on tree items (see, add, delete resources): granted to a team's group through
django-guardian with an audit row, inherited down the tree, every right for owners, seeing for
everyone on a public process; read for a whole process in a constant number of queries."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ogp_platform.audit.models import ObjectRoleChange
from tests.coproduction.process_factories import OBSERVER, OWNER, add_item
from tests.coproduction.team_world import MEMBER_WITH_RIGHT, MEMBER_WITHOUT_RIGHT, team_world
from tests.people import ANONYMOUS, OFFICER, OGP_ADMIN, USER
from tests.queries import assert_queries_constant
from use_cases.coproduction import policies
from use_cases.coproduction.models import Team, TreeItem, TreeItemGroupObjectPermission
from use_cases.coproduction.permissions import (
    ADD_RESOURCES,
    DELETE_RESOURCES,
    VIEW_RESOURCES,
    ItemRights,
    Rights,
)
from use_cases.coproduction.services import teams as team_services

pytestmark = pytest.mark.django_db


def fresh(user):
    """The person as the next request sees them: nothing read yet."""
    return type(user).objects.get(pk=user.pk) if user.is_authenticated else user


@pytest.fixture
def w(people):
    return team_world(people)


def rights_of(people, w, role, item):
    return ItemRights(fresh(w.person(people, role)), w.process).of(item)


# --- Who holds what --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, on_task",
    [
        (ANONYMOUS, Rights(view=True, add=False, delete=False)),
        (USER, Rights(view=True, add=False, delete=False)),
        (OBSERVER, Rights(view=True, add=False, delete=False)),
        (MEMBER_WITHOUT_RIGHT, Rights(view=True, add=False, delete=False)),
        (MEMBER_WITH_RIGHT, Rights(view=True, add=True, delete=True)),
        (OWNER, Rights(view=True, add=True, delete=True)),
        (OFFICER, Rights(view=True, add=False, delete=False)),
        (OGP_ADMIN, Rights(view=True, add=True, delete=True)),
    ],
)
def test_rights_on_a_task_of_a_public_process(people, w, role, on_task):
    """Everyone sees the resources of a public process; the team member holds add and delete on
    the task through the phase they were granted on."""
    assert rights_of(people, w, role, w.task) == on_task
    assert rights_of(people, w, role, w.second_task) == on_task


@pytest.mark.parametrize(
    "role, view, add",
    [
        (USER, False, False),
        (OFFICER, False, False),
        (MEMBER_WITHOUT_RIGHT, False, False),
        (OBSERVER, True, False),
        (MEMBER_WITH_RIGHT, True, True),
        (OWNER, True, True),
        (OGP_ADMIN, True, True),
    ],
)
def test_on_a_process_visible_to_its_teams_seeing_resources_takes_the_right(
    people, role, view, add
):
    """The observers' team was allowed to see on the phase; the team member with add and
    delete sees too; a team without rights, and an officer in no team, see none."""
    w = team_world(people, visibility="team")
    rights = rights_of(people, w, role, w.task)
    assert (rights.view, rights.add) == (view, add)
    assert policies.can_view_resources(fresh(w.person(people, role)), w.task) is view


def test_a_right_holds_below_where_it_is_granted_not_above(people, w):
    """Granted on the objective, a right holds on its tasks but not on its phase or on another
    objective's tasks."""
    other_objective = add_item(w.owner, w.process, w.phase, name="Reach out")
    other_task = add_item(w.owner, w.process, other_objective, name="Write to them")
    team_services.rights_grant(
        actor=w.owner, team=w.helpers, item=w.objective, permission=ADD_RESOURCES
    )
    rights = ItemRights(fresh(w.helper), w.process)
    assert rights.can(ADD_RESOURCES, w.task)
    assert rights.can(ADD_RESOURCES, w.second_task)
    assert rights.can(ADD_RESOURCES, w.objective)
    assert not rights.can(ADD_RESOURCES, w.phase)
    assert not rights.can(ADD_RESOURCES, other_task)
    assert not rights.can(DELETE_RESOURCES, w.task)


def test_leaving_the_team_takes_its_rights_away(people, w):
    assert ItemRights(fresh(w.member), w.process).can(ADD_RESOURCES, w.task)
    team_services.team_remove_person(actor=w.owner, team=w.riders, user=w.member)
    assert not ItemRights(fresh(w.member), w.process).can(ADD_RESOURCES, w.task)


def test_an_item_of_another_process_holds_no_right(people, w):
    other = team_world(people.of(member=people.member)).process
    other_task = TreeItem.objects.filter(process=other, kind="task").first()
    assert not ItemRights(fresh(w.owner), w.process).can(VIEW_RESOURCES, other_task)


def test_an_unknown_permission_is_a_programming_error(people, w):
    with pytest.raises(ValueError):
        ItemRights(fresh(w.owner), w.process).can("coproduction.change_treeitem", w.task)


# --- Granting and revoking -------------------------------------------------------------------


def test_a_grant_is_a_guardian_group_permission_with_an_audit_row(people, w):
    assert team_services.rights_grant(
        actor=w.owner, team=w.helpers, item=w.phase, permission=VIEW_RESOURCES
    )
    row = TreeItemGroupObjectPermission.objects.get(group=w.helpers.group, content_object=w.phase)
    assert row.permission.codename == "view_resources"
    change = ObjectRoleChange.objects.latest("pk")
    assert (change.user, change.group, change.granted, change.changed_by) == (
        None,
        w.helpers.group,
        True,
        w.owner,
    )
    assert change.group_name == f"Helpers ({w.process.name})"
    assert (change.permission, change.object_pk) == (VIEW_RESOURCES, str(w.phase.pk))
    # Granting it again changes and records nothing.
    count = ObjectRoleChange.objects.count()
    assert not team_services.rights_grant(
        actor=w.owner, team=w.helpers, item=w.phase, permission=VIEW_RESOURCES
    )
    assert ObjectRoleChange.objects.count() == count


def test_a_revocation_is_recorded_and_keeps_what_is_granted_above(people, w):
    """Revoking on the task what the team holds through the phase changes nothing."""
    assert not team_services.rights_revoke(
        actor=w.owner, team=w.riders, item=w.task, permission=ADD_RESOURCES
    )
    assert ItemRights(fresh(w.member), w.process).can(ADD_RESOURCES, w.task)
    assert team_services.rights_revoke(
        actor=w.owner, team=w.riders, item=w.phase, permission=ADD_RESOURCES
    )
    assert not ItemRights(fresh(w.member), w.process).can(ADD_RESOURCES, w.task)
    change = ObjectRoleChange.objects.latest("pk")
    assert (change.granted, change.group, change.object_pk) == (
        False,
        w.riders.group,
        str(w.phase.pk),
    )


def test_owner_and_observer_teams_are_refused_what_they_cannot_hold(people, w):
    owners = Team.objects.get(process=w.process, role=Team.Role.OWNER)
    with pytest.raises(ValidationError, match="owners hold every right already"):
        team_services.rights_grant(
            actor=w.owner, team=owners, item=w.phase, permission=ADD_RESOURCES
        )
    with pytest.raises(ValidationError, match="may be allowed to see"):
        team_services.rights_grant(
            actor=w.owner, team=w.watchers, item=w.phase, permission=ADD_RESOURCES
        )


def test_only_owners_grant_rights(people, w):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        team_services.rights_grant(
            actor=w.member, team=w.riders, item=w.task, permission=VIEW_RESOURCES
        )


def test_rights_of_a_removed_team_are_revoked_with_their_records(people, w):
    group = w.riders.group
    team_services.team_remove(actor=w.owner, team=w.riders)
    assert not TreeItemGroupObjectPermission.objects.filter(group_id=group.pk).exists()
    revoked = ObjectRoleChange.objects.filter(granted=False, group_name__startswith="Riders")
    assert sorted(revoked.values_list("permission", flat=True)) == [
        ADD_RESOURCES,
        DELETE_RESOURCES,
    ]
    assert not ItemRights(fresh(w.member), w.process).can(ADD_RESOURCES, w.task)


def test_rights_go_with_a_removed_item(people, w):
    """The grants have a real foreign key to the item: removing a phase removes them."""
    from use_cases.coproduction.services import tree as tree_services

    tree_services.item_delete(actor=w.owner, item=w.phase)
    assert not TreeItemGroupObjectPermission.objects.filter(content_object_id=w.phase.pk).exists()


# --- The rights page -------------------------------------------------------------------------


def test_the_rights_page_shows_what_is_inherited_and_saves_what_changes(client, people, w):
    client.force_login(w.owner)
    url = reverse("coproduction:item_rights", args=[w.process.slug, w.task.pk])
    page = client.get(url)
    html = page.content.decode()
    assert "Holds it through" in html
    riders = next(row for row in page.context["rows"] if row["team"] == w.riders)
    add_cell = next(cell for cell in riders["cells"] if cell["permission"] == ADD_RESOURCES)
    assert [item.pk for item in add_cell["inherited_from"]] == [w.phase.pk]
    assert not add_cell["checked"]
    watchers = next(row for row in page.context["rows"] if row["team"] == w.watchers)
    assert [cell["grantable"] for cell in watchers["cells"]] == [True, False, False]

    response = client.post(
        url, {"granted": [f"{w.helpers.pk}:view_resources", f"{w.helpers.pk}:add_resources"]}
    )
    assert response.status_code == 302
    assert ItemRights(fresh(w.helper), w.process).can(ADD_RESOURCES, w.task)
    assert not ItemRights(fresh(w.helper), w.process).can(ADD_RESOURCES, w.second_task)
    # Saving again without them revokes them, with their records.
    client.post(url, {"granted": []})
    assert not ItemRights(fresh(w.helper), w.process).can(ADD_RESOURCES, w.task)
    assert ObjectRoleChange.objects.filter(granted=False, object_pk=str(w.task.pk)).count() == 2


def test_a_right_an_observer_team_cannot_hold_is_refused_with_a_message(client, people, w):
    client.force_login(w.owner)
    url = reverse("coproduction:item_rights", args=[w.process.slug, w.task.pk])
    response = client.post(url, {"granted": [f"{w.watchers.pk}:delete_resources"]})
    assert response.status_code == 200
    assert "cannot be granted to that team" in response.content.decode()
    assert not TreeItemGroupObjectPermission.objects.filter(content_object=w.task).exists()


def test_the_teams_page_maps_the_rights_for_owners(client, people, w):
    client.force_login(w.owner)
    response = client.get(reverse("coproduction:teams", args=[w.process.slug]))
    overview = response.context["overview"]
    assert [row["item"].pk for row in overview][:3] == [w.phase.pk, w.objective.pk, w.task.pk]
    phase_row = overview[0]
    assert [(team.name, labels) for team, labels in phase_row["granted"]] == [
        ("Riders", ["Add resources", "Delete resources"]),
        ("Watchers", ["See resources"]),
    ]
    client.force_login(w.member)
    assert (
        "overview" not in client.get(reverse("coproduction:teams", args=[w.process.slug])).context
    )


# --- Queries ---------------------------------------------------------------------------------


def _grow(w, count):
    """Items under the objective until the process has `count` of them, with grants spread
    over some, to the team of the person whose rights are read."""
    process = w.process
    existing = TreeItem.objects.filter(process=process).count()
    created = TreeItem.objects.bulk_create(
        TreeItem(process=process, parent=w.objective, kind="task", name=f"Task {n}", position=n)
        for n in range(existing, count)
    )
    for item in created[::25]:
        team_services.rights_grant(
            actor=w.owner, team=w.riders, item=item, permission=VIEW_RESOURCES
        )
    return process


@pytest.mark.parametrize("role", [MEMBER_WITH_RIGHT, USER, ANONYMOUS, OWNER])
def test_item_rights_cost_the_same_for_10_or_200_items(people, w, role):
    """Every item's rights read at once: the person's team roles and platform roles, the
    items, their own grants and their groups' grants, whatever the number of items."""
    person = w.person(people, role)

    def sized(count):
        def setup():
            process = _grow(w, count)
            return fresh(person), process, list(TreeItem.objects.filter(process=process))

        return setup

    def read(prepared):
        user, process, items = prepared
        rights = ItemRights(user, process)
        return [rights.of(item) for item in items]

    count = assert_queries_constant(read, sized(10), sized(200))
    assert count <= 6
    user, process, items = sized(200)()
    assert len(items) == 200
    expected = role in (MEMBER_WITH_RIGHT, OWNER)
    assert all(rights.delete is expected for rights in read((user, process, items))[3:])
