"""The public pages of members and organisations: content, filters, and constant query counts."""

import re

import pytest
from django.urls import reverse

from ogp_platform.members import countries
from ogp_platform.members.models import (
    Institution,
    Member,
    MemberRole,
    MemberStatusChange,
    Organisation,
    OrganisationMembership,
)
from tests.factories import UserFactory
from tests.members.factories import OrganisationMembershipFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db

CODES = [
    "AL",
    "AM",
    "AR",
    "AU",
    "AT",
    "BE",
    "BR",
    "BG",
    "CA",
    "CL",
    "CO",
    "CR",
    "HR",
    "CZ",
    "DK",
    "DO",
    "EE",
    "FI",
    "FR",
    "GE",
    "DE",
    "GH",
    "GR",
    "GT",
    "HN",
    "HU",
    "ID",
    "IE",
    "IL",
    "IT",
    "JM",
    "JO",
    "KE",
    "KR",
    "LV",
    "LT",
    "LU",
    "MK",
    "MW",
    "MT",
    "MX",
    "MD",
    "MN",
    "ME",
    "MA",
    "NL",
    "NZ",
    "NG",
    "NO",
    "PA",
    "PY",
    "PE",
    "PH",
    "PT",
    "RO",
    "RS",
    "SK",
    "SI",
    "ZA",
    "ES",
]


def make_members(n, start=0, **fields):
    """n members, each with institutions, a point of contact, partners and a local member."""
    made = []
    for code in CODES[start : start + n]:
        member = Member.objects.create(
            kind="national",
            name=f"Member {code}",
            slug=f"m-{code.lower()}",
            country=code,
            country_alpha3=countries.alpha3(code),
            region="europe",
            status="active",
            **fields,
        )
        institution = Institution.objects.create(member=member, name=f"Ministry {code}")
        MemberRole.objects.create(
            member=member, user=UserFactory(), role="point_of_contact", institution=institution
        )
        member.organisations.add(
            Organisation.objects.create(name=f"CSO {code}", slug=f"cso-{code}", country=code)
        )
        made.append(member)
    return made


def test_directory_query_count_does_not_grow(client):
    directory = reverse("members:directory")
    count = assert_queries_constant(
        lambda _: get_ok(client, directory),
        lambda: make_members(5),
        lambda: make_members(45, start=5),
    )
    assert count <= 6


@pytest.mark.usefixtures("no_page_cache")
def test_member_page_query_count_does_not_grow(client):
    member = make_members(1)[0]

    def more():
        for i in range(49):
            Institution.objects.create(member=member, name=f"Agency {i}")
            MemberRole.objects.create(member=member, user=UserFactory(), role="point_of_contact")
            member.organisations.add(
                Organisation.objects.create(name=f"Org {i}", slug=f"org-{i}", country="LV")
            )

    count = assert_queries_constant(lambda _: get_ok(client, member.get_absolute_url()), None, more)
    assert count <= 12


def test_member_page_query_count_signed_in(client):
    member = make_members(1)[0]
    client.force_login(UserFactory())

    def more():
        for i in range(20):
            Institution.objects.create(member=member, name=f"Agency {i}")

    count = assert_queries_constant(lambda _: get_ok(client, member.get_absolute_url()), None, more)
    assert count <= 16


def test_directory_filters_search_and_paginates(client):
    make_members(25)
    Member.objects.filter(slug="m-ee").update(status="suspended")
    Member.objects.filter(slug="m-at").update(region="americas")
    html = client.get(reverse("members:directory"), {"region": "americas"}).content.decode()
    assert "Member AT" in html and "Member AL" not in html
    html = client.get(reverse("members:directory"), {"status": "suspended"}).content.decode()
    assert "Member EE" in html and "1 member<" in html
    html = client.get(reverse("members:directory"), {"q": "member b"}).content.decode()
    assert "Member BE" in html and "Member AL" not in html
    page1 = client.get(reverse("members:directory")).content.decode()
    assert "25 members" in page1 and "Page 1 of 2" in page1 and "Member PE" not in page1
    page2 = client.get(reverse("members:directory"), {"page": 2}).content.decode()
    assert "Member AL" not in page2 and "Page 2 of 2" in page2
    empty = client.get(reverse("members:directory"), {"q": "zzz"}).content.decode()
    assert "No member matches these filters" in empty


