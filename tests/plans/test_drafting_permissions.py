"""Permission matrix of every state-changing drafting view: who may open it and post to it.

The plan is in co-creation (public), so people without the right get 403, not 404; anonymous
visitors are sent to sign in. A draft is invisible (404) to everyone outside the member's team.
"""

import pytest
from django.urls import reverse

from action_plans.models import ActionPlan
from commitments.models import Commitment, Milestone
from tests.people import (
    ANONYMOUS,
    CSO_MEMBER,
    FORUM,
    OFFICER,
    OGP_ADMIN,
    OTHER_OFFICER,
    POINT_OF_CONTACT,
    USER,
)
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

ROLES = [ANONYMOUS, USER, CSO_MEMBER, FORUM, OTHER_OFFICER, OFFICER, POINT_OF_CONTACT, OGP_ADMIN]
DRAFTERS = {OFFICER, POINT_OF_CONTACT}


@pytest.fixture
def world(people):
    plan = ActionPlanFactory(member=people.member, status="cocreation", published=True)
    commitment = CommitmentFactory(plan=plan)
    milestone = MilestoneFactory(commitment=commitment)
    second = MilestoneFactory(commitment=commitment)
    return {
        "member": people.member,
        "plan": plan,
        "commitment": commitment,
        "milestone": milestone,
        "second": second,
    }


def urls(world):
    plan, commitment, milestone = world["plan"], world["commitment"], world["milestone"]
    c = commitment.identifier
    return {
        "plan_create": reverse("action_plans:create", args=[world["member"].slug]),
        "plan_edit": reverse("action_plans:edit", args=[plan.identifier]),
        "commitment_create": reverse("commitments:create", args=[plan.identifier]),
        "commitment_edit": reverse("commitments:edit", args=[c]),
        "commitment_delete": reverse("commitments:delete", args=[c]),
        "milestone_create": reverse("commitments:milestone_create", args=[c]),
        "milestone_edit": reverse("commitments:milestone_edit", args=[c, milestone.pk]),
        "milestone_delete": reverse("commitments:milestone_delete", args=[c, milestone.pk]),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "view",
    [
        "plan_create",
        "plan_edit",
        "commitment_create",
        "commitment_edit",
        "commitment_delete",
        "milestone_create",
        "milestone_edit",
        "milestone_delete",
    ],
)
def test_drafting_pages(client, people, world, view, role):
    """Only the member's points of contact and officers open the drafting forms."""
    people.sign_in(client, role)
    response = client.get(urls(world)[view])
    if role == ANONYMOUS:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in DRAFTERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_posting_a_removal_changes_nothing_without_the_right(client, people, world, role):
    people.sign_in(client, role)
    client.post(urls(world)["milestone_delete"])
    client.post(urls(world)["commitment_delete"])
    exists = world["commitment"].__class__.objects.filter(pk=world["commitment"].pk).exists()
    assert exists is (role not in DRAFTERS)


@pytest.mark.parametrize("role", ROLES)
def test_reordering(client, people, world, role):
    people.sign_in(client, role)
    c = world["commitment"].identifier
    response = client.post(
        reverse("commitments:milestone_move", args=[c, world["second"].pk]), {"direction": "up"}
    )
    order = list(world["commitment"].milestones.order_by("position").values_list("pk", flat=True))
    if role in DRAFTERS:
        assert order == [world["second"].pk, world["milestone"].pk]
    else:
        assert response.status_code in (302, 403)
        assert order == [world["milestone"].pk, world["second"].pk]
    assert client.get(reverse("commitments:move", args=[c])).status_code == 405


