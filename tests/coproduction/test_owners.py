"""The owners of a process: a city joins a ministry's process through its own officer (put in
the owner team first), owners take members and organisations off, a process keeps one owning
member, and the primary member passes on. With the permission matrix of both views."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.coproduction.process_factories import (
    OWNER,
    ROLES,
    add_team,
    sign_in,
    world,
)
from tests.members.factories import MemberFactory, MemberRoleFactory, OrganisationMembershipFactory
from tests.people import ANONYMOUS, OGP_ADMIN
from use_cases.coproduction.models import Process, Team
from use_cases.coproduction.services import processes as services
from use_cases.coproduction.services import teams as team_services

pytestmark = pytest.mark.django_db

MANAGERS = {OWNER, OGP_ADMIN}


@pytest.fixture
def w(people):
    return world(people)


def _city_officer(w):
    """The officer of a city, in the process's owner team (put there by the ministry's owner)."""
    city = MemberFactory(name="Reggio Emilia", slug="reggio-emilia")
    officer = MemberRoleFactory(member=city, role="officer").user
    owners = Team.objects.get(process=w.process, role=Team.Role.OWNER)
    team_services.team_add_person(actor=w.owner, team=owners, user=officer)
    return city, officer


def test_a_city_joins_through_its_own_officer_in_the_owner_team(client, w, people):
    city, officer = _city_officer(w)
    # The ministry's owner does not speak for the city.
    with pytest.raises(PermissionDenied):
        services.process_owner_add(actor=w.owner, process=w.process, member=city)
    client.force_login(officer)
    page = client.get(reverse("coproduction:process_owners", args=[w.process.slug]))
    assert [m.pk for m in page.context["form"].fields["member"].queryset] == [city.pk]
    response = client.post(
        reverse("coproduction:process_owners", args=[w.process.slug]), {"member": city.pk}
    )
    assert response.status_code == 302
    assert set(w.process.owner_members.all()) == {people.member, city}
    # The primary member stays; the change is a version of the process, by the officer.
    w.process.refresh_from_db()
    assert w.process.primary_member == people.member
    latest = w.process.history.latest()
    assert latest.history_user == officer
    assert {m.member_id for m in latest.owner_members.all()} == {people.member.pk, city.pk}
    page = client.get(w.process.get_absolute_url()).content.decode()
    assert "Reggio Emilia" in page
    changes = client.get(reverse("coproduction:process_changes", args=[w.process.slug]))
    assert changes.status_code == 200


def test_an_organisation_joins_by_its_administrator_and_leaves(client, w):
    administrator = OrganisationMembershipFactory(admin=True)
    organisation = administrator.organisation
    add_team(w.owner, w.process, Team.Role.OWNER, administrator.user, name="Co-owners")
    services.process_owner_add(
        actor=administrator.user, process=w.process, organisation=organisation
    )
    assert list(w.process.owner_organisations.all()) == [organisation]
    with pytest.raises(ValidationError):
        services.process_owner_add(
            actor=administrator.user, process=w.process, organisation=organisation
        )
    services.process_owner_remove(actor=w.owner, process=w.process, organisation=organisation)
    assert list(w.process.owner_organisations.all()) == []


def test_a_process_keeps_one_owning_member_and_the_primary_one_passes_on(client, w, people):
    city, officer = _city_officer(w)
    services.process_owner_add(actor=officer, process=w.process, member=city)
    services.process_owner_remove(actor=officer, process=w.process, member=people.member)
    w.process.refresh_from_db()
    assert w.process.primary_member == city
    assert list(w.process.owner_members.all()) == [city]
    with pytest.raises(ValidationError) as refused:
        services.process_owner_remove(actor=officer, process=w.process, member=city)
    assert "at least one owning member" in str(refused.value)
    # Through the page: the refusal is said, nothing changes.
    client.force_login(officer)
    url = reverse("coproduction:process_owner_remove", args=[w.process.slug, "member", city.pk])
    response = client.post(url, follow=True)
    assert "at least one owning member" in response.content.decode()
    assert list(Process.objects.get(pk=w.process.pk).owner_members.all()) == [city]


def test_adding_needs_one_choice(client, w):
    client.force_login(w.owner)
    response = client.post(reverse("coproduction:process_owners", args=[w.process.slug]), {})
    assert response.status_code == 400
    assert "Choose one member or one organisation." in response.content.decode()


def _refused(response, role):
    if role == ANONYMOUS:
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    return response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_changing_the_owners(client, w, people, role):
    """Only owners and OGP admins open the owners page, add and take off; the others are
    refused and nothing changes."""
    other = MemberFactory()
    services.process_owner_add(actor=people[OGP_ADMIN], process=w.process, member=other)
    sign_in(client, people, w, role)
    page = client.get(reverse("coproduction:process_owners", args=[w.process.slug]))
    added = client.post(
        reverse("coproduction:process_owners", args=[w.process.slug]),
        {"member": MemberFactory().pk},
    )
    removed = client.post(
        reverse("coproduction:process_owner_remove", args=[w.process.slug, "member", other.pk])
    )
    owners = set(w.process.owner_members.values_list("pk", flat=True))
    if role in MANAGERS:
        assert page.status_code == 200
        assert removed.status_code == 302 and other.pk not in owners
        # An owner adds only members they speak for: the point of contact does not speak
        # for a member made up here; an OGP admin speaks for every member.
        assert added.status_code == (302 if role == OGP_ADMIN else 400)
    else:
        assert _refused(page, role) and _refused(added, role) and _refused(removed, role)
        assert owners == {people.member.pk, other.pk}
