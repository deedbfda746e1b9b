"""The Independent Reporting Mechanism's assessment: only IRM assessors enter it, unknown
judgements stay unknown, and the star is computed from what is known."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from action_plans.models import ActionPlan
from commitments import selectors
from commitments.models import Assessment, Commitment
from tests.people import IRM_ASSESSOR, OFFICER, OGP_ADMIN
from tests.plans.factories import ActionPlanFactory, CommitmentFactory
from tests.plans.test_progress import ROLES, assert_refused

pytestmark = pytest.mark.django_db

ASSESSORS = {IRM_ASSESSOR}
UNKNOWN = {
    "verifiable": "unknown",
    "specificity": "",
    "relevant": "unknown",
    "potential_impact": "",
    "potential_for_results": "",
    "completion_midterm": "",
    "completion_end": "",
    "opened_government": "",
    "early_results": "",
}
KNOWN = {
    "verifiable": "true",
    "specificity": "high",
    "relevant": "true",
    "potential_impact": "transformative",
    "potential_for_results": "substantial",
    "completion_midterm": "limited",
    "completion_end": "complete",
    "opened_government": "major",
    "early_results": "Contracts are now published within 48 hours.",
}


@pytest.fixture
def world(people):
    plan = ActionPlanFactory(member=people.member, status="implementation", published=True)
    return {"plan": plan, "commitment": CommitmentFactory(plan=plan)}


def url(commitment):
    return reverse("commitments:assessment", args=[commitment.identifier])


# --- Permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_assessment_form(client, people, world, role):
    """Only IRM assessors: not the member's officers, not OGP admins without the IRM role."""
    people.sign_in(client, role)
    response = client.get(url(world["commitment"]))
    if role in ASSESSORS:
        assert response.status_code == 200
    else:
        assert_refused(response, role, world["plan"])


@pytest.mark.parametrize("role", ROLES)
def test_who_posts_an_assessment(client, people, world, role):
    people.sign_in(client, role)
    response = client.post(url(world["commitment"]), KNOWN)
    if role in ASSESSORS:
        assert response.status_code == 302
        assert response["Location"].endswith("#assessment")
        assert Assessment.objects.get().assessed_by == people[IRM_ASSESSOR]
    else:
        assert_refused(response, role, world["plan"])
        assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "status, allowed",
    [
        ("draft", False),
        ("cocreation", False),
        ("submitted", True),
        ("implementation", True),
        ("ended", True),
        ("withdrawn", False),
    ],
)
@pytest.mark.parametrize("role", [IRM_ASSESSOR, OGP_ADMIN, OFFICER])
def test_assessing_depends_on_the_plan_status(client, people, world, status, allowed, role):
    """A plan is assessed once submitted. A draft is invisible to IRM assessors (404)."""
    plan = world["plan"]
    plan.status = status
    plan.published_at = None if status == "draft" else plan.published_at
    plan.save()
    people.sign_in(client, role)
    for response in (
        client.get(url(world["commitment"])),
        client.post(url(world["commitment"]), KNOWN),
    ):
        if allowed and role in ASSESSORS:
            assert response.status_code in (200, 302)
        else:
            assert_refused(response, role, plan)
    assert Assessment.objects.exists() is (allowed and role in ASSESSORS)


# --- The form ------------------------------------------------------------------------------


def test_unknown_is_stored_as_empty_and_null(client, people, world):
    """Every judgement left Unknown is stored as unknown, not as a default."""
    people.sign_in(client, IRM_ASSESSOR)
    assert client.post(url(world["commitment"]), UNKNOWN).status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.verifiable is None and assessment.relevant is None
    for name in (
        "specificity",
        "potential_for_results",
        "potential_impact",
        "completion_midterm",
        "completion_end",
        "opened_government",
        "early_results",
    ):
        assert getattr(assessment, name) == "", name
    assert assessment.starred is None


def test_the_form_offers_unknown_for_every_judgement(client, people, world):
    people.sign_in(client, IRM_ASSESSOR)
    form = client.get(url(world["commitment"])).context["form"]
    for name, field in form.fields.items():
        if name == "early_results":
            assert not field.required
            continue
        assert next(iter(field.widget.choices))[1] == "Unknown", name
        assert not field.required, name
    page = client.get(url(world["commitment"])).content.decode()
    assert "---------" not in page


