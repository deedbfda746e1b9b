"""One plan's files: its commitments (CSV), its milestones (CSV, one row per milestone with its
commitment's id), and both in one JSON file with the milestones nested; drafts; the plan page's
links."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from commitments.opendata import MILESTONE_COLUMNS
from ogp_platform.opendata import LICENCE_URL
from tests.factories import UserFactory
from tests.members.factories import MemberRoleFactory
from tests.opendata.conftest import LATVIAN_TITLE, commitment
from tests.opendata.helpers import csv_records, csv_table, json_file
from tests.opendata.test_explorer_export import COMMITMENT_HEADER
from tests.plans.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

MILESTONE_HEADER = [
    "plan_id",
    "commitment_id",
    "milestone_id",
    "milestone_number",
    "title",
    "expected_output",
    "responsible_institution",
    "start_date",
    "end_date",
    "completion",
    "url",
]


def commitments_url(plan, fmt="csv"):
    return reverse("commitments:plan_commitments", args=[plan.identifier, fmt])


def milestones_url(plan):
    return reverse("commitments:plan_milestones", args=[plan.identifier])


@pytest.fixture
def plan(world):
    """Latvia's plan with a second commitment, placed first, with three milestones, and a
    third without any."""
    plan = world["plans"]["latvia"]
    plan.commitments.filter(pk=world["latvian"].pk).update(position=5)
    first = commitment(plan, "Lobbying register", position=0)
    for position, title in ((3, "Third"), (1, "First"), (2, "Second")):
        MilestoneFactory(commitment=first, position=position, title=title)
    commitment(plan, "No milestones yet", position=10)
    return plan


def test_a_plans_commitments_csv_lists_them_in_the_plans_order(client, world, plan):
    response = client.get(commitments_url(plan))
    assert response["Content-Disposition"] == 'attachment; filename="AP_LVA05-commitments.csv"'
    assert response["Link"] == f'<{LICENCE_URL}>; rel="license"'
    header, *rows = csv_table(response)
    assert header == COMMITMENT_HEADER
    assert [row[11] for row in rows] == ["Lobbying register", LATVIAN_TITLE, "No milestones yet"]
    assert {row[2] for row in rows} == {"AP_LVA05"}


def test_the_milestones_csv_has_one_row_per_milestone_with_its_commitments_id(client, world, plan):
    response = client.get(milestones_url(plan))
    assert response["Content-Disposition"] == 'attachment; filename="AP_LVA05-milestones.csv"'
    header, *_ = csv_table(response)
    assert header == MILESTONE_HEADER == [column.name for column in MILESTONE_COLUMNS]
    rows = csv_records(client.get(milestones_url(plan)))
    lobbying = plan.commitments.get(title="Lobbying register")
    latvian = world["latvian"]
    assert [(r["commitment_id"], r["milestone_number"], r["title"]) for r in rows] == [
        (lobbying.identifier, "1", "First"),
        (lobbying.identifier, "2", "Second"),
        (lobbying.identifier, "3", "Third"),
        (latvian.identifier, "1", "Pirmais: līgumu reģistrs"),
        (latvian.identifier, "2", "Otrais: atvērtie dati"),
    ]
    last = rows[-1]
    milestone = latvian.milestones.get(position=2)
    assert last == {
        "plan_id": "AP_LVA05",
        "commitment_id": latvian.identifier,
        "milestone_id": str(milestone.pk),
        "milestone_number": "2",
        "title": "Otrais: atvērtie dati",
        "expected_output": "A data set on the national open data portal.",
        "responsible_institution": "Valsts kanceleja",
        "start_date": "2025-10-01",
        "end_date": "2026-03-31",
        "completion": "complete",
        "url": f"http://testserver/commitments/{latvian.identifier}/#milestone-{milestone.pk}",
    }


def test_the_plans_json_nests_each_commitments_milestones(client, world, plan):
    response = client.get(commitments_url(plan, "json"))
    assert response["Content-Disposition"] == 'attachment; filename="AP_LVA05-commitments.json"'
    assert response["Link"] == f'<{LICENCE_URL}>; rel="license"'
    data = json_file(response)
    assert data["licence"]["url"] == LICENCE_URL
    assert data["source_url"] == "http://testserver/plans/AP_LVA05/"
    assert data["plan"] == {
        "plan_id": "AP_LVA05",
        "title": "Piektais atvērtās pārvaldības plāns",
        "member": "Latvia",
        "status": "implementation",
        "url": "http://testserver/plans/AP_LVA05/",
    }
    titles = [(c["title"], [m["title"] for m in c["milestones"]]) for c in data["commitments"]]
    assert titles == [
        ("Lobbying register", ["First", "Second", "Third"]),
        (LATVIAN_TITLE, ["Pirmais: līgumu reģistrs", "Otrais: atvērtie dati"]),
        ("No milestones yet", []),
    ]
    first = data["commitments"][0]
    assert list(first) == [*COMMITMENT_HEADER, "milestones"]
    assert list(first["milestones"][0]) == MILESTONE_HEADER
    assert first["milestones"][0]["milestone_number"] == 1
    assert first["milestones"][0]["commitment_id"] == first["commitment_id"]


@pytest.mark.parametrize(
    "url",
    [
        lambda plan: commitments_url(plan),
        lambda plan: commitments_url(plan, "json"),
        lambda plan: milestones_url(plan),
        lambda plan: reverse("commitments:plan_register", args=[plan.identifier, "csv"]),
        lambda plan: reverse("commitments:plan_register", args=[plan.identifier, "json"]),
    ],
)
def test_a_draft_plans_files_are_only_for_its_team_and_ogp_admins(client, world, url):
    draft = world["plans"]["draft"]
    assert client.get(url(draft)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url(draft)).status_code == 404
    client.force_login(MemberRoleFactory(member=draft.member, role="forum").user)
    response = client.get(url(draft))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    admin = UserFactory()
    Group.objects.get(name="OGP admins").user_set.add(admin)
    client.force_login(admin)
    assert client.get(url(draft)).status_code == 200


def test_an_unknown_plan_is_not_found(client, db):
    assert client.get("/plans/AP_XXX99/commitments.csv").status_code == 404
    assert client.get("/plans/AP_XXX99/milestones.csv").status_code == 404


def test_the_plan_page_offers_its_open_data(client, world):
    plan = world["plans"]["latvia"]
    html = client.get(plan.get_absolute_url()).content.decode()
    for url in (
        commitments_url(plan),
        commitments_url(plan, "json"),
        milestones_url(plan),
        reverse("commitments:plan_register", args=[plan.identifier, "csv"]),
        reverse("commitments:plan_register", args=[plan.identifier, "json"]),
        reverse("commitments:open_data"),
    ):
        assert f'href="{url}"' in html
    assert "CC BY 4.0" in html
