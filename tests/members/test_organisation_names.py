"""Nobody passes for an organisation: names are unique as people read them, and a verified
organisation's new name waits for OGP's approval (issue 13, point 2)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ogp_platform.audit.selectors import Filters, log_page
from ogp_platform.members import services
from ogp_platform.members.models import Organisation, OrganisationRename
from ogp_platform.text import name_key, unique_slug
from tests.factories import UserFactory
from tests.members.factories import OrganisationFactory, OrganisationMembershipFactory

pytestmark = pytest.mark.django_db

DELNA = "Sabiedrība par atklātību – Delna"
# Names that look like DELNA to a reader.
LOOKALIKES = [
    "sabiedrība par atklātību – delna",
    "SABIEDRĪBA PAR ATKLĀTĪBU – DELNA",
    "Sabiedrība  par atklātību –\u00a0Delna ",
    "Sabiedrība par atklātību – Del\u200bna",
    "Sabiedrība par atklātību – Del\u2060na",
    "Sabiedrība par atklātību – Del\u00adna",
    "\ufeffSabiedrība par atklātību – Delna",
    "Sabiedrība par atklātību – Ｄｅｌｎａ",
    # Decomposed letters (a + combining macron) are the same letters.
    "Sabiedri\u0304ba par atklātību – Delna",
]


def ogp_admin():
    user = UserFactory()
    Group.objects.get(name="OGP admins").user_set.add(user)
    return user


def admin_of(organisation):
    return OrganisationMembershipFactory(organisation=organisation, admin=True).user


def edit_data(organisation, **changes):
    return {
        "name": organisation.name,
        "kind": organisation.kind,
        "country": organisation.country,
        "website": organisation.website,
        "description": organisation.description,
        **changes,
    }


# --- Unique names ------------------------------------------------------------------------------


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_names_that_look_the_same_have_the_same_key(lookalike):
    """Case, spaces, compatibility forms and invisible characters make no new name."""
    assert name_key(lookalike) == name_key(DELNA)


def test_different_names_keep_different_keys():
    assert name_key("Delna") != name_key("Delnas")
    assert name_key("Providus") != name_key("Delna")


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_registering_a_name_that_looks_like_another_is_refused(client, lookalike):
    """A citizen cannot register a copy of a verified CSO's name (a zero-width space in it,
    capitals, spaces): the form says which organisation has it, and nothing is created."""
    OrganisationFactory(name=DELNA, verified=True)
    client.force_login(UserFactory())
    response = client.post(
        reverse("members:organisation_new"),
        {"name": lookalike, "kind": "cso", "country": "LV", "website": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "is already registered" in page
    assert Organisation.objects.count() == 1


def test_renaming_to_another_organisations_name_is_refused(client):
    """An unverified organisation renames itself at once, but not to another's name."""
    OrganisationFactory(name=DELNA, verified=True)
    mine = OrganisationFactory(name="Civic Watch")
    client.force_login(admin_of(mine))
    response = client.post(
        reverse("members:organisation_edit", args=[mine.slug]),
        edit_data(mine, name="sabiedrība par atklātību – del\u200bna"),
    )
    assert response.status_code == 200
    assert "is already registered" in response.content.decode()
    mine.refresh_from_db()
    assert mine.name == "Civic Watch"


def test_the_database_refuses_two_organisations_with_one_name():
    """The rule holds without the forms too (a script, the Django admin's save)."""
    OrganisationFactory(name=DELNA)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name=DELNA.upper(), slug="copy")


def test_the_service_refuses_a_name_taken_between_check_and_save(monkeypatch):
    """Two registrations racing for one name: the second gets the form's message, not a
    server error."""
    OrganisationFactory(name=DELNA)
    monkeypatch.setattr(Organisation, "clean", lambda self: None)
    with pytest.raises(ValidationError) as error:
        services.organisation_create(actor=UserFactory(), name=DELNA, kind="cso", country="LV")
    assert "is already registered" in str(error.value.message_dict["name"])


