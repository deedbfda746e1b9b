"""Permission matrix of the vote, up-vote and follow views.

While the consultation is open every signed-in person with a verified address votes and up-votes
(moderators and other members' officers included: they are people too), but for the officers of
the member that owns the plan: they respond to what people say about it, so their vote is
refused with the reason, back on the page; unverified users get 403, anonymous visitors are
sent to sign in. Following needs only to be signed in. Every view is POST only and
CSRF-protected, and comes back to the page (PRG).
"""

import pytest
from django.test import Client
from django.urls import reverse

from participation.links import args_of
from participation.models import CommentVote, Follow, Vote
from participation.selectors import content_type_of
from tests.participation.factories import CommentFactory, ConsultationFactory
from tests.people import (
    ANONYMOUS,
    CSO_MEMBER,
    MODERATOR,
    OFFICER,
    OGP_ADMIN,
    OTHER_OFFICER,
    UNVERIFIED,
    USER,
)
from tests.plans.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db

ROLES = [ANONYMOUS, UNVERIFIED, USER, CSO_MEMBER, OFFICER, OTHER_OFFICER, MODERATOR, OGP_ADMIN]
VERIFIED = set(ROLES) - {ANONYMOUS, UNVERIFIED}
VOTERS = VERIFIED - {OFFICER}  # the plan's own officers respond, they do not vote
SIGNED_IN = set(ROLES) - {ANONYMOUS}


@pytest.fixture
def world(people):
    plan = ActionPlanFactory(member=people.member, status="cocreation", published=True)
    commitment = CommitmentFactory(plan=plan)
    consultation = ConsultationFactory(space=plan)
    return {
        "plan": plan,
        "commitment": commitment,
        "consultation": consultation,
        "comment": CommentFactory(target=commitment, consultation=consultation),
    }


def target_args(obj):
    return args_of(obj)


def assert_outcome(response, role, allowed: set, back: str):
    if role == ANONYMOUS:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in allowed:
        assert response.status_code == 302 and response["Location"] == back
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_casting_changing_and_withdrawing_a_vote(client, people, world, role):
    person, commitment = people.sign_in(client, role), world["commitment"]
    args = target_args(commitment)
    back = f"{commitment.get_absolute_url()}#votes"
    response = client.post(reverse("participation:vote_cast", args=args), {"value": "support"})
    assert_outcome(response, role, VERIFIED, back)
    mine = Vote.objects.filter(user_id=person.pk)
    assert list(mine.values_list("value", flat=True)) == ([1] if role in VOTERS else [])

    response = client.post(reverse("participation:vote_cast", args=args), {"value": "oppose"})
    assert_outcome(response, role, VERIFIED, back)
    assert list(mine.values_list("value", flat=True)) == ([-1] if role in VOTERS else [])

    response = client.post(reverse("participation:vote_withdraw", args=args))
    assert_outcome(response, role, VERIFIED, back)
    assert not mine.exists()


@pytest.mark.parametrize("role", ROLES)
def test_up_voting_a_comment(client, people, world, role):
    """The button sends the page it is on as `next`, and the up-vote comes back to it."""
    person, comment = people.sign_in(client, role), world["comment"]
    url = reverse("participation:comment_upvote", args=[comment.pk])
    back = f"{world['commitment'].get_absolute_url()}?comments_page=1#comment-{comment.pk}"
    assert_outcome(client.post(url, {"upvoted": "1", "next": back}), role, VERIFIED, back)
    expected = 1 if role in VERIFIED else 0
    assert CommentVote.objects.filter(comment=comment, user_id=person.pk).count() == expected
    client.post(url, {"upvoted": "1"})  # sent twice: still one up-vote
    assert CommentVote.objects.filter(comment=comment).count() == expected
    assert_outcome(client.post(url, {"upvoted": "0", "next": back}), role, VERIFIED, back)
    assert not CommentVote.objects.exists()


def test_without_next_an_up_vote_comes_back_to_the_discussion_page(client, people, world):
    comment = world["comment"]
    people.sign_in(client, USER)
    response = client.post(reverse("participation:comment_upvote", args=[comment.pk]))
    discussion = reverse("participation:comments_discussion", args=target_args(world["commitment"]))
    assert response["Location"] == f"{discussion}?comments_page=1#comment-{comment.pk}"


