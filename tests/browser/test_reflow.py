"""Reflow at 320 CSS pixels (WCAG 2.1, 1.4.10): the pages where long words broke the layout
read without scrolling sideways on a narrow phone, or at 400 % zoom on a 1280 px screen.

A commitment title of 200 letters without a space (as a pasted link or a long compound word
arrives) once pushed the plan page, the commitment page and the explorer sideways; the open-data
page's file addresses and the profile's row of tabs did too. Screenshots go to screenshots/ as
`reflow-<page>-320.png`.
"""

import pytest
from django.urls import reverse

from tests.browser import a11y
from tests.browser.conftest import sign_in
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.members.factories import MemberFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NARROW = {"width": 320, "height": 640}
UNBROKEN = ("Atklātipašvaldībulīgumiunizdevumi" * 7)[:200]


@pytest.fixture
def long_title():
    latvia = MemberFactory(country="LV", country_alpha3="LVA", name="Latvia", slug="latvia")
    plan = ActionPlanFactory(member=latvia, status="cocreation", published=True)
    commitment = CommitmentFactory(plan=plan, title=UNBROKEN, short_title=UNBROKEN[:60])
    MilestoneFactory(commitment=commitment, title=UNBROKEN)
    return commitment


@pytest.mark.parametrize(
    "name",
    ["plan", "commitment", "explorer", "explorer-search", "open-data", "profile"],
)
def test_nothing_scrolls_sideways_at_320_px(long_title, new_context, screenshot, name):
    """At 320 px wide, with a commitment titled by 200 letters without a space, the page is
    no wider than the screen: long words wrap, and rows of tabs wrap onto more lines."""
    assert len(UNBROKEN) == 200 and " " not in UNBROKEN
    page = new_context(NARROW).new_page()
    if name == "profile":
        user = UserFactory(display_name="Ilze Bērziņa")
        sign_in(page, user.email, DEFAULT_PASSWORD)
    url = {
        "plan": long_title.plan.get_absolute_url(),
        "commitment": long_title.get_absolute_url(),
        "explorer": reverse("commitments:explorer"),
        # By its id: full-text search on PostgreSQL matches whole words, not part of one.
        "explorer-search": reverse("commitments:explorer") + f"?q={long_title.identifier}",
        "open-data": reverse("commitments:open_data"),
        "profile": reverse("profile"),
    }[name]
    response = page.goto(url)
    assert response.ok, f"{url}: HTTP {response.status}"
    if name.startswith("explorer") or name in ("plan", "commitment"):
        assert page.get_by_text(UNBROKEN).first.is_visible()
    screenshot(page, f"reflow-{name}-320")
    a11y.assert_no_horizontal_overflow(page)
