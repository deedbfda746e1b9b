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

from participation.models import CommentVote, Follow, Vote
from participation.selectors import content_type_of
from tests.participation.test_votes import ROLES, build_people, comment_on, consultation_on
from tests.plans.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db

VERIFIED = set(ROLES) - {"anonymous", "unverified"}
VOTERS = VERIFIED - {"officer"}  # the plan's own officers respond, they do not vote
SIGNED_IN = set(ROLES) - {"anonymous"}


@pytest.fixture
def world():
    plan = ActionPlanFactory(status="cocreation", published=True)
    commitment = CommitmentFactory(plan=plan)
    consultation = consultation_on(plan)
    return {
        "plan": plan,
        "commitment": commitment,
        "consultation": consultation,
        "comment": comment_on(commitment, consultation),
        "people": build_people(plan.member),
    }


def target_args(obj):
    return [content_type_of(obj).pk, obj.pk]


def login(client, person):
    if person.is_authenticated:
        client.force_login(person)


def assert_outcome(response, role, allowed: set, back: str):
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in allowed:
        assert response.status_code == 302 and response["Location"] == back
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_casting_changing_and_withdrawing_a_vote(client, world, role):
    person, commitment = world["people"][role], world["commitment"]
    login(client, person)
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
def test_up_voting_a_comment(client, world, role):
    """The button sends the page it is on as `next`, and the up-vote comes back to it."""
    person, comment = world["people"][role], world["comment"]
    login(client, person)
    url = reverse("participation:comment_upvote", args=[comment.pk])
    back = f"{world['commitment'].get_absolute_url()}?comments_page=1#comment-{comment.pk}"
    assert_outcome(client.post(url, {"upvoted": "1", "next": back}), role, VERIFIED, back)
    expected = 1 if role in VERIFIED else 0
    assert CommentVote.objects.filter(comment=comment, user_id=person.pk).count() == expected
    client.post(url, {"upvoted": "1"})  # sent twice: still one up-vote
    assert CommentVote.objects.filter(comment=comment).count() == expected
    assert_outcome(client.post(url, {"upvoted": "0", "next": back}), role, VERIFIED, back)
    assert not CommentVote.objects.exists()


def test_without_next_an_up_vote_comes_back_to_the_discussion_page(client, world):
    comment = world["comment"]
    client.force_login(world["people"]["participant"])
    response = client.post(reverse("participation:comment_upvote", args=[comment.pk]))
    discussion = reverse("participation:comments_discussion", args=target_args(world["commitment"]))
    assert response["Location"] == f"{discussion}?comments_page=1#comment-{comment.pk}"


@pytest.mark.parametrize("role", ROLES)
def test_following_and_unfollowing(client, world, role):
    person = world["people"][role]
    login(client, person)
    for target in (world["plan"], world["commitment"]):
        back = f"{target.get_absolute_url()}#votes"
        response = client.post(reverse("participation:follow", args=target_args(target)))
        assert_outcome(response, role, SIGNED_IN, back)
    assert Follow.objects.filter(user_id=person.pk).count() == (2 if role in SIGNED_IN else 0)
    response = client.post(reverse("participation:unfollow", args=target_args(world["commitment"])))
    assert_outcome(response, role, SIGNED_IN, f"{world['commitment'].get_absolute_url()}#votes")
    assert Follow.objects.filter(user_id=person.pk).count() == (1 if role in SIGNED_IN else 0)


def test_nobody_votes_while_the_consultation_is_closed(client, world):
    world["consultation"].closed_at = world["consultation"].closes_at
    world["consultation"].save()
    client.force_login(world["people"]["participant"])
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


def test_the_views_answer_only_posts(client, world):
    client.force_login(world["people"]["participant"])
    args = target_args(world["commitment"])
    for name in ("vote_cast", "vote_withdraw", "follow", "unfollow"):
        assert client.get(reverse(f"participation:{name}", args=args)).status_code == 405
    url = reverse("participation:comment_upvote", args=[world["comment"].pk])
    assert client.get(url).status_code == 405


def test_csrf_is_enforced(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["people"]["participant"])
    args = target_args(world["commitment"])
    response = client.post(reverse("participation:vote_cast", args=args), {"value": "support"})
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_plans_have_no_vote_and_unknown_targets_are_404(client, world):
    client.force_login(world["people"]["participant"])
    plan_args = target_args(world["plan"])
    assert (
        client.post(
            reverse("participation:vote_cast", args=plan_args), {"value": "support"}
        ).status_code
        == 404
    )
    user_type = content_type_of(world["people"]["participant"]).pk  # not participable
    for args in ([user_type, world["people"]["participant"].pk], [plan_args[0], 10**9]):
        assert client.post(reverse("participation:follow", args=args)).status_code == 404


def test_a_draft_plan_is_404_to_those_who_may_not_read_it(client):
    draft = ActionPlanFactory()
    people = build_people(draft.member)
    url = reverse("participation:follow", args=target_args(draft))
    client.force_login(people["participant"])
    assert client.post(url).status_code == 404
    client.force_login(people["officer"])
    assert client.post(url).status_code == 302


def test_an_unknown_value_changes_nothing(client, world):
    client.force_login(world["people"]["participant"])
    args = target_args(world["commitment"])
    response = client.post(
        reverse("participation:vote_cast", args=args), {"value": "maybe"}, follow=True
    )
    assert "Choose support or opposition." in response.content.decode()
    assert not Vote.objects.exists()


def test_next_may_not_leave_the_site(client, world):
    client.force_login(world["people"]["participant"])
    args = target_args(world["commitment"])
    response = client.post(
        reverse("participation:vote_cast", args=args),
        {"value": "support", "next": "https://evil.example/"},
    )
    assert response["Location"] == f"{world['commitment'].get_absolute_url()}#votes"