def test_known_judgements_are_saved_and_can_become_unknown_again(client, people, world):
    people.sign_in(client, IRM_ASSESSOR)
    client.post(url(world["commitment"]), KNOWN)
    assessment = Assessment.objects.get()
    assert assessment.verifiable is True and assessment.specificity == "high"
    assert assessment.potential_for_results == "substantial"
    assert assessment.starred is True
    client.post(url(world["commitment"]), {**KNOWN, "relevant": "false", "completion_end": ""})
    assessment.refresh_from_db()
    assert assessment.relevant is False and assessment.completion_end == ""
    assert assessment.completion_midterm == "limited"
    assert assessment.starred is False
    assert Assessment.objects.count() == 1
    assert assessment.history.first().history_user == people[IRM_ASSESSOR]


def test_plans_from_2020_are_judged_on_potential_for_results(client, people, world):
    """The form shows potential for results, and ignores a posted potential impact."""
    people.sign_in(client, IRM_ASSESSOR)
    form = client.get(url(world["commitment"])).context["form"]
    assert "potential_for_results" in form.fields and "potential_impact" not in form.fields
    client.post(url(world["commitment"]), KNOWN)
    assert Assessment.objects.get().potential_impact == ""


def test_plans_before_2020_are_judged_on_potential_impact(client, people, world):
    plan = world["plan"]
    plan.start_date, plan.end_date = datetime.date(2018, 9, 1), datetime.date(2020, 8, 31)
    plan.save()
    people.sign_in(client, IRM_ASSESSOR)
    form = client.get(url(world["commitment"])).context["form"]
    assert "potential_impact" in form.fields and "potential_for_results" not in form.fields
    client.post(url(world["commitment"]), KNOWN)
    assessment = Assessment.objects.get()
    assert assessment.potential_impact == "transformative"
    assert assessment.potential_for_results == ""


def test_a_bad_choice_is_refused_with_the_form_kept(client, people, world):
    people.sign_in(client, IRM_ASSESSOR)
    response = client.post(url(world["commitment"]), {**KNOWN, "specificity": "enormous"})
    assert response.status_code == 200
    assert "specificity" in response.context["form"].errors
    assert 'class="error-summary"' in response.content.decode()
    assert "Contracts are now published within 48 hours." in response.content.decode()
    assert not Assessment.objects.exists()


# --- The star ------------------------------------------------------------------------------


def star(start_year=2021, **judgements) -> bool | None:
    plan = ActionPlan(start_date=datetime.date(start_year, 1, 1))
    return Assessment(commitment=Commitment(plan=plan), **judgements).starred


STARRED = {
    "specificity": "medium",
    "relevant": True,
    "potential_for_results": "substantial",
    "completion_end": "substantial",
}
STARRED_BEFORE_2020 = {**STARRED, "potential_for_results": "", "potential_impact": "moderate"}


def test_a_star_needs_every_part():
    assert star(**STARRED) is True
    assert star(2019, **STARRED_BEFORE_2020) is True
    assert star(2019, **{**STARRED_BEFORE_2020, "potential_impact": "transformative"}) is True
    assert star(**{**STARRED, "specificity": "high", "completion_end": "complete"}) is True


def test_unknown_parts_leave_the_star_undetermined():
    assert star() is None
    for name in STARRED:
        judgements = {**STARRED, name: None if name == "relevant" else ""}
        assert star(**judgements) is None, name


@pytest.mark.parametrize(
    "name, value",
    [
        ("specificity", "low"),
        ("specificity", "none"),
        ("relevant", False),
        ("potential_for_results", "modest"),
        ("potential_for_results", "unclear"),
        ("completion_end", "limited"),
        ("completion_end", "not_started"),
        ("completion_end", "withdrawn"),
    ],
)
def test_one_known_failing_part_rules_the_star_out_even_if_others_are_unknown(name, value):
    assert star(**{name: value}) is False
    assert star(**{**STARRED, name: value}) is False