def test_the_migration_renames_organisations_that_share_a_name():
    """Databases from before the rule (demo and test data) may hold lookalikes: the verified
    one keeps its name, the others get a number, and every key is filled in."""
    first = OrganisationFactory(name="Civic Watch A")
    verified = OrganisationFactory(name="Civic Watch B", verified=True)
    third = OrganisationFactory(name="Civic Watch C")
    # As they were before the migration: the same name, keys not filled in yet.
    for organisation, name in (
        (first, DELNA.upper()),
        (verified, DELNA),
        (third, DELNA + "\u200b"),
    ):
        Organisation.objects.filter(pk=organisation.pk).update(
            name=name, name_key=f"placeholder {organisation.pk}"
        )
    migration = importlib.import_module(
        "ogp_platform.members.migrations.0007_organisation_unique_names_and_renames"
    )
    migration.fill_name_keys(apps, None)
    names = dict(Organisation.objects.values_list("pk", "name"))
    assert names[verified.pk] == DELNA
    assert names[first.pk] == f"{DELNA.upper()} (2)"
    assert names[third.pk] == f"{DELNA}\u200b (3)"
    keys = dict(Organisation.objects.values_list("pk", "name_key"))
    assert keys == {pk: name_key(name) for pk, name in names.items()}
    assert len(set(keys.values())) == 3


# --- Renaming a verified organisation -----------------------------------------------------------


@pytest.fixture
def verified():
    return OrganisationFactory(name="Open Data Collective", verified=True)


def test_a_verified_organisations_new_name_waits_for_approval(client, verified):
    """The CSO admin's new name is stored as a request; the public name and the "Verified"
    mark stay as OGP checked them, and the admin sees the request waiting."""
    admin = admin_of(verified)
    client.force_login(admin)
    response = client.post(
        reverse("members:organisation_edit", args=[verified.slug]),
        edit_data(verified, name="Latvian Open Data Alliance", description="We open data."),
    )
    assert response.status_code == 302
    verified.refresh_from_db()
    assert (verified.name, verified.verified) == ("Open Data Collective", True)
    assert verified.description == "We open data."  # the other details are saved at once
    rename = OrganisationRename.objects.get()
    assert (rename.status, rename.old_name, rename.new_name, rename.requested_by) == (
        OrganisationRename.Status.PENDING,
        "Open Data Collective",
        "Latvian Open Data Alliance",
        admin,
    )
    mine = client.get(verified.get_absolute_url()).content.decode()
    assert "A new name waits for approval" in mine and "Latvian Open Data Alliance" in mine
    client.logout()
    public = client.get(verified.get_absolute_url()).content.decode()
    assert "Latvian Open Data Alliance" not in public and "Open Data Collective" in public


def test_a_verified_organisation_cannot_ask_for_another_organisations_name(client, verified):
    """The scenario of the review: a CSO admin renames their verified organisation to another
    CSO's name. Refused outright, not even stored as a request."""
    OrganisationFactory(name=DELNA, verified=True)
    client.force_login(admin_of(verified))
    response = client.post(
        reverse("members:organisation_edit", args=[verified.slug]), edit_data(verified, name=DELNA)
    )
    assert response.status_code == 200
    assert "is already registered" in response.content.decode()
    verified.refresh_from_db()
    assert verified.name == "Open Data Collective"
    assert not OrganisationRename.objects.exists()


def test_asking_again_replaces_the_request_waiting(verified):
    admin = admin_of(verified)
    services.organisation_update(actor=admin, organisation=verified, name="First idea")
    services.organisation_update(actor=admin, organisation=verified, name="Second idea")
    assert list(OrganisationRename.objects.values_list("new_name", "status")) == [
        ("Second idea", OrganisationRename.Status.PENDING)
    ]


