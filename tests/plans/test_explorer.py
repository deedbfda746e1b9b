"""The public commitment explorer: filters, search on the active database (CI runs it on
PostgreSQL), visibility of drafts, invalid input, sorting, pagination and query counts."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.urls import reverse

from commitments.explorer import commitment_explorer
from commitments.models import PolicyArea
from tests.factories import UserFactory
from tests.members.factories import (
    InstitutionFactory,
    LocalMemberFactory,
    MemberFactory,
    MemberRoleFactory,
)
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db

URL = reverse("commitments:explorer")
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)


def published_plan(member, **fields):
    return ActionPlanFactory(
        member=member, published=True, **{"status": "implementation", **fields}
    )


def commitment(plan, title, **fields):
    """A commitment whose search document is its title and description, as the services keep
    it (ids, title, template sections)."""
    made = CommitmentFactory(plan=plan, title=title, **fields)
    made.search_document = f"{made.identifier}\n{made.title}\n{made.description}"
    made.save(update_fields=["search_document"])
    return made


@pytest.fixture
def world():
    """Moldova (Europe, a 2025 plan and an older 2021 one), Madrid (local, Europe), Mexico
    (Americas), and a draft plan of Canada that only its team sees."""
    moldova = MemberFactory(country="MD", country_alpha3="MDA", name="Moldova", slug="moldova")
    madrid = LocalMemberFactory(local_code="MAD", name="Madrid", slug="madrid")
    mexico = MemberFactory(
        country="MX", country_alpha3="MEX", name="Mexico", slug="mexico", region="americas"
    )
    canada = MemberFactory(country="CA", country_alpha3="CAN", name="Canada", slug="canada")
    areas = {area.slug: area for area in PolicyArea.objects.all()}

    md_plan = published_plan(moldova)
    md_old = published_plan(
        moldova,
        start_date=datetime.date(2021, 9, 1),
        end_date=datetime.date(2023, 8, 31),
        submission_deadline=datetime.date(2021, 8, 31),
        status="ended",
    )
    mad_plan = published_plan(madrid)
    mx_plan = published_plan(mexico)
    draft = ActionPlanFactory(member=canada)

    made = {
        "procurement": commitment(
            md_plan,
            "Achiziții publice ca date deschise",
            lead_institution=InstitutionFactory(member=moldova, name="Cancelaria de Stat"),
            completion="substantial",
        ),
        "budgets": commitment(
            md_old,
            "Open municipal budgets for every resident",
            value_access_to_information=False,
            value_public_accountability=False,
            value_civic_participation=True,
            completion="complete",
        ),
        "madrid": commitment(
            mad_plan,
            "Participatory budgeting in every district",
            value_access_to_information=False,
            value_civic_participation=True,
            status="inactive",
        ),
        "mexico": commitment(
            mx_plan,
            "Beneficial ownership register open to the public",
            value_technology_innovation=True,
            status="withdrawn",
            completion="withdrawn",
        ),
        "draft": commitment(draft, "Secret draft about lobbying transparency"),
    }
    made["procurement"].policy_areas.set([areas["open-data"], areas["public-procurement"]])
    made["budgets"].policy_areas.set([areas["fiscal-openness"]])
    made["mexico"].policy_areas.set([areas["beneficial-ownership"], areas["open-data"]])
    return {"members": (moldova, madrid, mexico, canada), "draft_plan": draft, **made}


def found(client, **params) -> list[str]:
    """The identifiers of the listed commitments, read from the page (which may come from the page
    cache, without a template context)."""
    response = client.get(URL, params)
    assert response.status_code == 200
    return re.findall(
        r'<li class="commitment-card" id="commitment-([^"]+)"', response.content.decode()
    )


def ids(world, *names) -> set[str]:
    return {world[name].identifier for name in names}


PUBLIC = ("procurement", "budgets", "madrid", "mexico")


def test_lists_published_commitments_with_what_each_result_shows(client, world):
    """Anonymous visitors see every published commitment with its id, title, member, plan,
    status, OGP values, policy areas, lead institution and completion."""
    response = client.get(URL)
    html = response.content.decode()
    assert set(found(client)) == ids(world, *PUBLIC)
    assert "4 commitments" in html
    procurement = world["procurement"]
    for text in (
        procurement.identifier,
        "Achiziții publice ca date deschise",
        "Moldova",
        procurement.plan.identifier,
        "Cancelaria de Stat",
        "Access to information",
        "Public accountability",
        "Open Data",
        "Public Procurement",
        "Substantial",
        "Not reported yet",
        'class="badge badge--commitment-withdrawn">Withdrawn',
        'class="badge badge--commitment-inactive">Inactive',
    ):
        assert text in html, text
    assert procurement.get_absolute_url() in html
    assert procurement.plan.get_absolute_url() in html
    assert "Secret draft" not in html


def test_draft_commitments_are_visible_only_to_the_members_team(client, world):
    """A draft plan's commitments stay out of the explorer for the public and other officers,
    and appear for an officer of the member."""
    draft_id = world["draft"].identifier
    assert draft_id not in found(client)
    assert draft_id not in found(client, q="lobbying")

    client.force_login(MemberRoleFactory(member=world["members"][0], role="officer").user)
    assert draft_id not in found(client)

    officer = MemberRoleFactory(member=world["draft_plan"].member, role="officer").user
    client.force_login(officer)
    assert draft_id in found(client)
    assert found(client, member="canada") == [draft_id]
    assert found(client, q="lobbying") == [draft_id]


def test_ogp_admins_see_every_draft(client, world):
    admin = UserFactory()
    Group.objects.get(name="OGP admins").user_set.add(admin)
    client.force_login(admin)
    assert world["draft"].identifier in found(client)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"member": "moldova"}, ("procurement", "budgets")),
        ({"member": "madrid"}, ("madrid",)),
        ({"kind": "local"}, ("madrid",)),
        ({"kind": "national"}, ("procurement", "budgets", "mexico")),
        ({"region": "americas"}, ("mexico",)),
        ({"region": "europe"}, ("procurement", "budgets", "madrid")),
        ({"region": "asia_pacific"}, ()),
        ({"policy_area": "open-data"}, ("procurement", "mexico")),
        ({"policy_area": "fiscal-openness"}, ("budgets",)),
        ({"value": "civic_participation"}, ("budgets", "madrid")),
        ({"value": "public_accountability"}, ("procurement", "madrid", "mexico")),
        ({"value": "technology_innovation"}, ("mexico",)),
        ({"status": "active"}, ("procurement", "budgets")),
        ({"status": "inactive"}, ("madrid",)),
        ({"status": "withdrawn"}, ("mexico",)),
        ({"completion": "substantial"}, ("procurement",)),
        ({"completion": "complete"}, ("budgets",)),
        ({"completion": "withdrawn"}, ("mexico",)),
        ({"completion": "not_reported"}, ("madrid",)),
        ({"year": "2021"}, ("budgets",)),
        ({"year": "2025"}, ("procurement", "madrid", "mexico")),
        ({"region": "europe", "value": "civic_participation", "year": "2025"}, ("madrid",)),
        ({"member": "moldova", "policy_area": "open-data"}, ("procurement",)),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else ""
    ),
)
def test_each_filter_narrows_the_results(client, world, params, expected):
    """Each filter, alone or combined with others, keeps exactly the matching commitments."""
    assert set(found(client, **params)) == ids(world, *expected)


def test_filter_choices_come_from_what_the_user_may_see(client, world):
    """The member filter offers members with visible plans only; the year filter the years
    plans start in; policy areas show their labels."""
    form = client.get(URL).context["form"]
    assert [slug for slug, _ in form.fields["member"].choices] == [
        "",
        "madrid",
        "mexico",
        "moldova",
    ]
    assert [value for value, _ in form.fields["year"].choices] == ["", "2025", "2021"]
    assert ("open-data", "Open Data") in form.fields["policy_area"].choices

    client.force_login(MemberRoleFactory(member=world["draft_plan"].member, role="officer").user)
    form = client.get(URL).context["form"]
    assert "canada" in [slug for slug, _ in form.fields["member"].choices]


def test_the_filter_state_is_in_the_url_and_the_form_shows_it(client, world):
    """Opening a filtered URL shows the same results and the form with those filters chosen,
    and offers to clear them."""
    html = client.get(URL, {"member": "moldova", "q": "budgets"}).content.decode()
    assert '<option value="moldova" selected>Moldova</option>' in html
    assert 'value="budgets"' in html
    assert f'href="{URL}">Clear filters' in html
    assert "1 commitment<" in html


# --- Search -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("budgeting", ("madrid",)),
        ("BUDGETING district", ("madrid",)),
        ("district budgeting", ("madrid",)),
        ("budgets municipal", ("budgets",)),
        ("budgets district", ()),
        ("achiziții", ("procurement",)),
        ("register", ("mexico",)),
        ("nothing-like-this", ()),
    ],
)
def test_search_matches_every_word_on_the_active_database(client, world, q, expected):
    """Every word must appear, in any order and case (full-text search on PostgreSQL, a
    substring match elsewhere); diacritics are kept."""
    assert set(found(client, q=q)) == ids(world, *expected)


def test_search_finds_a_commitment_by_its_id(client, world):
    identifier = world["mexico"].identifier
    assert found(client, q=identifier) == [identifier]
    assert found(client, q=identifier.lower()) == [identifier]


def test_search_combines_with_filters(client, world):
    assert set(found(client, q="budgets")) == ids(world, "budgets")
    assert found(client, q="every", kind="local") == [world["madrid"].identifier]


@on_postgres
def test_search_ranks_by_relevance_on_postgres(client, world):
    """Best match puts the commitment that says the words most often first; other sort orders
    are kept when searching."""
    plan = world["procurement"].plan
    once = commitment(plan, "Register of lobbyists", description="Lobbying rules.")
    often = commitment(
        plan, "Open data on open contracting", description="Open data, open data, open data."
    )
    assert found(client, q="open data")[0] == often.identifier
    response = client.get(URL, {"q": "open", "sort": "title"})
    titles = [c.title for c in response.context["page"].object_list]
    assert titles == sorted(titles, key=str.lower) and len(titles) > 1
    assert once.identifier not in found(client, q="open data")


@on_postgres
def test_postgres_search_uses_the_gin_index(world):
    """The explorer's search expression is the one the GIN index of migration 0002 was built
    on, so PostgreSQL can answer it from the index (sequential scans off: the table is tiny)."""
    queryset = commitment_explorer(user=AnonymousUser(), q="budgets")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "commitments_commitment_search" in queryset.explain()


def test_websearch_syntax_never_fails(client, world):
    """Operators and stray punctuation are not errors: quotes, minus, or, brackets, colons."""
    for q in ('"open municipal', "-budgets", "or or", "budgets & | !", "(a:*", "'", "\\"):
        assert client.get(URL, {"q": q}).status_code == 200


# --- Sorting and pagination ---------------------------------------------------------------


def test_sort_orders(client, world):
    """Newest plan first by default (and for best match without a search), by id, by title."""
    default = found(client)
    assert default[-1] == world["budgets"].identifier  # the 2021 plan comes last
    assert found(client, sort="newest") == default
    by_id = found(client, sort="id")
    assert by_id == sorted(by_id)
    by_title = found(client, sort="title")
    assert by_title == [
        world[name].identifier for name in ("procurement", "mexico", "budgets", "madrid")
    ]


def test_pagination_keeps_the_filters(client):
    """Twenty commitments a page; the page links keep the filters of the URL."""
    plan = published_plan(MemberFactory(slug="norway", name="Norway"))
    for n in range(25):
        commitment(plan, f"Commitment number {n:02d}")
    first = client.get(URL, {"member": "norway", "sort": "title"})
    html = first.content.decode()
    assert len(first.context["page"].object_list) == 20
    assert "25 commitments" in html and "Page 1 of 2" in html
    assert "?member=norway&amp;sort=title&amp;page=2" in html
    second = client.get(URL, {"member": "norway", "sort": "title", "page": 2})
    titles = [c.title for c in second.context["page"].object_list]
    assert titles == [f"Commitment number {n}" for n in range(20, 25)]
    assert client.get(URL, {"member": "norway", "page": 99}).context["page"].number == 2


def test_the_filter_form_does_not_carry_the_page(client, world):
    """Changing a filter starts again at page 1: the form has no page field."""
    html = client.get(URL, {"page": 1}).content.decode()
    assert 'name="page"' not in html


# --- Bad input and empty states -----------------------------------------------------------


def test_invalid_filter_values_are_ignored_with_a_message(client, world):
    """Unknown members, years, values and pages are ignored, not a server error; the page says
    which filters it ignored and still applies the valid ones."""
    response = client.get(
        URL,
        {
            "member": "atlantis",
            "year": "1800",
            "value": "<script>alert(1)</script>",
            "completion": "half",
            "sort": "random",
            "region": "americas",
            "page": "x",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert [c.identifier for c in response.context["page"].object_list] == [
        world["mexico"].identifier
    ]
    assert "Some filters were not understood and have been ignored" in html
    assert "<script>alert(1)</script>" not in html
    for params in ({"year": "abc"}, {"q": "x" * 500}, {"q": "null\x00byte"}, {"page": "-1"}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 4


def test_empty_state_offers_to_clear_the_filters(client, world):
    html = client.get(URL, {"q": "zebra"}).content.decode()
    assert "No commitment matches these filters" in html
    assert f'<a href="{URL}">clear the filters</a>' in html
    assert "0 commitments" in html


def test_the_explorer_only_answers_get(client):
    assert client.post(URL).status_code == 405


def test_main_navigation_marks_the_explorer_as_current(client, world):
    html = client.get(URL).content.decode()
    assert f'<a href="{URL}" aria-current="page">Commitments</a>' in html
    assert f'<a href="{URL}">Commitments</a>' in client.get(reverse("home")).content.decode()


# --- Query count --------------------------------------------------------------------------


def build_commitments(count: int):
    member = MemberFactory()
    plan = published_plan(member)
    areas = list(PolicyArea.objects.all()[:3])
    institution = InstitutionFactory(member=member)
    for _ in range(count):
        made = CommitmentFactory(plan=plan, lead_institution=institution, completion="limited")
        made.policy_areas.set(areas)
        for _ in range(4):
            MilestoneFactory(commitment=made, responsible_institution=institution)
    return member


def explorer_page(client, params):
    response = get_ok(client, URL, params)
    assert response.context["page"].object_list
    return response


@pytest.mark.parametrize("as_officer", [False, True], ids=["anonymous", "officer"])
@pytest.mark.parametrize("params", [{}, {"q": "procurement", "policy_area": "open-data"}])
def test_explorer_queries_do_not_grow(client, as_officer, params):
    """The explorer costs the same number of queries for 5 commitments as for 60 (4 milestones
    each), filtered and searched or not."""
    small, large = build_commitments(5), build_commitments(60)
    if as_officer:
        officer = MemberRoleFactory(member=small, role="officer").user
        MemberRoleFactory(member=large, user=officer, role="officer")
        client.force_login(officer)
    count = assert_queries_constant(
        lambda member: explorer_page(client, {**params, "member": member.slug}), small, large
    )
    assert count <= 10