EXPECTED_TRANSITIONS = {
    # action: roles allowed, in the plan's state for that action
    "open_cocreation": ("draft", DRAFTERS),
    "submit": ("cocreation", DRAFTERS),
    "start_implementation": ("submitted", DRAFTERS | {OGP_ADMIN}),
    "end": ("implementation", DRAFTERS | {OGP_ADMIN}),
    "withdraw": ("cocreation", DRAFTERS | {OGP_ADMIN}),
    "reopen": ("submitted", {OGP_ADMIN}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(EXPECTED_TRANSITIONS))
def test_lifecycle_views(client, people, world, action, role):
    status, allowed = EXPECTED_TRANSITIONS[action]
    plan = world["plan"]
    plan.status = status
    plan.published_at = None if status == "draft" else plan.published_at
    plan.save()
    MilestoneFactory(commitment=world["commitment"])
    people.sign_in(client, role)
    url = reverse("action_plans:transition", args=[plan.identifier, action])
    response = client.post(url, {"reason": "Because the forum asked."})
    plan.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert plan.status != status
    else:
        assert plan.status == status
        if status == "draft" and role not in {FORUM, OGP_ADMIN}:
            assert response.status_code == 404  # a draft is invisible outside the team
        elif role == ANONYMOUS:
            assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_deadline_is_for_ogp_admins(client, people, world, role):
    people.sign_in(client, role)
    url = reverse("action_plans:deadline", args=[world["plan"].identifier])
    response = client.post(url, {"submission_deadline": "2025-12-31"})
    world["plan"].refresh_from_db()
    if role == OGP_ADMIN:
        assert response.status_code == 302
        assert world["plan"].submission_deadline.isoformat() == "2025-12-31"
    else:
        assert world["plan"].submission_deadline.isoformat() == "2025-08-31"
        assert response.status_code in (302, 403)


@pytest.mark.parametrize("role", ROLES)
def test_draft_plan_is_visible_to_its_team_only(client, people, world, role):
    plan = ActionPlanFactory(member=world["member"])
    people.sign_in(client, role)
    response = client.get(plan.get_absolute_url())
    visible = role in DRAFTERS | {FORUM, OGP_ADMIN}
    assert response.status_code == (200 if visible else 404)


def test_unknown_lifecycle_action_is_404(client, people, world):
    people.sign_in(client, OFFICER)
    url = reverse("action_plans:transition", args=[world["plan"].identifier, "explode"])
    assert client.post(url).status_code == 404


def drafting_posts(world):
    """Each drafting form: its URL, valid data, and whether the change it asks for was made."""
    plan, commitment, milestone = world["plan"], world["commitment"], world["milestone"]
    c = commitment.identifier
    return {
        "action_plans:create": (
            reverse("action_plans:create", args=[world["member"].slug]),
            {"title": "The next plan", "start_date": "2027-09-01", "end_date": "2029-08-31"},
            lambda: ActionPlan.objects.filter(title="The next plan").exists(),
        ),
        "action_plans:edit": (
            reverse("action_plans:edit", args=[plan.identifier]),
            {
                "title": "A better title",
                "start_date": plan.start_date.isoformat(),
                "end_date": plan.end_date.isoformat(),
                "introduction": "Why this plan.",
            },
            lambda: ActionPlan.objects.filter(pk=plan.pk, title="A better title").exists(),
        ),
        "commitments:create": (
            reverse("commitments:create", args=[plan.identifier]),
            {"title": "Open procurement", "status": "active"},
            lambda: Commitment.objects.filter(title="Open procurement").exists(),
        ),
        "commitments:edit": (
            reverse("commitments:edit", args=[c]),
            {"title": "Open budgets", "status": "active"},
            lambda: Commitment.objects.filter(pk=commitment.pk, title="Open budgets").exists(),
        ),
        "commitments:milestone_create": (
            reverse("commitments:milestone_create", args=[c]),
            {"title": "Publish the register", "start_date": "2025-10-01", "end_date": "2026-03-31"},
            lambda: Milestone.objects.filter(title="Publish the register").exists(),
        ),
        "commitments:milestone_edit": (
            reverse("commitments:milestone_edit", args=[c, milestone.pk]),
            {"title": "Publish it sooner", "start_date": "2025-10-01", "end_date": "2026-01-31"},
            lambda: Milestone.objects.filter(pk=milestone.pk, title="Publish it sooner").exists(),
        ),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "view",
    [
        "action_plans:create",
        "action_plans:edit",
        "commitments:create",
        "commitments:edit",
        "commitments:milestone_create",
        "commitments:milestone_edit",
    ],
)
def test_drafting_posts(client, people, world, view, role):
    """Posting a drafting form saves only for the member's points of contact and officers;
    anyone else is sent to sign in or refused, and nothing changes."""
    url, data, changed = drafting_posts(world)[view]
    people.sign_in(client, role)
    response = client.post(url, data)
    if role in DRAFTERS:
        assert response.status_code == 302
        assert changed()
    else:
        assert not changed()
        if role == ANONYMOUS:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_moving_a_commitment(client, people, world, role):
    """Only the member's points of contact and officers reorder the plan's commitments."""
    first = world["commitment"]
    second = CommitmentFactory(plan=world["plan"])
    plan = world["plan"]
    before = list(plan.commitments.order_by("position").values_list("pk", flat=True))
    assert before == [first.pk, second.pk]
    people.sign_in(client, role)
    response = client.post(
        reverse("commitments:move", args=[second.identifier]), {"direction": "up"}
    )
    after = list(plan.commitments.order_by("position").values_list("pk", flat=True))
    if role in DRAFTERS:
        assert response.status_code == 302
        assert after == [second.pk, first.pk]
    else:
        assert after == before
        if role == ANONYMOUS:
            assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403