def test_an_unverified_organisation_and_an_ogp_admin_rename_at_once(verified):
    """Nothing to protect on an unverified organisation; OGP admins are who approve."""
    unverified = OrganisationFactory(name="Civic Watch")
    assert (
        services.organisation_update(
            actor=admin_of(unverified), organisation=unverified, name="Civic Watch Latvia"
        )
        is None
    )
    assert (
        services.organisation_update(
            actor=ogp_admin(), organisation=verified, name="Open Data Latvia"
        )
        is None
    )
    unverified.refresh_from_db()
    verified.refresh_from_db()
    assert (unverified.name, verified.name) == ("Civic Watch Latvia", "Open Data Latvia")
    assert not OrganisationRename.objects.exists()


def test_an_ogp_admin_approves_the_new_name(client, verified):
    """Approved: the organisation takes the name and stays verified; the decision is on record
    in the audit log."""
    services.organisation_update(
        actor=admin_of(verified), organisation=verified, name="Latvian Open Data Alliance"
    )
    rename = OrganisationRename.objects.get()
    admin = ogp_admin()
    client.force_login(admin)
    directory = client.get(reverse("members:organisations")).content.decode()
    assert reverse("members:organisation_rename", args=[verified.slug, rename.pk]) in directory
    response = client.post(
        reverse("members:organisation_rename", args=[verified.slug, rename.pk]),
        {"decision": "approve", "reason": ""},
    )
    assert response.status_code == 302
    verified.refresh_from_db()
    rename.refresh_from_db()
    assert (verified.name, verified.verified) == ("Latvian Open Data Alliance", True)
    assert (rename.status, rename.decided_by) == (OrganisationRename.Status.APPROVED, admin)
    entries = log_page(Filters(kinds=("organisation_rename",))).entries
    assert [(entry.actor_id, "Approved" in entry.subject) for entry in entries[:1]] == [
        (admin.pk, True)
    ]


def test_refusing_needs_a_reason_the_organisation_sees(client, verified):
    org_admin = admin_of(verified)
    services.organisation_update(actor=org_admin, organisation=verified, name="Government of LV")
    rename = OrganisationRename.objects.get()
    client.force_login(ogp_admin())
    url = reverse("members:organisation_rename", args=[verified.slug, rename.pk])
    without_reason = client.post(url, {"decision": "refuse", "reason": " "})
    assert without_reason.status_code == 200
    assert "Say why the new name is refused." in without_reason.content.decode()
    response = client.post(url, {"decision": "refuse", "reason": "It names a government."})
    assert response.status_code == 302
    verified.refresh_from_db()
    rename.refresh_from_db()
    assert verified.name == "Open Data Collective"
    assert rename.status == OrganisationRename.Status.REJECTED
    client.force_login(org_admin)
    page = client.get(verified.get_absolute_url()).content.decode()
    assert "The new name was refused" in page and "It names a government." in page


def test_a_name_taken_since_the_request_cannot_be_approved(verified):
    services.organisation_update(
        actor=admin_of(verified), organisation=verified, name="Latvian Open Data Alliance"
    )
    OrganisationFactory(name="latvian open data alliance")
    rename = OrganisationRename.objects.get()
    with pytest.raises(ValidationError):
        services.organisation_rename_decide(actor=ogp_admin(), rename=rename, approve=True)
    verified.refresh_from_db()
    assert verified.name == "Open Data Collective"


def test_slugs_are_unique_with_a_number_and_fit_the_field():
    first = OrganisationFactory(name="Fundación Ciudadana Civio")
    assert first.slug != unique_slug(Organisation, "Fundación Ciudadana Civio")
    assert unique_slug(Organisation, "Fundación Ciudadana Civio") == f"{first.slug}-2"
    long_slug = unique_slug(Organisation, "x" * 1000)
    assert len(long_slug) <= Organisation._meta.get_field("slug").max_length
    assert unique_slug(Organisation, "!!!", fallback="organisation") == "organisation"