@pytest.mark.parametrize("role", ROLES)
def test_following_and_unfollowing(client, people, world, role):
    person = people.sign_in(client, role)
    for target in (world["plan"], world["commitment"]):
        back = f"{target.get_absolute_url()}#votes"
        response = client.post(reverse("participation:follow", args=target_args(target)))
        assert_outcome(response, role, SIGNED_IN, back)
    assert Follow.objects.filter(user_id=person.pk).count() == (2 if role in SIGNED_IN else 0)
    response = client.post(reverse("participation:unfollow", args=target_args(world["commitment"])))
    assert_outcome(response, role, SIGNED_IN, f"{world['commitment'].get_absolute_url()}#votes")
    assert Follow.objects.filter(user_id=person.pk).count() == (1 if role in SIGNED_IN else 0)


def test_nobody_votes_while_the_consultation_is_closed(client, people, world):
    world["consultation"].closed_at = world["consultation"].closes_at
    world["consultation"].save()
    people.sign_in(client, USER)
    args = target_args(world["commitment"])
    assert (
        client.post(reverse("participation:vote_cast", args=args), {"value": "support"}).status_code
        == 403
    )
    url = reverse("participation:comment_upvote", args=[world["comment"].pk])
    assert client.post(url).status_code == 403
    assert not Vote.objects.exists() and not CommentVote.objects.exists()


def test_the_author_of_a_comment_does_not_up_vote_it(client, world):
    client.force_login(world["comment"].author)
    url = reverse("participation:comment_upvote", args=[world["comment"].pk])
    assert client.post(url).status_code == 403


def test_the_views_answer_only_posts(client, people, world):
    people.sign_in(client, USER)
    args = target_args(world["commitment"])
    for name in ("vote_cast", "vote_withdraw", "follow", "unfollow"):
        assert client.get(reverse(f"participation:{name}", args=args)).status_code == 405
    url = reverse("participation:comment_upvote", args=[world["comment"].pk])
    assert client.get(url).status_code == 405


def test_csrf_is_enforced(world, people):
    client = Client(enforce_csrf_checks=True)
    people.sign_in(client, USER)
    args = target_args(world["commitment"])
    response = client.post(reverse("participation:vote_cast", args=args), {"value": "support"})
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_plans_have_no_vote_and_unknown_targets_are_404(client, people, world):
    people.sign_in(client, USER)
    plan_args = target_args(world["plan"])
    assert (
        client.post(
            reverse("participation:vote_cast", args=plan_args), {"value": "support"}
        ).status_code
        == 404
    )
    participant = people[USER]
    user_type = content_type_of(participant).pk  # not participable
    assert (
        client.post(reverse("participation:follow", args=[plan_args[0], 10**9])).status_code == 404
    )
    # Not participable, named by a slug or (as addresses of old) by its content type.
    for path in (
        f"/follows/user/{participant.pk}/follow/",
        f"/follows/{user_type}/{participant.pk}/follow/",
    ):
        assert client.post(path).status_code == 404


def test_a_draft_plan_is_404_to_those_who_may_not_read_it(client, people):
    draft = ActionPlanFactory(member=people.member)
    url = reverse("participation:follow", args=target_args(draft))
    people.sign_in(client, USER)
    assert client.post(url).status_code == 404
    people.sign_in(client, OFFICER)
    assert client.post(url).status_code == 302


def test_an_unknown_value_changes_nothing(client, people, world):
    people.sign_in(client, USER)
    args = target_args(world["commitment"])
    response = client.post(
        reverse("participation:vote_cast", args=args), {"value": "maybe"}, follow=True
    )
    assert "Choose support or opposition." in response.content.decode()
    assert not Vote.objects.exists()


def test_next_may_not_leave_the_site(client, people, world):
    people.sign_in(client, USER)
    args = target_args(world["commitment"])
    response = client.post(
        reverse("participation:vote_cast", args=args),
        {"value": "support", "next": "https://evil.example/"},
    )
    assert response["Location"] == f"{world['commitment'].get_absolute_url()}#votes"