def test_invalid_filter_values_are_ignored(client):
    """An unknown region and a page that is not a number filter nothing: the directory shows
    what it shows without them, from the first page."""
    members = make_members(2)
    url = reverse("members:directory")
    response = client.get(url, {"region": "mars", "page": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    for member in members:
        assert member.name in html
    unfiltered = client.get(url).content.decode()
    count = re.compile(r"\d+ members?<")
    assert count.findall(html) == count.findall(unfiltered) != []
    assert "No member matches these filters" not in html


def test_member_page_shows_status_reason_contacts_and_institutions(client):
    member = make_members(1)[0]
    admin = UserFactory()
    MemberStatusChange.objects.create(
        member=member,
        from_status="active",
        to_status="under_review",
        reason="Acting contrary to process twice.",
        changed_by=admin,
    )
    Member.objects.filter(pk=member.pk).update(
        status="under_review", status_reason="Acting contrary to process twice."
    )
    poc = member.roles.get().user
    html = client.get(member.get_absolute_url()).content.decode()
    assert "Under procedural review" in html
    assert "Acting contrary to process twice." in html
    assert poc.get_full_name() in html and poc.email not in html
    assert "Ministry AL" in html and "CSO AL" in html


def test_names_with_their_own_letters_round_trip(client):
    """Latvian, Spanish and Italian letters survive storage, slugs, pages and search."""
    member = Member.objects.create(
        kind="national",
        name="Latvija — Valsts kanceleja ģķļņčšž",
        slug="latvija",
        country="LV",
        country_alpha3="LVA",
        region="europe",
        status="active",
    )
    Institution.objects.create(member=member, name="Ministerio de Economía — Año Señor àèéìòù")
    html = client.get(member.get_absolute_url()).content.decode()
    assert "ģķļņčšž" in html and "Economía — Año Señor àèéìòù" in html
    html = client.get(reverse("members:directory"), {"q": "ģķļ"}).content.decode()
    assert "Valsts kanceleja" in html


def test_country_names_follow_the_interface_language(client):
    make_members(1)  # Albania
    client.cookies["django_language"] = "it"
    assert "Albania" in client.get(reverse("members:directory")).content.decode()
    Member.objects.filter(country="AL").update(country="DE", country_alpha3="DEU")
    client.cookies["django_language"] = "lv"
    assert "Vācija" in client.get(reverse("members:directory")).content.decode()


def test_organisation_page_and_membership_request(client, django_capture_on_commit_callbacks):
    organisation = Organisation.objects.create(
        name="Delna", slug="delna", country="LV", verified=True
    )
    admin = UserFactory(display_name="Org Admin")
    OrganisationMembershipFactory(organisation=organisation, user=admin, admin=True)
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Sign in to ask to join" in html and "Org Admin" in html

    person = UserFactory(display_name="Jānis Bērziņš")
    client.force_login(person)
    client.post(reverse("members:organisation_join", args=["delna"]), {"message": "Analyst"})
    assert "waiting for approval" in client.get(organisation.get_absolute_url()).content.decode()

    client.force_login(admin)
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Jānis Bērziņš" in html and "Analyst" in html
    membership = OrganisationMembership.objects.get(user=person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("members:membership_decide", args=["delna", membership.pk]),
            {"decision": "approve"},
        )
    membership.refresh_from_db()
    assert membership.status == "approved" and membership.decided_by == admin
    from django.core import mail

    assert mail.outbox[-1].to == [person.email] and "approved" in mail.outbox[-1].body


def test_organisation_directory_counts_people_in_constant_queries(client):
    for i in range(3):
        Organisation.objects.create(name=f"Org {i}", slug=f"org-{i}", country="LV")

    def more():
        for i in range(3, 30):
            organisation = Organisation.objects.create(
                name=f"Org {i}", slug=f"org-{i}", country="LV"
            )
            OrganisationMembership.objects.create(
                organisation=organisation, user=UserFactory(), status="approved"
            )

    assert_queries_constant(lambda _: get_ok(client, reverse("members:organisations")), None, more)


def test_an_approved_admin_cannot_be_refused_out_of_the_organisation(client):
    """Only open requests are decided: approved memberships are not re-decided."""
    organisation = Organisation.objects.create(name="Delna", slug="delna", country="LV")
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        OrganisationMembershipFactory(organisation=organisation, user=user, admin=True)
    client.force_login(second)
    membership = OrganisationMembership.objects.get(user=first)
    response = client.post(
        reverse("members:membership_decide", args=["delna", membership.pk]),
        {"decision": "refuse"},
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.status == "approved"
