"""The OGP admins' upload page and the report of each run: who may use them, how a bad file is
refused, and what the report shows. Celery runs inline here (see test_worker for a real one)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from commitments.importer import forms as import_forms
from commitments.models import Commitment, CommitmentImport
from commitments.templatetags.commitment_dates import partial_date
from ogp_platform import pagecache
from tests.imports.dataset import dataset_bytes, latvia, madrid
from tests.people import ANONYMOUS, OGP_ADMIN, POINT_OF_CONTACT, USER

pytestmark = pytest.mark.django_db

ROLES = [ANONYMOUS, USER, POINT_OF_CONTACT, OGP_ADMIN]


def upload(client, data: bytes, *, name="irm.csv", dry_run=False):
    payload = {"file": ContentFile(data, name=name)}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post(reverse("commitments:import_upload"), payload)


@pytest.fixture
def finished_run(people):
    run = CommitmentImport.objects.create(
        original_name="old.csv", created_by=people[OGP_ADMIN], status="done"
    )
    run.file.save("x.csv", ContentFile(b"x"))
    return run


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, people, role, finished_run, django_capture_on_commit_callbacks):
    """Only OGP admins open the pages and upload; others get 403, anonymous visitors sign in."""
    people.sign_in(client, role)
    pages = [
        reverse("commitments:import_upload"),
        finished_run.get_absolute_url(),
        finished_run.get_absolute_url() + "?format=json",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        posted = upload(client, dataset_bytes([latvia()]))
    responses = [client.get(url) for url in pages] + [posted]
    if role == OGP_ADMIN:
        assert [r.status_code for r in responses] == [200, 200, 200, 302]
        assert Commitment.objects.count() == 1
    elif role == ANONYMOUS:
        assert all(r.status_code == 302 for r in responses)
        assert all(reverse("account_login") in r["Location"] for r in responses)
        assert Commitment.objects.count() == 0
    else:
        assert [r.status_code for r in responses] == [403, 403, 403, 403]
        assert Commitment.objects.count() == 0
    assert CommitmentImport.objects.count() == (2 if role == OGP_ADMIN else 1)


def test_the_user_menu_links_to_the_page_for_admins_only(client, people):
    url = reverse("commitments:import_upload")
    people.sign_in(client, USER)
    assert url not in client.get(reverse("home")).content.decode()
    client.logout()
    people.sign_in(client, OGP_ADMIN)
    assert url in client.get(reverse("home")).content.decode()


def test_an_upload_stores_the_file_queues_the_import_and_reports(
    client, people, django_capture_on_commit_callbacks
):
    people.sign_in(client, OGP_ADMIN)
    data = dataset_bytes([latvia(), madrid(**{"Start Date": "Permanent activity"})], bom=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, data, name="IRM data <2024>.csv")
    # One task queued (the other callbacks after commit refresh the page cache).
    assert len([c for c in callbacks if getattr(c, "func", None) is not pagecache._bump]) == 1
    run = CommitmentImport.objects.get()
    assert response["Location"] == run.get_absolute_url()
    assert run.status == "done" and run.finished_at is not None
    assert run.created_by == people[OGP_ADMIN] and not run.dry_run
    # Stored under a generated name in a private prefix; the uploader's name is only shown.
    assert run.file.name.startswith("private/commitment-imports/")
    assert "IRM" not in run.file.name
    with run.file.open("rb") as stored:
        assert stored.read() == data
    assert Commitment.objects.count() == 2
    assert (
        Commitment.objects.get(identifier="LV0019").history.get().history_user == people[OGP_ADMIN]
    )

    page = client.get(run.get_absolute_url()).content.decode()
    assert "IRM data &lt;2024&gt;.csv" in page  # escaped
    assert "Permanent activity" in page
    assert "MAD0005" in page
    listing = client.get(reverse("commitments:import_upload")).content.decode()
    assert run.get_absolute_url() in listing
    assert "2 created, 0 updated, 0 skipped" in listing


def test_a_dry_run_upload_saves_nothing_but_reports(
    client, people, django_capture_on_commit_callbacks
):
    people.sign_in(client, OGP_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, dataset_bytes([latvia()]), dry_run=True)
    run = CommitmentImport.objects.get()
    assert run.dry_run and run.status == "done"
    assert run.summary["counts"]["commitments"]["created"] == 1
    assert not Commitment.objects.exists()
    assert "This was a dry run" in client.get(run.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Commitment Title;Full Text\nA;B\n".encode("utf-16"), "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
        (b"name,age\nAna,3\n", "This is not the IRM"),
        (b"", "The submitted file is empty"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_form_error(client, people, data, message):
    people.sign_in(client, OGP_ADMIN)
    response = upload(client, data, name="data.csv")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CommitmentImport.objects.exists()


def test_a_file_without_one_required_column_names_it(client, people):
    people.sign_in(client, OGP_ADMIN)
    response = upload(client, dataset_bytes([latvia()], drop=["Action Plan ID"]))
    assert response.status_code == 400
    assert "has no column “Action Plan ID”" in response.content.decode()


def test_a_file_over_the_limit_is_refused(client, people, monkeypatch):
    monkeypatch.setattr(import_forms, "MAX_IMPORT_SIZE", 100)
    people.sign_in(client, OGP_ADMIN)
    response = upload(client, dataset_bytes([latvia()]))
    assert response.status_code == 400
    assert "the limit is 100" in response.content.decode()


def test_a_run_in_progress_offers_to_check_again(client, people):
    people.sign_in(client, OGP_ADMIN)
    run = CommitmentImport.objects.create(created_by=people[OGP_ADMIN], status="running")
    page = client.get(run.get_absolute_url()).content.decode()
    assert "The import is running." in page and "Check again" in page
    assert "js/status-poll" in page
    assert client.get(run.get_absolute_url() + "?format=json").json() == {
        "status": "running",
        "finished": False,
    }


def test_a_failed_run_shows_why(client, people):
    people.sign_in(client, OGP_ADMIN)
    run = CommitmentImport.objects.create(
        created_by=people[OGP_ADMIN], status="failed", error="The column “Code” is missing."
    )
    page = client.get(run.get_absolute_url()).content.decode()
    assert "nothing was saved" in page and "The column “Code” is missing." in page


def test_long_notes_are_paginated_and_filtered_by_level(client, people):
    notes = [
        {"row": n, "identifier": f"LV{n:04d}", "level": "adjusted", "code": "not_a_date"}
        | {"params": {"column": "Start Date", "value": f"Soon {n}"}}
        for n in range(2, 152)
    ]
    notes.append({"row": 200, "identifier": "LV0200", "level": "skipped", "code": "no_title"})
    run = CommitmentImport.objects.create(
        created_by=people[OGP_ADMIN], status="done", summary={"rows": 151, "notes": notes}
    )
    people.sign_in(client, OGP_ADMIN)
    first = client.get(run.get_absolute_url()).content.decode()
    assert "Soon 2" in first and "Soon 101" in first and "Soon 102" not in first
    assert "Page 1 of 2" in first
    second = client.get(run.get_absolute_url() + "?page=2").content.decode()
    assert "Soon 102" in second
    skipped = client.get(run.get_absolute_url() + "?level=skipped").content.decode()
    assert "LV0200" in skipped and "Soon 2" not in skipped


def test_the_report_speaks_the_readers_language(client, people):
    run = CommitmentImport.objects.create(
        created_by=people[OGP_ADMIN],
        status="done",
        summary={
            "notes": [
                {
                    "row": 2,
                    "identifier": "AP_LVA02",
                    "level": "derived",
                    "code": "plan_created",
                    "params": {
                        "plan": "AP_LVA02",
                        "start_date": "2015-09-01",
                        "end_date": "2017-08-31",
                        "years": "2015–2017",
                        "status": "ended",
                    },
                }
            ]
        },
    )
    people.sign_in(client, OGP_ADMIN)
    page = client.get(run.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 September 2015" in page and "“Ended”" in page


# --- Dates to their precision ------------------------------------------------------------------


def test_partial_dates_print_only_what_is_known():
    day = datetime.date(2014, 7, 1)
    with translation.override("en"):
        assert partial_date(day, "month") == "July 2014"
        assert partial_date(day, "year") == "2014"
        assert partial_date(day, "day") == "1 July 2014"
        assert partial_date(None, "month") == ""
    with translation.override("es"):
        assert partial_date(day, "month") == "julio de 2014"
    with translation.override("lv"):
        assert "jūlijs" in partial_date(day, "month")


def test_the_commitment_page_shows_an_imported_month_as_a_month(
    client, people, django_capture_on_commit_callbacks
):
    people.sign_in(client, OGP_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, dataset_bytes([latvia(**{"Start Date": "July 2015", "End Date": "2017"})]))
    client.logout()
    page = client.get(reverse("commitments:detail", args=["LV0019"])).content.decode()
    assert "July 2015 – 2017" in page
    assert "1 July 2015" not in page
