"""My work, in Chromium against a live server: a government officer signs in and lands on their
own page, sees their plan and how many inputs wait for their response, and follows the link to
the register's pending inputs. From the keyboard, the header's "My work" link leads there and
Tab reaches every control of the page once, in order, with its focus visible; at 390 px nothing
scrolls sideways.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from action_plans.models import ActionPlan
from ogp_platform.members.models import MemberRole
from participation.links import args_of
from participation.services.comments import comment_post
from participation.services.consultations import consultation_create, consultation_open
from tests.browser import a11y
from tests.browser.conftest import PHONE, sign_in
from tests.browser.test_keyboard import press, tab_through, tab_to
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.members.factories import MemberFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PLAN_TITLE = "Latvijas atvērtās pārvaldības rīcības plāns"


@pytest.fixture
def officer():
    """Latvia's point of contact, whose plan is in co-creation with an open consultation and
    two comments (so two inputs) waiting for a response."""
    latvia = MemberFactory(country="LV", country_alpha3="LVA", name="Latvia", slug="latvia")
    officer = UserFactory(display_name="Līga Bērziņa")
    MemberRole.objects.create(member=latvia, user=officer, role=MemberRole.Role.POINT_OF_CONTACT)
    plan = ActionPlanFactory(
        member=latvia,
        status=ActionPlan.Status.COCREATION,
        published=True,
        created_by=officer,
        title=PLAN_TITLE,
        submission_deadline=timezone.localdate() + datetime.timedelta(days=60),
    )
    commitment = CommitmentFactory(plan=plan, title="Lobēšanas atklātības reģistrs")
    now = timezone.now()
    consultation = consultation_create(
        actor=officer,
        space=plan,
        title="Rīcības plāna projekta apspriešana",
        rules="Esiet pieklājīgi.",
        questions="Kas plānā trūkst?",
        opens_at=now + datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=14),
    )
    consultation_open(actor=officer, consultation=consultation)
    for name, body in (
        ("Kārlis Vītols", "Reģistram jābūt pieejamam arī kā atvērtajiem datiem."),
        ("Dace Krūmiņa", "Lūdzu, iekļaujiet arī pašvaldības."),
    ):
        comment_post(actor=UserFactory(display_name=name), target=commitment, body=body)
    officer.plan = plan
    return officer


def test_an_officer_starts_from_my_work_and_reaches_the_register(new_context, officer, screenshot):
    page = new_context().new_page()
    sign_in(page, officer.email, DEFAULT_PASSWORD)
    page.wait_for_url("**/my-work/")
    assert page.get_by_role("heading", level=1, name="My work").is_visible()
    assert page.get_by_role("heading", level=2, name="Government work").is_visible()
    plan = officer.plan
    assert page.get_by_role("link", name=f"{plan.identifier} {PLAN_TITLE}").first.is_visible()
    assert page.get_by_text("Co-creation", exact=True).first.is_visible()
    assert page.get_by_text("2 inputs are waiting for a reasoned response.").is_visible()
    a11y.check_page(page)
    screenshot(page, "my-work-officer-journey-en-desktop")

    page.get_by_role("link", name="2 inputs are waiting for your response").click()
    register = reverse("participation:register", args=args_of(plan))
    page.wait_for_url(f"**{register}?disposition=pending")
    assert page.get_by_text("2 inputs are waiting for a response.").is_visible()

    # From anywhere, the header's link leads back, from the keyboard too.
    page.goto(reverse("members:directory"))
    tab_to(page, page.get_by_role("link", name="My work", exact=True))
    press(page, "Enter")
    assert page.url.endswith(reverse("dashboard"))

    phone = new_context(PHONE).new_page()
    sign_in(phone, officer.email, DEFAULT_PASSWORD)
    phone.wait_for_url("**/my-work/")
    a11y.assert_no_horizontal_overflow(phone)
    a11y.check_page(phone)
    screenshot(phone, "my-work-officer-journey-en-phone")
    tab_through(phone)


def test_signing_in_on_the_way_somewhere_goes_there(page, officer):
    """A visitor sent to sign in from a page goes back to that page, not to My work."""
    page.goto(officer.plan.get_absolute_url())
    page.goto(f"{reverse('account_login')}?next={officer.plan.get_absolute_url()}")
    page.get_by_label("Email").fill(officer.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**{officer.plan.get_absolute_url()}")
