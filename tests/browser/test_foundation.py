import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADINGS = {
    "en": "Open government action plans, written together",
    "it": "Piani d'azione",
    "lv": "rīcības plāni",
    "es": "Planes de acción",
}


@pytest.mark.parametrize("code", ["en", "it", "lv", "es"])
def test_home_page_in_each_language(page, screenshot, code):
    """A visitor picks a language in the header; the page speaks it, on desktop and phone."""
    page.goto("/")
    if code != "en":
        page.get_by_role(
            "button",
            name=re.compile({"it": "Italiano", "lv": "Latvie", "es": "Español"}[code], re.I),
        ).click()
    assert page.locator("html").get_attribute("lang") == code
    assert HEADINGS[code].lower() in page.get_by_role("heading", level=1).inner_text().lower()
    screenshot(page, f"home-{code}-desktop")
    page.set_viewport_size(PHONE)
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"home-{code}-phone")
    page.set_viewport_size(DESKTOP)


def test_keyboard_user_can_skip_to_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_sign_in_and_out(page, screenshot):
    user = UserFactory(display_name="Ieva Ozoliņa")
    page.goto("/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign In").click()
    assert page.get_by_role("alert").is_visible()
    screenshot(page, "login-error-en-desktop")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    assert page.get_by_role("link", name=re.compile("Ieva Ozoliņa")).is_visible()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("link", name="Sign in").first.is_visible()


def test_sign_up_form_on_a_phone(page, screenshot):
    page.set_viewport_size(PHONE)
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Sign Up").click()
    assert page.get_by_role("alert").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "signup-errors-en-phone")