def test_plans_from_2020_use_potential_for_results_not_impact():
    transformative = {**STARRED, "potential_for_results": "", "potential_impact": "transformative"}
    assert star(2020, **transformative) is None
    assert star(2020, **{**STARRED, "potential_impact": "none"}) is True
    assert star(2019, **{**STARRED_BEFORE_2020, "potential_for_results": "unclear"}) is True
    assert star(2019, **{**STARRED_BEFORE_2020, "potential_impact": "minor"}) is False
    assert star(2019, **{**STARRED, "potential_impact": ""}) is None


def test_end_of_term_completion_is_preferred_over_mid_term():
    assert star(**{**STARRED, "completion_midterm": "complete", "completion_end": "limited"}) is (
        False
    )
    assert star(**{**STARRED, "completion_midterm": "limited", "completion_end": "complete"}) is (
        True
    )
    midterm_only = {**STARRED, "completion_midterm": "substantial", "completion_end": ""}
    assert star(**midterm_only) is True
    assert star(**{**midterm_only, "completion_midterm": "limited"}) is False


# --- The assessment on the commitment page -------------------------------------------------


def render_assessment(commitment, *, can_assess=False):
    loaded = selectors.commitment_detail(user=AnonymousUser(), identifier=commitment.identifier)
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string(
            "commitments/_assessment.html",
            {
                "commitment": loaded,
                "assessment": getattr(loaded, "assessment", None),
                "can_assess": can_assess,
            },
        )
    assert len(queries) == 0, [q["sql"] for q in queries]
    return html


def assess(commitment, assessor, **judgements):
    return Assessment.objects.create(commitment=commitment, assessed_by=assessor, **judgements)


def test_not_assessed_yet(world):
    html = render_assessment(world["commitment"])
    assert '<section class="section" id="assessment" aria-labelledby="assessment-title">' in html
    assert "Not assessed yet." in html
    assert url(world["commitment"]) not in html


def test_assessors_see_a_link_to_enter_or_edit(world, people):
    assert "Enter the assessment" in render_assessment(world["commitment"], can_assess=True)
    assess(world["commitment"], people[IRM_ASSESSOR])
    html = render_assessment(world["commitment"], can_assess=True)
    assert f'href="{url(world["commitment"])}">Edit the assessment' in html


def test_unknown_judgements_show_as_unknown(world, people):
    assess(world["commitment"], people[IRM_ASSESSOR], verifiable=True, specificity="low")
    html = render_assessment(world["commitment"])
    assert "<dt>Verifiable</dt>\n      <dd>Yes</dd>" in html
    assert "<dd>Low</dd>" in html
    assert html.count("<dd>Unknown</dd>") == 6
    assert "Potential for results" in html and "Potential impact" not in html
    assert "Not starred" in html


@pytest.mark.parametrize(
    "judgements, badge",
    [
        ({**STARRED}, "Starred commitment"),
        ({**STARRED, "relevant": False}, "Not starred"),
        ({**STARRED, "relevant": None}, "Star not yet determined"),
    ],
)
def test_star_badge(world, people, judgements, badge):
    assess(world["commitment"], people[IRM_ASSESSOR], **judgements)
    html = render_assessment(world["commitment"])
    assert badge in html
    others = {"Starred commitment", "Not starred", "Star not yet determined"} - {badge}
    assert not any(other in html for other in others)


def test_plans_before_2020_show_potential_impact(world, people):
    plan = world["plan"]
    plan.start_date, plan.end_date = datetime.date(2016, 9, 1), datetime.date(2018, 8, 31)
    plan.save()
    assess(world["commitment"], people[IRM_ASSESSOR], potential_impact="moderate")
    html = render_assessment(world["commitment"])
    assert "<dt>Potential impact</dt>\n        <dd>Moderate</dd>" in html
    assert "Potential for results" not in html


def test_early_results_are_escaped(world, people):
    assess(world["commitment"], people[IRM_ASSESSOR], early_results="<script>x</script>\n\nMore")
    html = render_assessment(world["commitment"])
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "<p>More</p>" in html


def test_commitment_page_shows_the_assessment(client, people, world):
    assess(world["commitment"], people[IRM_ASSESSOR], **STARRED)
    people.sign_in(client, IRM_ASSESSOR)
    page = client.get(world["commitment"].get_absolute_url()).content.decode()
    assert 'id="assessment"' in page and "Starred commitment" in page
    assert f'href="{url(world["commitment"])}"' in page
