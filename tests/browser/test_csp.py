"""The Content-Security-Policy holds in a real browser: pages load their scripts, styles,
fonts and images, and the browser reports no violation."""

import pytest

from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_pages_load_without_policy_violations(page):
    plan = ActionPlanFactory(status="cocreation", published=True)
    commitment = CommitmentFactory(plan=plan)
    MilestoneFactory(commitment=commitment)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    for url in (
        "/",
        "/commitments/",
        "/accounts/login/",
        plan.get_absolute_url(),
        commitment.get_absolute_url(),
        "/open-data/",
    ):
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # The site's stylesheet applied: the header is not unstyled.
        assert (
            page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
            != "rgba(0, 0, 0, 0)"
        )
    assert not refused, refused
