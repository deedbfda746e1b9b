"""Journey 1: an OGP admin onboards a new member and invites its point of contact, who accepts
the invitation from the email and lands on the member's page with the right to draft."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from ogp_platform.members.policies import OGP_ADMINS_GROUP
from tests.browser.conftest import PHONE, sign_in
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_admin_onboards_a_member_and_its_point_of_contact_accepts(
    new_context, screenshot, tmp_path
):
    admin = UserFactory(display_name="Ada Admin")
    Group.objects.get(name=OGP_ADMINS_GROUP).user_set.add(admin)
    page = new_context().new_page()
    sign_in(page, admin.email, DEFAULT_PASSWORD)

    page.get_by_role("link", name="Onboarding", exact=True).click()
    page.get_by_role("link", name="Start onboarding a new member").click()
    page.get_by_label("National government").check()
    page.get_by_label("Name").fill("Moldova")
    page.get_by_label("Country").select_option(label="Moldova")
    page.get_by_label("Region").select_option(label="Europe")
    page.get_by_role("button", name="Start onboarding").click()
    assert page.get_by_role("heading", name="Moldova").is_visible()

    page.get_by_role("link", name="Eligibility").first.click()
    page.wait_for_load_state()
    page.get_by_label("Fiscal transparency").select_option("4")
    page.get_by_label("Access to information").select_option("4")
    page.get_by_label("Public officials' asset disclosure").select_option("2")
    page.get_by_label("Citizen engagement").select_option("1")
    # The result updates live as the scores change: 11 of 16 is not enough.
    page.get_by_text("Not eligible").wait_for()
    page.get_by_label("Citizen engagement").select_option("2")
    page.locator("#eligibility-result").get_by_text("Eligible", exact=True).wait_for()
    screenshot(page, "onboarding-eligibility-en-desktop")
    page.get_by_role("button", name="Save this step").click()

    page.get_by_role("link", name="Values check").first.click()
    page.get_by_label("Pass").check()
    page.get_by_role("button", name="Save this step").click()

    page.get_by_role("link", name="Letter of intent").first.click()
    page.get_by_label("Date of the letter").fill("2026-11-02")
    not_pdf = tmp_path / "letter.pdf"
    not_pdf.write_bytes(b"<html>this is not a PDF</html>")
    page.get_by_label("Letter of intent (PDF, at most 10 MB)").set_input_files(str(not_pdf))
    page.get_by_role("button", name="Save this step").click()
    assert page.get_by_role("alert").get_by_text("The file is not a PDF document.").is_visible()
    letter = tmp_path / "letter-ok.pdf"
    letter.write_bytes(PDF)
    page.get_by_label("Letter of intent (PDF, at most 10 MB)").set_input_files(str(letter))
    page.get_by_role("button", name="Save this step").click()

    page.get_by_role("link", name="Lead agency and points of contact").first.click()
    page.get_by_role("textbox", name="Lead ministry or agency").fill("State Chancellery")
    page.get_by_role("button", name="Save the lead agency").click()
    page.get_by_label("Email address").fill("ion.popescu@gov.md")
    page.get_by_role("button", name="Send the invitation").click()
    assert page.get_by_role("cell", name="ion.popescu@gov.md", exact=True).is_visible()

    # A sent invitation is not a point of contact: activation waits for one to accept.
    page.get_by_role("link", name="Activation").first.click()
    page.get_by_role("button", name="Activate Moldova").click()
    assert page.get_by_role("alert").get_by_text("Lead agency and points of contact").is_visible()

    # The point of contact, in a browser of their own, follows the link from the email.
    link = re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)
    contact = new_context(PHONE).new_page()
    contact.goto(link)
    screenshot(contact, "invitation-en-phone")
    contact.get_by_role("link", name="Create an account").click()
    contact.get_by_label("Email").fill("ion.popescu@gov.md")
    contact.get_by_label("Display name").fill("Ion Popescu")
    contact.get_by_label(re.compile(r"^Password(?! \(again)")).fill("a-long-passphrase-1")
    contact.get_by_label("Password (again)").fill("a-long-passphrase-1")
    contact.get_by_role("button", name="Sign Up").click()
    contact.get_by_role("button", name="Accept the invitation").click()
    assert contact.get_by_role("heading", name="Moldova", level=1).is_visible()
    assert contact.get_by_text("You may draft this member's action plans.").is_visible()
    screenshot(contact, "member-after-invitation-en-phone")

    page.get_by_role("link", name="Activation").first.click()
    page.get_by_role("button", name="Activate Moldova").click()
    assert page.get_by_text("Moldova is now an active member.").is_visible()
