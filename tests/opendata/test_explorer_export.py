"""The commitment explorer's current result as CSV and JSON: the columns, the encoding, every
filter and the search, drafts, the licence and the file name."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from commitments.opendata import COMMITMENT_COLUMNS
from ogp_platform.opendata import LICENCE_URL
from tests.members.factories import MemberRoleFactory
from tests.opendata.conftest import LATVIAN_TITLE
from tests.opendata.helpers import body, csv_records, csv_table, json_file

pytestmark = pytest.mark.django_db

CSV = reverse("commitments:explorer_download", args=["csv"])
JSON = reverse("commitments:explorer_download", args=["json"])
PUBLIC = {"latvian", "budgets", "madrid", "mexico"}

COMMITMENT_HEADER = [
    "commitment_id",
    "commitment_number",
    "plan_id",
    "plan_title",
    "plan_status",
    "plan_start_date",
    "plan_end_date",
    "member",
    "member_kind",
    "country",
    "region",
    "title",
    "short_title",
    "problem",
    "status_quo",
    "description",
    "contribution",
    "values_relevance",
    "value_access_to_information",
    "value_civic_participation",
    "value_public_accountability",
    "value_technology_innovation",
    "policy_areas",
    "lead_institution",
    "supporting_institutions",
    "supporting_organisations",
    "start_date",
    "start_date_precision",
    "end_date",
    "end_date_precision",
    "budget",
    "budget_currency",
    "status",
    "completion",
    "milestone_count",
    "url",
    "updated_at",
]


def ids(world, *names) -> set[str]:
    return {world[name].identifier for name in names}


def exported(client, **params) -> set[str]:
    return {row["commitment_id"] for row in csv_records(client.get(CSV, params))}


def test_the_csv_has_the_documented_columns_a_bom_and_one_line_per_commitment(client, world):
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = csv_table(response)
    assert header == COMMITMENT_HEADER == [column.name for column in COMMITMENT_COLUMNS]
    assert {row[0] for row in rows} == ids(world, *PUBLIC)


def test_latvian_text_and_every_value_round_trip(client, world):
    """Decoded as UTF-8 with its BOM and parsed by the csv module, a row says what the
    commitment says: ISO dates, true/false, "; " between the values of a multi-valued cell."""
    made = world["latvian"]
    row = next(r for r in csv_records(client.get(CSV)) if r["commitment_id"] == made.identifier)
    assert row["title"] == LATVIAN_TITLE
    assert row["problem"] == "Līgumi tiek publicēti novēloti.\nOtrā rindkopa."
    assert row["plan_id"] == "AP_LVA05"
    assert row["plan_title"] == "Piektais atvērtās pārvaldības plāns"
    assert row["plan_status"] == "implementation"
    assert row["plan_start_date"] == "2025-09-01"
    assert row["member"] == "Latvia"
    assert row["member_kind"] == "national"
    assert row["country"] == "LV"
    assert row["region"] == "europe"
    assert row["value_access_to_information"] == "true"
    assert row["value_civic_participation"] == "false"
    assert row["policy_areas"] == "Open Data; Public Procurement"
    assert row["lead_institution"] == "Valsts kanceleja"
    assert row["supporting_institutions"] == (
        "Finanšu ministrija; Vides aizsardzības un reģionālās attīstības ministrija"
    )
    assert row["supporting_organisations"] == "Sabiedrība par atklātību – Delna"
    assert row["start_date"] == "2025-09-01"
    assert row["start_date_precision"] == "day"
    assert row["end_date"] == "2027-06-30"
    assert row["end_date_precision"] == "day"
    assert row["budget"] == "125000.50"
    assert row["budget_currency"] == "EUR"
    assert row["status"] == "active"
    assert row["completion"] == "substantial"
    assert row["milestone_count"] == "2"
    assert row["url"] == f"http://testserver/commitments/{made.identifier}/"
    assert datetime.datetime.fromisoformat(row["updated_at"]).utcoffset() == datetime.timedelta(0)
    empty = next(
        r for r in csv_records(client.get(CSV)) if r["commitment_id"] == world["madrid"].identifier
    )
    assert empty["policy_areas"] == "" and empty["budget"] == "" and empty["completion"] == ""
    assert empty["milestone_count"] == "0"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"member": "latvia"}, {"latvian", "budgets"}),
        ({"kind": "local"}, {"madrid"}),
        ({"region": "americas"}, {"mexico"}),
        ({"policy_area": "open-data"}, {"latvian", "mexico"}),
        ({"policy_area": "public-procurement"}, {"latvian"}),
        ({"value": "civic_participation"}, {"budgets", "madrid"}),
        ({"value": "technology_innovation"}, {"mexico"}),
        ({"status": "withdrawn"}, {"mexico"}),
        ({"status": "inactive"}, {"madrid"}),
        ({"completion": "complete"}, {"budgets"}),
        ({"completion": "not_reported"}, {"madrid"}),
        ({"year": "2021"}, {"budgets"}),
        ({"year": "2025", "member": "latvia"}, {"latvian"}),
        ({"q": "budgeting"}, {"madrid"}),
        ({"q": "ownership register"}, {"mexico"}),
        ({"q": "lobbying"}, set()),  # only the draft says it
        ({"member": "nowhere"}, PUBLIC),  # an invalid filter is ignored, as on the page
    ],
)
def test_every_filter_and_the_search_apply_to_the_export(client, world, params, expected):
    """The export holds exactly the explorer's result for the same query string."""
    assert exported(client, **params) == ids(world, *expected)
    page = client.get(reverse("commitments:explorer"), params)
    assert {c.identifier for c in page.context["page"].object_list} == ids(world, *expected)
    assert {c["commitment_id"] for c in json_file(client.get(JSON, params))["commitments"]} == ids(
        world, *expected
    )


