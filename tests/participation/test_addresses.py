"""Participation's addresses name a participable object by its model's slug and its id, never by
a ContentType id (which differs from one database to another); the addresses of old, with the
content type's id in the slug's place, keep working by redirecting for good."""

import pytest
from django.urls import reverse

from participation.links import args_of
from participation.models import Follow, Vote
from participation.selectors import content_type_of
from tests.factories import UserFactory
from tests.participation.factories import ConsultationFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def voter():
    return UserFactory()


@pytest.fixture
def plan():
    plan = ActionPlanFactory(published=True, status="cocreation")
    ConsultationFactory(space=plan)
    return plan


def test_plans_commitments_and_milestones_have_slug_addresses(plan):
    commitment = CommitmentFactory(plan=plan)
    milestone = MilestoneFactory(commitment=commitment)
    assert reverse("participation:register_report", args=args_of(plan)) == (
        f"/register/plan/{plan.pk}/report/"
    )
    assert reverse("participation:vote_cast", args=args_of(commitment)) == (
        f"/votes/commitment/{commitment.pk}/cast/"
    )
    assert reverse("participation:comments_discussion", args=args_of(milestone)) == (
        f"/comments/milestone/{milestone.pk}/"
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/comments/{plan_type}/{plan}/", "/comments/plan/{plan}/"),
        ("/comments/{commitment_type}/{commitment}/", "/comments/commitment/{commitment}/"),
        ("/register/{plan_type}/{plan}/", "/register/plan/{plan}/"),
        (
            "/register/{plan_type}/{plan}/report/?disposition=pending&page=2",
            "/register/plan/{plan}/report/?disposition=pending&page=2",
        ),
        ("/consultations/new/{plan_type}/{plan}/", "/consultations/new/plan/{plan}/"),
    ],
)
def test_old_pages_of_plans_and_commitments_move_for_good(client, plan, old, new):
    """A page's old address answers 301 with the new one, its query kept."""
    commitment = CommitmentFactory(plan=plan)
    names = {
        "plan_type": content_type_of(plan).pk,
        "plan": plan.pk,
        "commitment_type": content_type_of(commitment).pk,
        "commitment": commitment.pk,
    }
    response = client.get(old.format(**names))
    assert response.status_code == 301
    assert response["Location"] == new.format(**names)


def test_a_form_posted_to_an_old_address_is_sent_on_and_done(client, plan, voter):
    """A form on a page cached before the move posts to the old address: 308 keeps it a POST
    with its fields, and the vote and the follow are recorded."""
    commitment = CommitmentFactory(plan=plan)
    client.force_login(voter)
    commitment_type = content_type_of(commitment).pk
    cast = f"/votes/{commitment_type}/{commitment.pk}/cast/"
    response = client.post(cast, {"value": "oppose"})
    assert response.status_code == 308
    assert response["Location"] == f"/votes/commitment/{commitment.pk}/cast/"
    client.post(cast, {"value": "oppose"}, follow=True)
    assert Vote.objects.get(target_id=commitment.pk).value == -1
    plan_type = content_type_of(plan).pk
    client.post(f"/follows/{plan_type}/{plan.pk}/follow/", follow=True)
    assert Follow.objects.filter(target_id=plan.pk, user=voter).exists()


def test_old_addresses_of_what_is_not_participable_are_not_found(client, plan):
    member_type = content_type_of(plan.member).pk
    assert client.get(f"/comments/{member_type}/{plan.member.pk}/").status_code == 404
    assert client.get(f"/comments/999999/{plan.pk}/").status_code == 404
    assert client.post(f"/votes/{member_type}/{plan.member.pk}/cast/").status_code == 404
    # The redirect makes up no address that does not exist (comments have no "record").
    plan_type = content_type_of(plan).pk
    assert client.get(f"/comments/{plan_type}/{plan.pk}/record/").status_code == 404
