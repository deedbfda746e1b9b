"""Asking for a PDF: one rendering per version of the document, failures that can be retried,
the status page and the download, and who may do what."""

import threading
import uuid

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.urls import reverse

from action_plans import exports, pdf
from action_plans.models import PdfExport
from action_plans.tasks import render_pdf
from tests.factories import UserFactory
from tests.members.factories import MemberRoleFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

Status = PdfExport.Status


@pytest.fixture
def plan():
    plan = ActionPlanFactory(status="cocreation", published=True)
    for _ in range(2):
        MilestoneFactory(commitment=CommitmentFactory(plan=plan))
    return plan


@pytest.fixture
def renderings(monkeypatch):
    """Counts the PDF renderings (the costly step)."""
    calls = []
    original = pdf.write_pdf

    def counting(html):
        calls.append(html)
        return original(html)

    monkeypatch.setattr(exports, "write_pdf", counting)
    return calls


def ask(plan, language="en", **kwargs):
    return exports.request_pdf(plan=plan, language=language, **kwargs)


def test_an_unchanged_plan_is_rendered_once_and_a_changed_one_again(
    plan, renderings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(plan)
    first.refresh_from_db()
    assert first.status == Status.READY and len(renderings) == 1
    assert first.pages >= 4 and first.size > 1000 and first.html == ""
    assert default_storage.open(first.file.name).read().startswith(b"%PDF-")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = ask(plan)
    assert again.pk == first.pk and not callbacks and len(renderings) == 1

    plan.title = "A better title"
    plan.save()
    with django_capture_on_commit_callbacks(execute=True):
        changed = ask(plan)
    changed.refresh_from_db()
    assert changed.pk != first.pk and changed.status == Status.READY and len(renderings) == 2
    # The rendering of the old version is gone, file and all.
    assert not PdfExport.objects.filter(pk=first.pk).exists()
    assert not default_storage.exists(first.file.name)


def test_a_change_to_a_milestone_is_a_new_version(
    plan, renderings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(plan)
    milestone = plan.commitments.first().milestones.first()
    milestone.title = "Publish the second data set"
    milestone.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = ask(plan)
    assert second.pk != first.pk and len(renderings) == 2


def test_each_language_and_each_commitment_has_its_own_rendering(
    plan, django_capture_on_commit_callbacks
):
    commitment = plan.commitments.first()
    with django_capture_on_commit_callbacks(execute=True):
        english = ask(plan)
        latvian = ask(plan, "lv")
        single = ask(plan, commitment_identifier=commitment.identifier)
    assert len({english.pk, latvian.pk, single.pk}) == 3
    assert single.filename == f"{commitment.identifier}-en.pdf"
    assert latvian.filename == f"{plan.identifier}-lv.pdf"


def test_the_date_of_generation_does_not_make_a_new_version(plan):
    one = pdf.render_document(plan, language="en")
    two = pdf.render_document(plan, language="en")
    assert one.fingerprint == two.fingerprint
    assert pdf.GENERATED_MARK in one.html
    assert pdf.GENERATED_MARK not in one.dated("en")


def test_a_failed_rendering_says_so_and_is_retried_once(
    plan, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(html):
        raise RuntimeError("cairo exploded")

    monkeypatch.setattr(exports, "write_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        export = ask(plan)
    export.refresh_from_db()
    assert export.status == Status.FAILED and "could not be made" in export.error
    assert "cairo" not in export.error  # no internals shown to users

    monkeypatch.setattr(exports, "write_pdf", pdf.write_pdf)
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.retry_pdf(export) is True
    export.refresh_from_db()
    assert export.status == Status.READY and export.error == ""
    assert exports.retry_pdf(export) is False  # not failed any more: nothing to retry


def test_a_rendering_that_cannot_be_queued_fails_visibly(
    plan, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(render_pdf, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        export = ask(plan)
    export.refresh_from_db()
    assert export.status == Status.FAILED and "could not be queued" in export.error


def test_a_redelivered_task_renders_at_most_once_more(plan, renderings):
    export = ask(plan)  # queued: the on-commit callback never ran
    assert export.status == Status.QUEUED
    assert exports.render_export(export.pk) == Status.READY
    # Delivered again after it finished: nothing happens.
    assert exports.render_export(export.pk) == Status.READY
    assert len(renderings) == 1
    # A worker killed mid-rendering leaves the export "rendering"; the redelivery finishes it.
    killed = ask(plan, "es")
    PdfExport.objects.filter(pk=killed.pk).update(status=Status.RENDERING)
    assert exports.render_export(killed.pk) == Status.READY
    assert len(renderings) == 2
    assert exports.render_export(uuid.uuid4()) == "missing"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_asking_at_the_same_moment_get_one_rendering(monkeypatch):
    plan = ActionPlanFactory(status="cocreation", published=True)
    CommitmentFactory(plan=plan)
    queued = []
    monkeypatch.setattr(exports, "_queue", lambda export: queued.append(export.pk))
    # Both requests render the HTML before either inserts its row.
    barrier = threading.Barrier(2)
    original = exports.render_document

    def in_step(*args, **kwargs):
        document = original(*args, **kwargs)
        barrier.wait(timeout=10)
        return document

    monkeypatch.setattr(exports, "render_document", in_step)
    results, errors = [], []

    def request():
        try:
            results.append(ask(plan).pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1
    assert PdfExport.objects.count() == 1
    assert queued == results[:1]


# --- Pages ---------------------------------------------------------------------------------


def test_a_visitor_exports_a_public_plan_and_downloads_it(
    client, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("action_plans:pdf", args=[plan.identifier]))
    export = PdfExport.objects.get()
    status_url = reverse("action_plans:pdf_status", args=[plan.identifier, export.pk])
    assert response.status_code == 302 and response["Location"] == status_url

    # Tasks run inline in the test settings: the PDF is ready once the request committed.
    page = client.get(status_url)
    assert page.status_code == 200
    download_url = reverse("action_plans:pdf_download", args=[plan.identifier, export.pk])
    assert download_url in page.content.decode()
    assert "Your PDF is ready." in page.content.decode()

    state = client.get(status_url, {"format": "json"}).json()
    assert state["ready"] is True and state["download_url"] == download_url

    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{plan.identifier}-en.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_plan_page_offers_the_pdf_in_the_language_of_the_page(client, plan):
    page = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("action_plans:pdf", args=[plan.identifier]) in page
    client.post(reverse("action_plans:pdf", args=[plan.identifier]))
    client.post(reverse("action_plans:pdf", args=[plan.identifier]), HTTP_ACCEPT_LANGUAGE="lv")
    assert set(PdfExport.objects.values_list("language", flat=True)) == {"en", "lv"}


def test_while_the_pdf_is_being_made_the_page_says_so_and_offers_to_check_again(client, plan):
    export = ask(plan)  # not rendered: its task was never sent
    status_url = reverse("action_plans:pdf_status", args=[plan.identifier, export.pk])
    page = client.get(status_url).content.decode()
    assert "Check again" in page and "/download/" not in page
    assert client.get(status_url, {"format": "json"}).json()["finished"] is False
    download = client.get(reverse("action_plans:pdf_download", args=[plan.identifier, export.pk]))
    assert download.status_code == 302 and download["Location"] == status_url


def test_a_failed_export_shows_its_message_and_a_retry_button(
    client, plan, django_capture_on_commit_callbacks
):
    export = ask(plan)
    PdfExport.objects.filter(pk=export.pk).update(status=Status.FAILED, error="It broke.")
    status_url = reverse("action_plans:pdf_status", args=[plan.identifier, export.pk])
    page = client.get(status_url).content.decode()
    assert "It broke." in page and "Try again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("action_plans:pdf_retry", args=[plan.identifier, export.pk]))
    assert response.status_code == 302
    export.refresh_from_db()
    assert export.status == Status.READY


def test_getting_the_export_url_starts_nothing(client, plan):
    response = client.get(reverse("action_plans:pdf", args=[plan.identifier]))
    assert response.status_code == 302 and not PdfExport.objects.exists()
    response = client.get(reverse("action_plans:pdf_retry", args=[plan.identifier, uuid.uuid4()]))
    assert response.status_code == 405


def test_the_export_needs_the_csrf_token(plan):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("action_plans:pdf", args=[plan.identifier]))
    assert response.status_code == 403 and not PdfExport.objects.exists()


def test_a_commitment_pdf(client, plan):
    commitment = plan.commitments.first()
    response = client.post(reverse("action_plans:commitment_pdf", args=[commitment.identifier]))
    export = PdfExport.objects.get()
    assert export.commitment_identifier == commitment.identifier
    assert response["Location"] == reverse(
        "action_plans:pdf_status", args=[plan.identifier, export.pk]
    )
    assert client.post(reverse("action_plans:commitment_pdf", args=["XX9999"])).status_code == 404


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("anonymous", False), ("stranger", False), ("officer", True), ("other_officer", False)],
)
def test_only_those_who_may_read_a_draft_may_export_it(client, who, allowed):
    draft = ActionPlanFactory(status="draft")
    commitment = CommitmentFactory(plan=draft)
    if who == "stranger":
        client.force_login(UserFactory())
    elif who == "officer":
        client.force_login(MemberRoleFactory(member=draft.member, role="officer").user)
    elif who == "other_officer":
        client.force_login(MemberRoleFactory(role="officer").user)
    plan_response = client.post(reverse("action_plans:pdf", args=[draft.identifier]))
    commitment_response = client.post(
        reverse("action_plans:commitment_pdf", args=[commitment.identifier])
    )
    if allowed:
        assert plan_response.status_code == commitment_response.status_code == 302
        assert PdfExport.objects.count() == 2
    else:
        assert plan_response.status_code == commitment_response.status_code == 404
        assert not PdfExport.objects.exists()

    # Someone else's export of the draft stays out of reach too.
    export = ask(draft)
    args = [draft.identifier, export.pk]
    for name in ("action_plans:pdf_status", "action_plans:pdf_download"):
        assert (client.get(reverse(name, args=args)).status_code != 404) is allowed
    retry = client.post(reverse("action_plans:pdf_retry", args=args))
    assert (retry.status_code != 404) is allowed


def test_an_export_is_only_reachable_under_its_own_plan(client, plan):
    other = ActionPlanFactory(status="cocreation", published=True)
    export = ask(plan)
    for name in ("action_plans:pdf_status", "action_plans:pdf_download"):
        assert client.get(reverse(name, args=[other.identifier, export.pk])).status_code == 404
