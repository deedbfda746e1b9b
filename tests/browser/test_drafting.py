"""Journey 2 (the part that lands with plans and commitments): an officer drafts a plan with two
commitments and their milestones, fixes a validation error shown by the form, reorders without a
page reload, and opens co-creation. The same drafting works with JavaScript disabled."""

import re

import pytest

from ogp_platform.members.models import MemberRole
from tests.browser.conftest import PHONE, sign_in
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.members.factories import InstitutionFactory, MemberFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def officer():
    member = MemberFactory(country="LV", country_alpha3="LVA", name="Latvia", slug="latvia")
    InstitutionFactory(member=member, name="Valsts kanceleja")
    InstitutionFactory(member=member, name="Finanšu ministrija")
    user = UserFactory(display_name="Līga Bērziņa")
    MemberRole.objects.create(member=member, user=user, role=MemberRole.Role.POINT_OF_CONTACT)
    return user


def add_commitment(page, title, *, end_date="2027-06-30"):
    page.get_by_role("link", name="Add a commitment").click()
    page.get_by_label(re.compile(r"^Title")).fill(title)
    page.get_by_label("Problem addressed").fill("Budžeta dati nav salīdzināmi.")
    page.get_by_label("Status quo").fill("Dati tiek publicēti PDF formātā.")
    page.get_by_label("Description").fill("Publicēt budžetus kā atvērtos datus.")
    page.get_by_label("How it will contribute to solving the problem").fill("Salīdzināmi dati.")
    page.get_by_label("Relevance to OGP values").fill("Piekļuve informācijai.")
    page.get_by_label("Access to information").check()
    page.get_by_label("Open Data").check()
    page.get_by_label("Lead institution").select_option(label="Valsts kanceleja")
    page.get_by_label("Start date").fill("2025-09-01")
    page.get_by_label("End date").fill(end_date)
    page.get_by_role("button", name="Save the commitment").click()


def add_milestone(page, title):
    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Expected output").fill("Dati publicēti data.gov.lv")
    page.get_by_label("Responsible institution").select_option(label="Finanšu ministrija")
    page.get_by_label("Start date").fill("2025-10-01")
    page.get_by_label("End date").fill("2026-03-31")
    page.get_by_role("button", name="Save the milestone").click()


def draft_a_plan(page, screenshot=None, suffix=""):
    page.goto("/members/latvia/")
    page.get_by_role("link", name="Start an action plan").click()
    page.get_by_label("Title").fill(f"Sestais rīcības plāns{suffix}")
    page.get_by_label("Start date").fill("2025-09-01")
    page.get_by_label("End date").fill("2027-08-31")
    page.get_by_role("button", name="Create the draft").click()
    assert page.get_by_role("heading", name=f"Sestais rīcības plāns{suffix}").is_visible()

    # The end date falls outside the plan: the form says so next to the field, keeps the rest.
    add_commitment(page, "Atvērti pašvaldību budžeti", end_date="2030-01-01")
    alert = page.get_by_role("alert")
    assert alert.get_by_text("There is a problem").is_visible()
    assert page.get_by_label("Problem addressed").input_value() == "Budžeta dati nav salīdzināmi."
    if screenshot:
        screenshot(page, "commitment-form-error-en-desktop")
    page.get_by_label("End date").fill("2027-06-30")
    page.get_by_role("button", name="Save the commitment").click()
    add_milestone(page, "Budžeta datu standarts")
    page.get_by_role("link", name="AP_LVA01").first.click()

    add_commitment(page, "Atklāts lobēšanas reģistrs")
    add_milestone(page, "Reģistra prototips")
    add_milestone(page, "Reģistrs publicēts")
    if screenshot:
        screenshot(page, "commitment-en-desktop")


def test_officer_drafts_a_plan_and_opens_cocreation(new_context, officer, screenshot):
    page = new_context().new_page()
    sign_in(page, officer.email, DEFAULT_PASSWORD)
    draft_a_plan(page, screenshot)

    # Reorder the milestones without a page reload.
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="Move down: Reģistra prototips").click()
    page.locator(
        "#milestones tbody tr:first-child strong", has_text="Reģistrs publicēts"
    ).wait_for()
    assert page.evaluate("window.__noReload") is True
    focused = page.evaluate("document.activeElement.textContent")
    assert "Reģistra prototips" in focused

    page.get_by_role("link", name="AP_LVA01").first.click()
    assert page.get_by_text("is complete.").count() == 2
    screenshot(page, "plan-draft-en-desktop")
    page.get_by_role("link", name="Open co-creation").click()
    page.get_by_role("button", name="Open co-creation").click()
    assert page.get_by_text("Co-creation is open: the plan is now public.").is_visible()

    # Everyone reads it now, on a phone too.
    visitor = new_context(PHONE).new_page()
    visitor.goto(page.url)
    assert visitor.get_by_role("heading", name="Sestais rīcības plāns").is_visible()
    assert visitor.get_by_role("link", name="Atklāts lobēšanas reģistrs").is_visible()
    screenshot(visitor, "plan-cocreation-en-phone")


def test_drafting_works_without_javascript(browser, live_server, officer):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, officer.email, DEFAULT_PASSWORD)
        draft_a_plan(page, suffix=" (bez JS)")
        page.get_by_role("button", name="Move down: Reģistra prototips").click()
        first = page.locator("#milestones tbody tr:first-child strong")
        assert first.text_content() == "Reģistrs publicēts"
    finally:
        context.close()
