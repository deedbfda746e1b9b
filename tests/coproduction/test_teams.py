"""A process's teams: created with a name, kind and role; people added by the address of their
account and kept equal to the team's group; organisations named; a process never left without
an owner; the pages that show and change them, and the team panel of the process page."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from ogp_platform.audit.models import PlatformRoleChange
from tests.coproduction.process_factories import add_item, add_team, create_process
from tests.coproduction.team_world import team_world
from tests.factories import UserFactory
from tests.members.factories import OrganisationFactory
from tests.people import OFFICER, POINT_OF_CONTACT
from tests.queries import assert_queries_constant
from use_cases.coproduction import policies
from use_cases.coproduction.models import Team, TreeItem
from use_cases.coproduction.selectors.teams import teams_of
from use_cases.coproduction.services import teams as team_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(people):
    return team_world(people)


def _owners(process):
    return Team.objects.get(process=process, role=Team.Role.OWNER)


# --- Creating and removing teams ----------------------------------------------------------


def test_a_new_process_has_an_owner_team_with_its_creator_in_its_group(people):
    creator = people[POINT_OF_CONTACT]
    process = create_process(creator, people.member)
    owners = _owners(process)
    assert list(owners.people.all()) == [creator]
    assert list(owners.group.user_set.all()) == [creator]
    assert policies.is_owner(type(creator).objects.get(pk=creator.pk), process)


def test_a_team_has_a_history_and_a_group_of_its_own(w):
    team = team_services.team_create(
        actor=w.owner, process=w.process, name="  Drivers  ", kind="for_profit", role="observer"
    )
    assert (team.name, team.kind, team.role) == ("Drivers", "for_profit", "observer")
    assert team.group_id not in {w.riders.group_id, w.helpers.group_id}
    record = team.history.get()
    assert (record.history_type, record.history_user) == ("+", w.owner)


@pytest.mark.parametrize("name", ["Riders", "riders", "RIDERS "])
def test_team_names_are_unique_in_a_process_as_people_read_them(w, name):
    with pytest.raises(ValidationError) as refused:
        team_services.team_create(
            actor=w.owner, process=w.process, name=name, kind="citizens", role="member"
        )
    assert "already has a team called" in str(refused.value.message_dict["name"])
    assert Team.objects.filter(process=w.process).count() == 4


def test_a_bad_team_keeps_what_was_typed_and_says_why(client, w):
    client.force_login(w.owner)
    response = client.post(
        reverse("coproduction:teams", args=[w.process.slug]),
        {"name": "Riders", "kind": "citizens", "role": "member"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "already has a team called “Riders”" in html
    assert 'value="Riders"' in html
    response = client.post(
        reverse("coproduction:teams", args=[w.process.slug]), {"name": "", "role": "member"}
    )
    assert "Give the team a name." in response.content.decode()
    assert "Choose the kind of team." in response.content.decode()


def test_removing_a_team_leaves_its_items_without_it_and_its_group_gone(w):
    w.task.responsible_team = w.helpers
    w.task.save(update_fields=["responsible_team"])
    group_pk, team_pk = w.helpers.group_id, w.helpers.pk
    team_services.team_remove(actor=w.owner, team=w.helpers)
    w.task.refresh_from_db()
    assert w.task.responsible_team is None
    assert w.task.history.latest().history_user == w.owner
    assert not Group.objects.filter(pk=group_pk).exists()
    assert Team.history.filter(id=team_pk, history_type="-").get().history_user == w.owner


def test_the_last_owner_team_cannot_be_removed(client, w):
    owners = _owners(w.process)
    with pytest.raises(ValidationError, match="last team of owners"):
        team_services.team_remove(actor=w.owner, team=owners)
    client.force_login(w.owner)
    response = client.post(reverse("coproduction:team_remove", args=[w.process.slug, owners.pk]))
    assert response.status_code == 400
    assert "last team of owners" in response.content.decode()
    assert Team.objects.filter(pk=owners.pk).exists()
    # With a second owner team that has someone in it, the first may go.
    add_team(w.owner, w.process, Team.Role.OWNER, UserFactory(), name="City council")
    team_services.team_remove(actor=w.owner, team=owners)
    assert not Team.objects.filter(pk=owners.pk).exists()


# --- People ----------------------------------------------------------------------------------


def test_people_are_added_by_address_and_kept_equal_to_the_group(client, w):
    newcomer = UserFactory(email="Rita.Rider@example.org", display_name="Rita Rider")
    client.force_login(w.owner)
    url = reverse("coproduction:team_person_add", args=[w.process.slug, w.helpers.pk])
    response = client.post(url, {"person-email": "rita.rider@EXAMPLE.org"})
    assert response.status_code == 302
    assert (
        set(w.helpers.people.all())
        == set(w.helpers.group.user_set.all())
        == {
            w.helper,
            newcomer,
        }
    )
    record = w.helpers.history.latest()
    assert record.history_user == w.owner
    assert newcomer.pk in [row.user_id for row in record.people.all()]
    # Adding them again changes nothing and says so.
    response = client.post(url, {"person-email": "rita.rider@example.org"}, follow=True)
    assert "was in Helpers already" in response.content.decode()

    remove = reverse(
        "coproduction:team_person_remove", args=[w.process.slug, w.helpers.pk, newcomer.pk]
    )
    client.post(remove)
    assert set(w.helpers.people.all()) == set(w.helpers.group.user_set.all()) == {w.helper}


def test_an_unknown_address_is_refused_with_a_clear_message(client, w):
    client.force_login(w.owner)
    response = client.post(
        reverse("coproduction:team_person_add", args=[w.process.slug, w.helpers.pk]),
        {"person-email": "nobody@example.org"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "No account has the address nobody@example.org" in html
    assert 'value="nobody@example.org"' in html
    assert list(w.helpers.people.all()) == [w.helper]


def test_a_closed_account_cannot_be_added(w):
    closed = UserFactory(email="closed@example.org", is_active=False)
    with pytest.raises(ValidationError):
        team_services.person_by_email("closed@example.org")
    with pytest.raises(ValidationError):
        team_services.team_add_person(actor=w.owner, team=w.helpers, user=closed)


def test_joining_a_team_is_no_platform_role_change(w):
    """The team's history records who joined; the log of platform roles stays for platform
    roles."""
    newcomer = UserFactory()
    team_services.team_add_person(actor=w.owner, team=w.helpers, user=newcomer)
    team_services.team_remove_person(actor=w.owner, team=w.helpers, user=newcomer)
    assert not PlatformRoleChange.objects.filter(user=newcomer).exists()


def test_the_last_owner_cannot_be_taken_out(client, w):
    owners = _owners(w.process)
    with pytest.raises(ValidationError, match="last owner of the process"):
        team_services.team_remove_person(actor=w.owner, team=owners, user=w.owner)
    client.force_login(w.owner)
    response = client.post(
        reverse("coproduction:team_person_remove", args=[w.process.slug, owners.pk, w.owner.pk]),
        follow=True,
    )
    assert "is the last owner of the process" in response.content.decode()
    assert owners.people.filter(pk=w.owner.pk).exists()
    # Once someone else owns it too, the first owner may leave (and then may no longer act).
    second = UserFactory()
    team_services.team_add_person(actor=w.owner, team=owners, user=second)
    team_services.team_remove_person(actor=w.owner, team=owners, user=w.owner)
    owner = type(w.owner).objects.get(pk=w.owner.pk)
    assert not policies.can_manage_teams(owner, w.process)
    with pytest.raises(PermissionDenied):
        team_services.team_add_person(actor=owner, team=owners, user=owner)


def test_an_owner_who_adds_themselves_is_seen_as_such_at_once(people):
    """The team roles read in the request are dropped when the person's teams change: the
    creator builds the first owner team, then acts as its owner."""
    creator = people[POINT_OF_CONTACT]
    process = create_process(creator, people.member)
    team = add_team(creator, process, Team.Role.MEMBER, name="Builders")
    assert policies.is_owner(creator, process)
    team_services.team_add_person(actor=creator, team=team, user=creator)
    assert policies.is_team_member(creator, process)


def test_only_the_creator_builds_the_first_owner_team(people):
    """While a process has no owner, its creator (and nobody else but OGP admins) may build
    the owner team; once it has one, the creator is an owner like any other."""
    creator, officer = people[POINT_OF_CONTACT], people[OFFICER]
    process = create_process(creator, people.member)
    _owners(process).people.clear()
    assert policies.can_manage_teams(creator, process)
    assert not policies.can_manage_teams(officer, process)
    team = team_services.team_create(
        actor=creator, process=process, name="New owners", kind="citizens", role="owner"
    )
    team_services.team_add_person(actor=creator, team=team, user=officer)
    fresh_creator = type(creator).objects.get(pk=creator.pk)
    assert not policies.can_manage_teams(fresh_creator, process)


# --- Organisations ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Bus Riders Union", "  bus riders   union ", "bus-riders-union"])
def test_organisations_are_named_by_name_or_identifier(client, w, typed):
    organisation = OrganisationFactory(name="Bus Riders Union", slug="bus-riders-union")
    client.force_login(w.owner)
    url = reverse("coproduction:team_organisation_add", args=[w.process.slug, w.helpers.pk])
    assert client.post(url, {"organisation-organisation": typed}).status_code == 302
    assert list(w.helpers.organisations.all()) == [organisation]


def test_an_unknown_organisation_is_refused_with_a_clear_message(client, w):
    client.force_login(w.owner)
    response = client.post(
        reverse("coproduction:team_organisation_add", args=[w.process.slug, w.helpers.pk]),
        {"organisation-organisation": "Nowhere Society"},
    )
    assert response.status_code == 200
    assert "No organisation called “Nowhere Society”" in response.content.decode()
    assert not w.helpers.organisations.exists()


# --- Pages -----------------------------------------------------------------------------------


def test_addresses_show_to_owners_only(client, w):
    team_url = reverse("coproduction:team", args=[w.process.slug, w.helpers.pk])
    assert w.helper.email not in client.get(team_url).content.decode()
    client.force_login(w.member)
    assert w.helper.email not in client.get(team_url).content.decode()
    client.force_login(w.owner)
    assert w.helper.email in client.get(team_url).content.decode()


def test_the_team_panel_lists_teams_owners_first(w):
    html = render_to_string(
        "coproduction/teams/_panel.html",
        {"process": w.process, "teams": teams_of(w.process), "can_manage": True},
    )
    assert html.index("Owners") < html.index("Helpers") < html.index("Watchers")
    assert w.helper.get_full_name() in html
    assert "Manage the teams and their rights" in html


def test_the_process_page_shows_the_teams(client, w):
    html = client.get(w.process.get_absolute_url()).content.decode()
    assert 'id="teams"' in html
    assert "Riders" in html and "Watchers" in html


def _with_teams(w, count):
    def setup():
        for n in range(Team.objects.filter(process=w.process).count(), count):
            add_team(w.owner, w.process, Team.Role.MEMBER, UserFactory(), name=f"Crew {n}")
            team = Team.objects.get(process=w.process, name=f"Crew {n}")
            team.organisations.add(OrganisationFactory())
        return reverse("coproduction:teams", args=[w.process.slug])

    return setup


def test_the_teams_page_costs_the_same_for_few_or_many_teams(client, w, no_page_cache):
    client.force_login(w.owner)
    assert_queries_constant(client.get, _with_teams(w, 5), _with_teams(w, 20))


def test_a_team_page_costs_the_same_for_few_or_many_people(client, w):
    client.force_login(w.owner)
    url = reverse("coproduction:team", args=[w.process.slug, w.helpers.pk])

    def grown(count):
        def setup():
            for _ in range(w.helpers.people.count(), count):
                team_services.team_add_person(actor=w.owner, team=w.helpers, user=UserFactory())
            return url

        return setup

    assert_queries_constant(client.get, grown(2), grown(30))


def test_items_survive_their_responsible_teams_removal(w):
    item = add_item(w.owner, w.process, w.objective, name="Ride along", responsible_team=w.riders)
    team_services.team_remove(actor=w.owner, team=w.riders)
    assert TreeItem.objects.get(pk=item.pk).responsible_team is None
