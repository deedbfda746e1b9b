"""Permission matrices of the catalogue's state-changing views: rating an enabler (signed-in
people with a verified address) and curating the catalogue (OGP staff: the permission
`coproduction.curate_catalogue`, which the group "OGP admins" holds).

The people: anonymous, a plain user, an unverified one, the observer, team member and owner of
a process, an officer of its owning member, an OGP admin, and a curator (the permission alone).
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.coproduction.catalogue_factories import make_enablers
from tests.coproduction.process_factories import (
    OBSERVER,
    OWNER,
    ROLES,
    TEAM_MEMBER,
    world,
)
from tests.factories import UserFactory
from tests.people import ANONYMOUS, OFFICER, OGP_ADMIN, UNVERIFIED, USER
from use_cases.coproduction.models import Enabler, EnablerRating

pytestmark = pytest.mark.django_db

CURATOR = "curator"
EVERYONE = [*ROLES, UNVERIFIED, CURATOR]
CURATORS = {OGP_ADMIN, CURATOR}
RATERS = {USER, OBSERVER, TEAM_MEMBER, OWNER, OFFICER, OGP_ADMIN, CURATOR}


@pytest.fixture
def setting(people):
    w = world(people)
    (enabler,) = make_enablers(1)
    return w, enabler


def _sign_in(client, people, w, role):
    if role == CURATOR:
        person = UserFactory()
        person.user_permissions.add(
            Permission.objects.get(
                codename="curate_catalogue", content_type__app_label="coproduction"
            )
        )
    elif role in (OWNER, TEAM_MEMBER, OBSERVER):
        person = w.person(people, role)
    else:
        person = people[role]
    if role != ANONYMOUS:
        client.force_login(person)
    return person


def _refused(response, role):
    if role == ANONYMOUS:
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    return response.status_code == 403


def test_the_ogp_admins_group_holds_the_curators_permission():
    group = Group.objects.get(name="OGP admins")
    assert group.permissions.filter(
        codename="curate_catalogue", content_type__app_label="coproduction"
    ).exists()


@pytest.mark.parametrize("role", EVERYONE)
def test_rating_an_enabler(client, people, setting, role):
    w, enabler = setting
    person = _sign_in(client, people, w, role)
    url = reverse("coproduction:enabler_rate", args=[enabler.key])
    response = client.post(url, {"stars": "4", "comment": "Clear and short."})
    if role in RATERS:
        assert response.status_code == 302
        assert response["Location"] == f"{enabler.get_absolute_url()}#rating"
        rating = EnablerRating.objects.get(enabler=enabler, user=person)
        assert (rating.stars, rating.comment) == (4, "Clear and short.")
        # Rating again changes the rating: still one.
        client.post(url, {"stars": "2", "comment": ""})
        rating = EnablerRating.objects.get(enabler=enabler, user=person)
        assert (rating.stars, rating.comment) == (2, "")
    else:
        assert _refused(response, role)
        assert not EnablerRating.objects.exists()
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("role", [USER, OGP_ADMIN])
def test_rating_a_withdrawn_enabler_is_refused(client, people, setting, role):
    w, enabler = setting
    Enabler.objects.filter(pk=enabler.pk).update(status=Enabler.Status.WITHDRAWN)
    _sign_in(client, people, w, role)
    response = client.post(reverse("coproduction:enabler_rate", args=[enabler.key]), {"stars": "5"})
    assert response.status_code == 403
    assert not EnablerRating.objects.exists()


def _enabler_data(**overrides):
    return {
        "name": "Street interview guide",
        "kind": "knowledge",
        "description": "How to ask passers-by three questions.",
        "tags": "interview, street",
        "uri": "",
        "form": "guidelines",
        "format": "pdf",
        "difficulty": "easy",
        "licence": "public_domain",
        "administrative_scopes": ["local"],
        "languages": ["en"],
        **overrides,
    }


@pytest.mark.parametrize("role", EVERYONE)
def test_adding_an_enabler(client, people, setting, role):
    w, _enabler = setting
    _sign_in(client, people, w, role)
    url = reverse("coproduction:enabler_create")
    page = client.get(url)
    response = client.post(url, _enabler_data())
    added = Enabler.objects.filter(name_translations__en="Street interview guide").first()
    if role in CURATORS:
        assert page.status_code == 200
        assert added is not None and added.key == "street-interview-guide"
        assert response["Location"] == added.get_absolute_url()
    else:
        assert _refused(page, role) and _refused(response, role)
        assert added is None


@pytest.mark.parametrize("role", EVERYONE)
def test_editing_an_enabler(client, people, setting, role):
    w, enabler = setting
    _sign_in(client, people, w, role)
    url = reverse("coproduction:enabler_edit", args=[enabler.key])
    page = client.get(url)
    response = client.post(url, _enabler_data(name="A better name", kind="external"))
    enabler.refresh_from_db()
    if role in CURATORS:
        assert page.status_code == 200
        assert response.status_code == 302
        assert enabler.name_translations["en"] == "A better name"
        assert enabler.kind == "external"
    else:
        assert _refused(page, role) and _refused(response, role)
        assert enabler.name_translations["en"] == "Bulk enabler 0"


@pytest.mark.parametrize("role", EVERYONE)
def test_withdrawing_an_enabler(client, people, setting, role):
    w, enabler = setting
    _sign_in(client, people, w, role)
    url = reverse("coproduction:enabler_withdraw", args=[enabler.key])
    page = client.get(url)
    response = client.post(url, {"reason": "Out of date."})
    enabler.refresh_from_db()
    if role in CURATORS:
        assert page.status_code == 200
        assert response.status_code == 302
        assert enabler.status == Enabler.Status.WITHDRAWN
        assert enabler.withdrawn_reason == "Out of date."
    else:
        assert _refused(page, role) and _refused(response, role)
        assert enabler.status == Enabler.Status.PUBLISHED


@pytest.mark.parametrize("role", [ANONYMOUS, USER, OGP_ADMIN])
def test_curation_of_an_unknown_enabler_is_not_found_for_curators(client, people, setting, role):
    w, _enabler = setting
    _sign_in(client, people, w, role)
    response = client.post(reverse("coproduction:enabler_edit", args=["nothing-here"]), {})
    assert response.status_code == 404


def test_only_curators_see_the_curation_buttons(client, people, setting):
    w, enabler = setting
    _sign_in(client, people, w, USER)
    html = client.get(enabler.get_absolute_url()).content.decode()
    assert reverse("coproduction:enabler_edit", args=[enabler.key]) not in html
    assert (
        reverse("coproduction:enabler_create")
        not in client.get(reverse("coproduction:catalogue")).content.decode()
    )
    _sign_in(client, people, w, OGP_ADMIN)
    html = client.get(enabler.get_absolute_url()).content.decode()
    assert reverse("coproduction:enabler_edit", args=[enabler.key]) in html
    assert reverse("coproduction:enabler_withdraw", args=[enabler.key]) in html
