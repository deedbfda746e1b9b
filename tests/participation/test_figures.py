"""Participation in figures: participants, comments, votes, inputs by source and contributor,
and the share answered, for a plan and everything it holds."""

import datetime

import pytest
from django.utils import timezone

from participation.figures import participation_figures
from participation.models import Input, Vote
from participation.selectors import content_type_of
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory, ConsultationFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


def vote(target, user, value):
    return Vote.objects.create(
        target_type=content_type_of(target), target_id=target.pk, user=user, value=value
    )


def offline_input(plan, **fields):
    return Input.objects.create(
        space_type=content_type_of(plan),
        space_id=plan.pk,
        member=plan.member,
        received_on=timezone.localdate(),
        text="A written submission.",
        **fields,
    )


def test_figures_count_people_once_across_comments_and_votes():
    plan = ActionPlanFactory(status="cocreation", published=True)
    commitment = CommitmentFactory(plan=plan)
    elsewhere = CommitmentFactory()  # another plan: not counted
    consultation = ConsultationFactory(space=plan)
    anna, bruno, carla = UserFactory(), UserFactory(), UserFactory()
    CommentFactory(target=plan, consultation=consultation, author=anna)
    CommentFactory(target=commitment, consultation=consultation, author=anna)
    vote(commitment, anna, 1)
    vote(commitment, bruno, -1)
    vote(elsewhere, carla, 1)
    offline_input(plan, source="written", organisation_kind="cso")
    offline_input(
        plan,
        source="meeting",
        organisation_kind="public",
        disposition="accepted",
        reason="Taken into LV0001.",
        responded_at=timezone.now() + datetime.timedelta(days=1),
    )

    figures = participation_figures(plan, fresh=True)

    assert figures.participants == 2  # anna (comments and vote) and bruno
    assert figures.comments == 2
    assert (figures.votes_support, figures.votes_oppose, figures.votes) == (1, 1, 2)
    assert figures.inputs == 2 and figures.answered == 1 and figures.coverage == 50
    assert dict(figures.source_rows()) == {"Written submission": 1, "Forum or public meeting": 1}
    assert dict(figures.contributor_rows()) == {
        "Civil-society organisation": 1,
        "Public body": 1,
    }


def test_figures_are_cached_for_a_minute_and_shown_on_the_plan_page(client):
    plan = ActionPlanFactory(status="cocreation", published=True)
    consultation = ConsultationFactory(space=plan)
    CommentFactory(target=plan, consultation=consultation)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Participation in figures" in page
    CommentFactory(target=plan, consultation=consultation)
    assert participation_figures(plan).comments == 1  # cached
    assert participation_figures(plan, fresh=True).comments == 2


def test_no_figures_before_anything_happened(client):
    plan = ActionPlanFactory(status="cocreation", published=True)
    assert "Participation in figures" not in client.get(plan.get_absolute_url()).content.decode()