def test_the_export_keeps_the_explorers_order(client, world):
    page = client.get(reverse("commitments:explorer"), {"sort": "title"})
    shown = [c.identifier for c in page.context["page"].object_list]
    assert [r["commitment_id"] for r in csv_records(client.get(CSV, {"sort": "title"}))] == shown
    assert len(shown) == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_full_text_search_syntax_applies_on_postgresql(client, world):
    assert exported(client, q='"every district"') == ids(world, "madrid")
    assert exported(client, q="budgets -municipal") == set()


def test_drafts_are_hidden_from_anonymous_visitors_and_strangers(client, world, user):
    assert world["draft"].identifier not in exported(client)
    assert world["draft"].identifier not in body(client.get(JSON)).decode()
    client.force_login(user)
    assert world["draft"].identifier not in exported(client)


def test_drafts_are_in_the_export_of_the_members_team(client, world):
    officer = MemberRoleFactory(member=world["members"]["canada"]).user
    client.force_login(officer)
    assert exported(client) == ids(world, *PUBLIC, "draft")
    assert exported(client, member="canada") == ids(world, "draft")
    records = json_file(client.get(JSON, {"member": "canada"}))["commitments"]
    assert [r["plan_status"] for r in records] == ["draft"]


def test_the_json_is_valid_with_licence_metadata_and_typed_values(client, world):
    response = client.get(JSON, {"member": "latvia", "q": "Atvērtie"})
    data = json_file(response)
    assert data["licence"] == {
        "id": "CC-BY-4.0",
        "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        "url": LICENCE_URL,
    }
    assert data["source_url"].startswith("http://testserver/commitments/?")
    assert "member=latvia" in data["source_url"]
    assert data["documentation_url"] == "http://testserver/open-data/"
    generated = datetime.datetime.fromisoformat(data["generated_at"])
    assert abs(generated - timezone.now()) < datetime.timedelta(minutes=1)
    (row,) = data["commitments"]
    assert list(row) == COMMITMENT_HEADER
    assert row["title"] == LATVIAN_TITLE
    assert row["policy_areas"] == ["Open Data", "Public Procurement"]
    assert row["supporting_organisations"] == ["Sabiedrība par atklātību – Delna"]
    assert row["value_access_to_information"] is True
    assert row["value_civic_participation"] is False
    assert row["budget"] == 125000.5
    assert row["milestone_count"] == 2
    assert row["start_date"] == "2025-09-01"
    assert row["completion"] == "substantial"
    # Unescaped UTF-8, as written.
    assert LATVIAN_TITLE.encode() in body(client.get(JSON, {"member": "latvia"}))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_downloads_name_their_file_and_state_the_licence(client, world, fmt):
    response = client.get(reverse("commitments:explorer_download", args=[fmt]))
    assert response["Link"] == f'<{LICENCE_URL}>; rel="license"'
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="commitments-{today}.{fmt}"'


def test_downloads_refuse_anything_but_get(client, world):
    assert client.post(CSV).status_code == 405
    assert client.get("/commitments.xml").status_code == 404


def test_the_explorer_links_to_its_results_as_csv_and_json(client, world):
    page = client.get(reverse("commitments:explorer"), {"member": "latvia", "q": "budgets"})
    html = page.content.decode()
    assert f'href="{CSV}?member=latvia&amp;q=budgets"' in html
    assert f'href="{JSON}?member=latvia&amp;q=budgets"' in html
    assert f'href="{reverse("commitments:open_data")}"' in html


def test_imported_dates_say_how_much_of_them_is_known(client, world):
    """A date imported as "July 2014" or "2016" is exported with its precision."""
    made = world["madrid"]
    type(made).objects.filter(pk=made.pk).update(
        start_date_precision="year", end_date_precision="month"
    )
    (row,) = csv_records(client.get(CSV, {"member": "madrid"}))
    assert (row["start_date_precision"], row["end_date_precision"]) == ("year", "month")
    (record,) = json_file(client.get(JSON, {"member": "madrid"}))["commitments"]
    assert (record["start_date_precision"], record["end_date_precision"]) == ("year", "month")
