"""Journey 5, in Chromium against a live server: a visitor filters the commitment explorer,
opens a plan from the results and downloads its PDF. The PDF is checked to be a PDF with the
plan's title. The status page's script follows a rendering that takes a moment (a worker
stand-in renders it in the background) and starts the download by itself; without
JavaScript, "Check again" gets the visitor there.
"""

import io
import threading

import pytest
from pypdf import PdfReader

from action_plans import exports
from tests.browser.conftest import PHONE
from tests.members.factories import MemberFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PLAN_TITLE = "Atvērtās pārvaldības rīcības plāns 2026–2028"


@pytest.fixture
def world():
    latvia = MemberFactory(country="LV", country_alpha3="LVA", name="Latvia", slug="latvia")
    plan = ActionPlanFactory(member=latvia, status="cocreation", published=True, title=PLAN_TITLE)
    for title in ("Atklāti pašvaldību līgumi", "Lobēšanas reģistrs"):
        MilestoneFactory(commitment=CommitmentFactory(plan=plan, title=title))
    estonia = MemberFactory(country="EE", country_alpha3="EST", name="Estonia", slug="estonia")
    other = ActionPlanFactory(member=estonia, status="cocreation", published=True)
    CommitmentFactory(plan=other, title="Beneficial ownership register")
    return plan


@pytest.fixture
def slow_worker(monkeypatch):
    """Renders queued PDFs in a background thread after a short wait, as a worker would."""
    threads = []

    def queue(export):
        def later():
            timer = threading.Timer(1.5, exports.render_export, args=[export.pk])
            threads.append(timer)
            timer.start()

        from django.db import transaction

        transaction.on_commit(later)

    monkeypatch.setattr(exports, "_queue", queue)
    yield
    for thread in threads:
        thread.join(timeout=60)


def pdf_title_and_text(path) -> tuple[str, str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return reader.metadata.title, text


def filter_and_open_the_plan(page, plan):
    page.goto("/commitments/")
    page.get_by_label("Member", exact=True).select_option(label="Latvia")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_text("Atklāti pašvaldību līgumi").is_visible()
    assert page.get_by_text("Beneficial ownership register").count() == 0
    # The link reads "Action plan AP_LVA01" to screen readers; people see and click the id.
    page.get_by_role("link", name=f"Action plan {plan.identifier}").first.get_by_text(
        plan.identifier
    ).click()
    page.wait_for_url(f"**{plan.get_absolute_url()}")
    assert page.get_by_role("heading", name=PLAN_TITLE).is_visible()


def test_journey_5_a_visitor_finds_a_plan_and_downloads_its_pdf(
    world, new_context, screenshot, tmp_path, slow_worker
):
    page = new_context().new_page()
    filter_and_open_the_plan(page, world)
    screenshot(page, "plan-downloads-en-1280")

    page.get_by_role("button", name="Download the plan as PDF").click()
    # The rendering takes a moment: the page says so, then starts the download by itself.
    assert page.get_by_role("status").get_by_text("Waiting for its turn").is_visible()
    screenshot(page, "pdf-status-en-1280")
    with page.expect_download(timeout=60_000) as download_info:
        pass
    download = download_info.value
    assert download.suggested_filename == f"{world.identifier}-en.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    title, text = pdf_title_and_text(path)
    assert title == f"{world.identifier} {PLAN_TITLE}"
    assert PLAN_TITLE in text and "Lobēšanas reģistrs" in text
    assert page.get_by_role("link", name="Download the PDF").is_visible()
    screenshot(page, "pdf-ready-en-1280")


def test_the_plan_page_prints_without_its_controls(world, page):
    page.goto(world.get_absolute_url())
    button = page.get_by_role("button", name="Download the plan as PDF")
    assert button.is_visible()
    page.emulate_media(media="print")
    assert not button.is_visible()
    assert not page.get_by_role("link", name="Sign in").is_visible()
    assert page.get_by_role("heading", name=PLAN_TITLE).is_visible()
    assert page.get_by_text("Lobēšanas reģistrs").is_visible()


def test_journey_5_without_javascript_on_a_phone(world, new_context, tmp_path, slow_worker):
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    filter_and_open_the_plan(page, world)
    page.get_by_role("button", name="Download the plan as PDF").click()
    check_again = page.get_by_role("link", name="Check again")
    for _ in range(40):
        if page.get_by_role("link", name="Download the PDF").count():
            break
        page.wait_for_timeout(500)
        check_again.click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    path = tmp_path / "plan.pdf"
    download_info.value.save_as(path)
    title, _text = pdf_title_and_text(path)
    assert title == f"{world.identifier} {PLAN_TITLE}"
