"""The catalogue's pages: the list with its filters, search in the reader's language,
pagination and empty state; an enabler's page; the schemas as templates; and their query
counts, constant in the size of the catalogue."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.coproduction.catalogue_factories import import_fixture, make_enablers
from tests.coproduction.process_factories import add_item, create_process, world
from tests.factories import UserFactory
from tests.members.factories import MemberFactory
from tests.people import USER
from tests.queries import assert_queries_constant, get_ok
from use_cases.coproduction.models import Enabler, ProblemProfile, Resource, Schema
from use_cases.coproduction.selectors.catalogue import (
    catalogue_enablers,
    ordered_by_prerequisites,
    suggested_enablers,
)
from use_cases.coproduction.services import catalogue as services

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("coproduction:catalogue")


@pytest.fixture
def catalogue():
    import_fixture()


def _keys(response) -> list[str]:
    return re.findall(r'id="enabler-([-a-z0-9_]+)"', response.content.decode())


def _get(client, params=None, language="en"):
    return client.get(CATALOGUE, params or {}, HTTP_ACCEPT_LANGUAGE=language)


def test_the_list_shows_the_published_enablers_by_name(client, catalogue):
    Enabler.objects.filter(key="survey-runner").update(status=Enabler.Status.WITHDRAWN)
    response = _get(client)
    assert response.status_code == 200
    assert _keys(response) == [
        "idea-board",
        "legacy-forms-archive",
        "neighbourhood-walk-guide",
        "open-data-checklist",
        "service-blueprint-template",
        "video-meeting-service",
        "workshop-consent-form",
    ]
    html = response.content.decode()
    assert "7 enablers" in html
    assert "An idea board where people post proposals" in html
    assert "Guidelines · PDF · Easy · Public domain" in html  # the walk guide's labels


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "software"}, {"idea-board", "survey-runner"}),
        ({"form": "guidelines"}, {"neighbourhood-walk-guide", "open-data-checklist"}),
        (
            {"format": "editable_source_document"},
            {"service-blueprint-template", "workshop-consent-form"},
        ),
        ({"difficulty": "very_easy"}, {"workshop-consent-form"}),
        ({"licence": "proprietary"}, {"workshop-consent-form", "video-meeting-service"}),
        ({"scope": "eu"}, {"workshop-consent-form", "video-meeting-service", "idea-board"}),
        (
            {"problem_profile": "DES_PROBLEM_2"},
            {"service-blueprint-template", "open-data-checklist", "idea-board"},
        ),
        ({"problem_profile": "ORG_PROBLEM_4.1"}, {"workshop-consent-form"}),
        ({"written_in": "lv"}, {"neighbourhood-walk-guide", "workshop-consent-form", "idea-board"}),
        ({"kind": "external", "scope": "local"}, {"video-meeting-service", "legacy-forms-archive"}),
    ],
)
def test_each_filter_narrows_the_list(client, catalogue, params, expected):
    response = _get(client, params)
    assert set(_keys(response)) == expected
    assert "Clear filters" in response.content.decode()


def test_a_filter_value_that_is_not_understood_is_ignored_and_said(client, catalogue):
    response = _get(client, {"kind": "robots", "form": "guidelines"})
    assert set(_keys(response)) == {"neighbourhood-walk-guide", "open-data-checklist"}
    assert "Some filters were not understood and have been ignored" in response.content.decode()


def test_search_is_in_the_readers_language(client, catalogue):
    # Italian words find the Italian texts for an Italian reader only.
    assert _keys(_get(client, {"q": "passeggiata"}, "it")) == ["neighbourhood-walk-guide"]
    assert _keys(_get(client, {"q": "passeggiata"}, "en")) == []
    # Latvian tags, and a problem profile's name in the reader's language.
    assert _keys(_get(client, {"q": "balsošana"}, "lv")) == ["idea-board"]
    assert set(_keys(_get(client, {"q": "Probar con quienes"}, "es"))) == {
        "neighbourhood-walk-guide",
        "open-data-checklist",
        "survey-runner",
    }
    # Every word must be there; the search combines with the filters.
    assert _keys(_get(client, {"q": "survey questionnaire"})) == ["survey-runner"]
    assert _keys(_get(client, {"q": "walk", "kind": "software"})) == []
    # A reader of a language without the text searches what they are shown (English).
    assert _keys(_get(client, {"q": "blueprint"}, "lv")) == ["service-blueprint-template"]


def test_search_documents_follow_the_languages_and_their_fallbacks(catalogue):
    with translation.override("it"):
        found = catalogue_enablers(user=None, language="it", q="Bacheca")
    assert [e.key for e in found] == ["idea-board"]
    assert [e.key for e in catalogue_enablers(user=None, language="lv", q="blueprint")] == [
        "service-blueprint-template"
    ]


def test_the_list_is_paginated(client):
    make_enablers(25)
    first = _get(client)
    assert len(_keys(first)) == 20 and "Page 1 of 2" in first.content.decode()
    second = _get(client, {"page": 2})
    assert len(_keys(second)) == 5
    assert set(_keys(first)).isdisjoint(_keys(second))


def test_the_empty_states(client, people):
    html = _get(client).content.decode()
    assert "No enabler matches" in html and "The catalogue is empty." in html
    make_enablers(1)
    html = _get(client, {"q": "nothing-like-this"}).content.decode()
    assert "0 enablers" in html and "clear the filters" in html


def test_the_readers_language_names_the_enablers(client, catalogue):
    html = _get(client, language="it").content.decode()
    assert "Guida alla passeggiata di quartiere" in html
    assert "Service blueprint template" in html  # no Italian name: the English one


def test_the_catalogue_costs_the_same_queries_with_60_or_600_enablers(client, people):
    """Signed in, so that the page is rendered each time rather than served from the cache."""
    people.sign_in(client, USER)
    assert_queries_constant(
        lambda _: get_ok(client, CATALOGUE, {"page": 2}),
        lambda: make_enablers(60),
        lambda: make_enablers(540, start=60),
    )
    assert_queries_constant(
        lambda _: get_ok(client, CATALOGUE, {"q": "enabler", "scope": "local"}),
        None,
        lambda: make_enablers(100, start=600),
    )


# --- An enabler's page ----------------------------------------------------------------------


def test_an_enablers_page_shows_what_it_is_and_where_to_find_it(client, catalogue):
    response = client.get(reverse("coproduction:enabler", args=["neighbourhood-walk-guide"]))
    html = response.content.decode()
    assert '<h1 class="page-title"><bdi>Neighbourhood walk guide</bdi></h1>' in html
    assert "<li>who to invite</li>" in html  # its HTML, sanitised, as HTML
    for text in ("walk", "listening", "Reaching people who do not usually take part"):
        assert text in html
    for label in ("Guidelines", "PDF", "Easy", "Public domain", "Local"):
        assert f"<dd>{label}</dd>" in html
    # A file of INTERLINK's repository is named, and the repository linked.
    assert "./interlinkers/knowledge/Neighbourhood-Walk/resource.pdf" in html
    assert 'href="https://github.com/interlink-project/interlinkers-data"' in html
    assert "Used in</dt><dd>0 processes" in html
    assert "Not rated yet" in html
    assert "Sign in</a> to rate this enabler" in html


def test_an_external_enablers_address_is_a_link_and_unsafe_ones_none(client, catalogue):
    html = client.get(reverse("coproduction:enabler", args=["open-data-checklist"])).content
    assert b'href="https://example.org/open-data-checklist"' in html
    assert b'href="https://example.org/it/lista-dati-aperti"' in html  # the Italian one too
    archive = client.get(reverse("coproduction:enabler", args=["legacy-forms-archive"])).content
    assert b"javascript:" not in archive


def test_the_blueprints_hostile_markup_is_gone_from_its_page(client, catalogue):
    html = client.get(reverse("coproduction:enabler", args=["service-blueprint-template"]))
    content = html.content.decode()
    assert "A template for drawing a service blueprint" in content
    assert "steal()" not in content and "alert(" not in content


def test_used_in_counts_distinct_processes(client, people, catalogue):
    w = world(people)
    walk = Enabler.objects.get(key="neighbourhood-walk-guide")
    other = create_process(w.owner, people.member, name="Safer crossings")
    phase = add_item(w.owner, other, name="Engage")
    objective = add_item(w.owner, other, phase, name="Listen")
    other_task = add_item(w.owner, other, objective, name="Walk")
    for task in (w.task, w.second_task, other_task):
        Resource.objects.create(
            task=task, kind="enabler", enabler=walk, title="Walk", created_by=w.owner
        )
    html = client.get(walk.get_absolute_url()).content.decode()
    assert "Used in</dt><dd>2 processes" in html


def test_ratings_show_their_average_count_and_comments(client, catalogue):
    walk = Enabler.objects.get(key="neighbourhood-walk-guide")
    for stars, comment in ((5, "We walked with 30 residents."), (4, ""), (4, "")):
        services.enabler_rate(actor=UserFactory(), enabler=walk, stars=stars, comment=comment)
    html = client.get(walk.get_absolute_url()).content.decode()
    assert "4.3 out of 5 (3 ratings)" in html
    assert "We walked with 30 residents." in html


def test_a_withdrawn_enablers_page_says_so_and_why(client, catalogue):
    walk = Enabler.objects.get(key="neighbourhood-walk-guide")
    services.enabler_withdraw(
        actor=UserFactory(is_superuser=True), enabler=walk, reason="Replaced by a newer guide."
    )
    html = client.get(walk.get_absolute_url()).content.decode()
    assert "This enabler was withdrawn from the catalogue on" in html
    assert "Replaced by a newer guide." in html
    assert "Rate it" not in html
    assert "neighbourhood-walk-guide" not in _keys(_get(client))


def test_an_unknown_enabler_is_not_found(client):
    assert client.get(reverse("coproduction:enabler", args=["nothing-here"])).status_code == 404


def test_an_enablers_page_costs_the_same_queries_with_few_or_many_ratings(client, people):
    (enabler,) = make_enablers(1)
    people.sign_in(client, USER)

    def rate(count):
        for _ in range(count):
            services.enabler_rate(
                actor=UserFactory(), enabler=enabler, stars=3, comment="Useful enough."
            )

    assert_queries_constant(
        lambda _: get_ok(client, enabler.get_absolute_url()),
        lambda: rate(2),
        lambda: rate(30),
    )


# --- Suggestions for a task -----------------------------------------------------------------


def test_suggestions_share_the_tasks_problem_profiles_most_shared_first(people, catalogue):
    w = world(people)
    task = w.task
    task.problem_profiles.set(
        ProblemProfile.objects.filter(key__in=["ENG_PROBLEM_1", "DES_PROBLEM_2"])
    )
    Enabler.objects.filter(key="video-meeting-service").update(status=Enabler.Status.WITHDRAWN)
    suggested = suggested_enablers(task)
    assert [(e.key, e.shared) for e in suggested] == [
        ("idea-board", 2),
        ("neighbourhood-walk-guide", 1),
        ("open-data-checklist", 1),
        ("service-blueprint-template", 1),
    ]
    assert [e.key for e in suggested_enablers(task, limit=2)] == [
        "idea-board",
        "neighbourhood-walk-guide",
    ]
    # An enabler the task already works with is not suggested again.
    Resource.objects.create(
        task=task,
        kind="enabler",
        enabler=Enabler.objects.get(key="idea-board"),
        title="Ideas",
        created_by=w.owner,
    )
    assert "idea-board" not in [e.key for e in suggested_enablers(task)]
    assert suggested_enablers(w.second_task) == []  # it faces no problem profile


def test_suggestions_cost_one_query_whatever_the_catalogue(people, django_assert_num_queries):
    w = world(people)
    profiles = list(
        ProblemProfile.objects.bulk_create([ProblemProfile(key=f"P{n}") for n in range(2)])
    )
    w.task.problem_profiles.set(profiles)
    make_enablers(40, profiles=profiles)
    with django_assert_num_queries(1):
        assert len(suggested_enablers(w.task, limit=5)) == 5


# --- Schemas --------------------------------------------------------------------------------


def test_the_schemas_page_lists_each_schemas_tree_in_the_order_it_follows(client, catalogue):
    html = client.get(reverse("coproduction:schemas")).content.decode()
    assert "Neighbourhood consultation" in html
    # The source lists "Report" first; it comes after "Listen".
    assert html.index("Phase: <bdi>Listen</bdi>") < html.index("Phase: <bdi>Report</bdi>")
    assert html.index("<bdi>Walk the neighbourhood</bdi>") < html.index("<bdi>Hold a meeting</bdi>")
    assert "(after: Walk the neighbourhood)" in html
    assert "After: Listen" in html
    assert "?problem_profile=ENG_PROBLEM_1" in html
    assert 'id="schema-neighbourhood-consultation"' in html
    italian = client.get(reverse("coproduction:schemas"), HTTP_ACCEPT_LANGUAGE="it").content
    assert "Consultazione di quartiere" in italian.decode()


def test_the_schemas_page_without_schemas(client):
    assert "No schema yet" in client.get(reverse("coproduction:schemas")).content.decode()


def test_prerequisites_order_siblings_and_cycles_do_not_lose_items():
    items = [
        {"id": "c", "prerequisites": [{"item": "b"}]},
        {"id": "b", "prerequisites": [{"item": "a"}, {"item": "elsewhere"}]},
        {"id": "a", "prerequisites": []},
        {"id": "x", "prerequisites": [{"item": "y"}]},
        {"id": "y", "prerequisites": [{"item": "x"}]},
    ]
    assert [i["id"] for i in ordered_by_prerequisites(items)] == ["a", "b", "c", "x", "y"]


def test_the_schemas_page_costs_the_same_queries_with_one_schema_or_many(client, catalogue):
    client.force_login(UserFactory())
    source = Schema.objects.get()

    def more_schemas():
        for number in range(5):
            Schema.objects.create(
                key=f"copy-{number}",
                name_translations={"en": f"Copy {number}"},
                phases=source.phases,
                origin="saved",
                created_from=create_process(
                    UserFactory(is_superuser=True), MemberFactory(), name=f"Process {number}"
                ),
            )

    assert_queries_constant(
        lambda _: get_ok(client, reverse("coproduction:schemas")), None, more_schemas
    )
