"""Votes, comment up-votes and follows: the rules of the services, and the vote box on the
commitment page (what it shows to whom, and its constant cost in queries)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participation.links import args_of
from participation.models import CommentVote, Consultation, Follow, Report, Vote
from participation.selectors import content_type_of, vote_box_state, vote_counts
from participation.services.moderation import comment_report
from participation.services.votes import (
    VoteOutcome,
    comment_upvote_toggle,
    follow,
    unfollow,
    vote_cast,
    vote_withdraw,
)
from tests.factories import UserFactory
from tests.members.factories import MemberFactory, MemberRoleFactory
from tests.participation.factories import CommentFactory, ConsultationFactory
from tests.people import ANONYMOUS, UNVERIFIED, USER
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
SUPPORT, OPPOSE = Vote.Value.SUPPORT, Vote.Value.OPPOSE

# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture
def plan():
    return ActionPlanFactory(status="cocreation", published=True)


@pytest.fixture
def commitment(plan):
    return CommitmentFactory(plan=plan)


@pytest.fixture
def consultation(plan):
    return ConsultationFactory(space=plan)


@pytest.fixture
def voter():
    return UserFactory()


# --- Casting, changing, withdrawing ----------------------------------------------------------


def test_a_verified_participant_supports_a_commitment_while_the_consultation_is_open(
    commitment, consultation, voter
):
    assert vote_cast(actor=voter, target=commitment, value=SUPPORT) is VoteOutcome.CREATED
    assert vote_counts(commitment) == {"support": 1, "oppose": 0}


def test_casting_the_other_value_changes_the_vote_and_keeps_one_row(
    commitment, consultation, voter
):
    vote_cast(actor=voter, target=commitment, value=SUPPORT)
    assert vote_cast(actor=voter, target=commitment, value=OPPOSE) is VoteOutcome.CHANGED
    assert Vote.objects.filter(user=voter).count() == 1
    assert vote_counts(commitment) == {"support": 0, "oppose": 1}


def test_casting_the_same_value_again_changes_nothing(commitment, consultation, voter):
    vote_cast(actor=voter, target=commitment, value=SUPPORT)
    before = Vote.objects.get(user=voter)
    assert vote_cast(actor=voter, target=commitment, value=SUPPORT) is VoteOutcome.UNCHANGED
    after = Vote.objects.get(user=voter)
    assert (after.pk, after.value, after.updated_at) == (before.pk, SUPPORT, before.updated_at)


def test_withdrawing_removes_the_vote_and_a_second_withdrawal_finds_none(
    commitment, consultation, voter
):
    vote_cast(actor=voter, target=commitment, value=OPPOSE)
    assert vote_withdraw(actor=voter, target=commitment) is True
    assert vote_withdraw(actor=voter, target=commitment) is False
    assert vote_counts(commitment) == {"support": 0, "oppose": 0}


def test_counts_are_per_commitment(plan, consultation):
    first, second = CommitmentFactory(plan=plan), CommitmentFactory(plan=plan)
    for value in (SUPPORT, SUPPORT, OPPOSE):
        vote_cast(actor=UserFactory(), target=first, value=value)
    vote_cast(actor=UserFactory(), target=second, value=OPPOSE)
    assert vote_counts(first) == {"support": 2, "oppose": 1}
    assert vote_counts(second) == {"support": 0, "oppose": 1}


@pytest.mark.parametrize("state", ["scheduled", "closed", None])
def test_nobody_votes_or_withdraws_unless_the_consultation_is_open(plan, commitment, voter, state):
    """Votes cast while it was open stay as they were once it closes (or is rescheduled)."""
    if state:
        consultation = ConsultationFactory(space=plan)
        vote_cast(actor=voter, target=commitment, value=SUPPORT)
        if state == "scheduled":
            changes = {"opened_at": None, "opens_at": timezone.now() + DAY}
        else:
            changes = {"closed_at": timezone.now()}
        Consultation.objects.filter(pk=consultation.pk).update(**changes)
    with pytest.raises(PermissionDenied):
        vote_cast(actor=voter, target=commitment, value=OPPOSE)
    with pytest.raises(PermissionDenied):
        vote_withdraw(actor=voter, target=commitment)
    expected = {"support": 1, "oppose": 0} if state else {"support": 0, "oppose": 0}
    assert vote_counts(commitment) == expected


def test_an_unverified_user_does_not_vote(commitment, consultation):
    with pytest.raises(PermissionDenied):
        vote_cast(actor=UserFactory(verified=False), target=commitment, value=SUPPORT)
    assert not Vote.objects.exists()


def test_plans_and_milestones_are_not_voted_on(plan, commitment, consultation, voter):
    for target in (plan, MilestoneFactory(commitment=commitment)):
        with pytest.raises(ValidationError):
            vote_cast(actor=voter, target=target, value=SUPPORT)
    assert not Vote.objects.exists()


def test_a_value_other_than_support_or_opposition_is_refused(commitment, consultation, voter):
    with pytest.raises(ValidationError):
        vote_cast(actor=voter, target=commitment, value=2)


def test_one_vote_each_is_a_database_constraint(commitment, consultation, voter):
    """Even written around the service, a second row for the same person is refused."""
    vote_cast(actor=voter, target=commitment, value=SUPPORT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            target_type=content_type_of(commitment),
            target_id=commitment.pk,
            user=voter,
            value=OPPOSE,
        )


def test_nobody_votes_on_a_commitment_of_a_plan_they_may_not_read(voter):
    draft = ActionPlanFactory()  # a draft: only its team reads it
    commitment = CommitmentFactory(plan=draft)
    ConsultationFactory(space=draft)
    with pytest.raises(PermissionDenied):
        vote_cast(actor=voter, target=commitment, value=SUPPORT)


@pytest.mark.parametrize("role", ["officer", "point_of_contact"])
def test_the_plans_own_officers_do_not_vote_on_its_commitments(
    plan, commitment, consultation, role
):
    """They respond to what people say about the plan: refused, with the reason, by the
    service; an officer of another member votes like anyone."""
    officer = MemberRoleFactory(member=plan.member, role=role).user
    with pytest.raises(ValidationError) as error:
        vote_cast(actor=officer, target=commitment, value=SUPPORT)
    assert error.value.messages == [
        f"You respond to what people say about this plan as an officer of {plan.member.name}, "
        "so you do not support or oppose its commitments."
    ]
    assert not Vote.objects.exists()
    outsider = MemberRoleFactory(member=MemberFactory(), role="officer").user
    assert vote_cast(actor=outsider, target=commitment, value=SUPPORT) is VoteOutcome.CREATED


def test_an_officer_withdraws_a_vote_cast_before_they_became_one(plan, commitment, consultation):
    person = UserFactory()
    vote_cast(actor=person, target=commitment, value=OPPOSE)
    MemberRoleFactory(member=plan.member, user=person, role="officer")
    person = type(person).objects.get(pk=person.pk)  # roles are read once per user object
    assert vote_withdraw(actor=person, target=commitment) is True
    assert not Vote.objects.exists()


# --- Comment up-votes ------------------------------------------------------------------------


def test_an_up_vote_toggles_and_can_be_set_explicitly(commitment, consultation, voter):
    comment = CommentFactory(target=commitment, consultation=consultation)
    assert comment_upvote_toggle(actor=voter, comment=comment) is True
    assert comment_upvote_toggle(actor=voter, comment=comment, upvoted=True) is True
    assert comment.upvotes.count() == 1
    assert comment_upvote_toggle(actor=voter, comment=comment) is False
    assert comment_upvote_toggle(actor=voter, comment=comment, upvoted=False) is False
    assert comment.upvotes.count() == 0


def test_nobody_up_votes_their_own_comment(commitment, consultation, voter):
    comment = CommentFactory(target=commitment, consultation=consultation, author=voter)
    with pytest.raises(PermissionDenied):
        comment_upvote_toggle(actor=voter, comment=comment)


@pytest.mark.parametrize("field", ["deleted_at", "hidden_at"])
def test_deleted_and_hidden_comments_take_no_up_votes(commitment, consultation, voter, field):
    comment = CommentFactory(
        target=commitment, consultation=consultation, **{field: timezone.now()}
    )
    with pytest.raises(PermissionDenied):
        comment_upvote_toggle(actor=voter, comment=comment)


def test_up_votes_stop_when_the_consultation_closes(commitment, consultation, voter):
    comment = CommentFactory(target=commitment, consultation=consultation)
    Consultation.objects.filter(pk=consultation.pk).update(closed_at=timezone.now())
    with pytest.raises(PermissionDenied):
        comment_upvote_toggle(actor=voter, comment=comment)
    with pytest.raises(PermissionDenied):
        comment_upvote_toggle(actor=UserFactory(verified=False), comment=comment)
    assert not CommentVote.objects.exists()


# --- Follows ---------------------------------------------------------------------------------


def test_following_is_idempotent_and_open_to_unverified_users_at_any_time(plan, commitment):
    """No consultation is needed, nor a verified address."""
    person = UserFactory(verified=False)
    for target in (plan, commitment):
        follow(actor=person, target=target)
        follow(actor=person, target=target)
    assert Follow.objects.filter(user=person).count() == 2
    unfollow(actor=person, target=commitment)
    unfollow(actor=person, target=commitment)
    assert list(Follow.objects.filter(user=person).values_list("target_id", flat=True)) == [plan.pk]


def test_anonymous_visitors_and_outsiders_of_a_draft_do_not_follow(voter):
    with pytest.raises(PermissionDenied):
        follow(actor=AnonymousUser(), target=CommitmentFactory())
    with pytest.raises(PermissionDenied):
        follow(actor=voter, target=ActionPlanFactory())  # a draft: only its team reads it


# --- The vote box ----------------------------------------------------------------------------


def box(client, commitment) -> str:
    response = client.get(commitment.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="votes"')
    return html[start : html.index("</section>", start)]


def test_the_box_shows_the_counts_and_the_users_pressed_button(
    client, commitment, consultation, voter
):
    for value in (SUPPORT, SUPPORT, OPPOSE):
        vote_cast(actor=UserFactory(), target=commitment, value=value)
    vote_cast(actor=voter, target=commitment, value=OPPOSE)
    client.force_login(voter)
    html = box(client, commitment)
    assert "<dd>2</dd>" in html and html.count("<dd>2</dd>") == 2  # 2 support, 2 oppose
    assert "You oppose this." in html
    assert 'vote-button--oppose" aria-pressed="true"' in html
    assert 'vote-button--support" aria-pressed="false"' in html
    assert "Withdraw my vote" in html
    # The pressed button takes the vote back; the other one changes it.
    withdraw = reverse("participation:vote_withdraw", args=args_of(commitment))
    assert html.count(f'action="{withdraw}"') == 2
    assert 'name="value" value="support"' in html and 'value="oppose"' not in html


@pytest.mark.parametrize(
    ("who", "state", "expected"),
    [
        (ANONYMOUS, "open", "Sign in to vote"),
        (UNVERIFIED, "open", "Verify your email address to vote."),
        (USER, "scheduled", "Voting opens with the consultation on"),
        (USER, "closed", "The consultation is closed"),
        (USER, None, "none has been held here yet"),
    ],
)
def test_the_box_says_why_someone_cannot_vote(
    client, people, plan, commitment, who, state, expected
):
    if state:
        ConsultationFactory(space=plan, state=state)
    people.sign_in(client, who)
    html = box(client, commitment)
    assert expected in html
    assert "vote-button" not in html
    assert "<dd>0</dd>" in html


def test_the_box_shows_the_plans_officers_no_vote_control_but_why(
    client, plan, commitment, consultation
):
    officer = MemberRoleFactory(member=plan.member, role="officer").user
    client.force_login(officer)
    html = box(client, commitment)
    assert "vote-button" not in html and "Withdraw my vote" not in html
    assert (
        f"You respond to what people say about this plan as an officer of {plan.member.name}, "
        "so you do not support or oppose its commitments."
    ) in html
    assert ">Follow</button>" in html


def test_the_box_lets_an_officer_withdraw_an_earlier_vote(client, plan, commitment, consultation):
    person = UserFactory()
    vote_cast(actor=person, target=commitment, value=SUPPORT)
    MemberRoleFactory(member=plan.member, user=person, role="officer")
    client.force_login(person)
    html = box(client, commitment)
    assert "vote-button" not in html and "Withdraw my vote" in html


def test_an_officers_vote_comes_back_to_the_box_with_the_reason(
    client, plan, commitment, consultation
):
    officer = MemberRoleFactory(member=plan.member, role="officer").user
    client.force_login(officer)
    url = reverse("participation:vote_cast", args=args_of(commitment))
    response = client.post(url, {"value": "support"}, follow=True)
    assert response.redirect_chain == [(f"{commitment.get_absolute_url()}#votes", 302)]
    html = response.content.decode()
    start = html.index('id="votes"')
    vote_box = html[start : html.index("</section>", start)]
    assert 'class="message message--error"' in vote_box
    assert f"as an officer of {plan.member.name}" in vote_box
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "confirmation"),
    [
        ("vote_cast", {"value": "support"}, "You support this. You can change or withdraw"),
        ("vote_cast", {"value": "oppose"}, "You oppose this. You can change or withdraw"),
        ("follow", {}, "You follow"),
    ],
)
def test_the_confirmation_shows_in_the_vote_box_the_page_scrolls_to(
    client, commitment, consultation, voter, name, data, confirmation
):
    """Not at the top of the page: the page comes back at the vote box (#votes), and the
    confirmation is read there, in a status region."""
    client.force_login(voter)
    url = reverse(f"participation:{name}", args=args_of(commitment))
    response = client.post(url, {**data, "next": f"{commitment.get_absolute_url()}#votes"})
    assert response["Location"].endswith("#votes")
    html = client.get(commitment.get_absolute_url()).content.decode()
    start = html.index('id="votes"')
    vote_box = html[start : html.index("</section>", start)]
    assert '<div class="placed-messages" role="status">' in vote_box
    assert confirmation in vote_box
    assert html.count(confirmation) == 1
    assert '<div class="messages"' not in html
    # Read once: the next page shows it no more.
    assert confirmation not in client.get(commitment.get_absolute_url()).content.decode()


def test_a_vote_confirmation_without_a_vote_box_shows_at_the_top(client, plan, voter):
    """A follow from the plan page (which has no vote box) is confirmed at the top."""
    client.force_login(voter)
    url = reverse("participation:follow", args=args_of(plan))
    client.post(url, {"next": plan.get_absolute_url()})
    html = client.get(plan.get_absolute_url()).content.decode()
    top = html[html.index('<div class="messages"') :]
    assert "You follow" in top[: top.index("</div>")]


def test_the_box_offers_to_follow_and_to_stop_following(client, commitment, voter):
    client.force_login(voter)
    assert ">Follow</button>" in box(client, commitment)
    follow(actor=voter, target=commitment)
    html = box(client, commitment)
    assert ">Following</button>" in html and 'aria-pressed="true"' in html


def test_vote_box_state_reads_counts_mine_and_following_in_one_query(
    commitment, consultation, voter
):
    vote_cast(actor=voter, target=commitment, value=SUPPORT)
    vote_cast(actor=UserFactory(), target=commitment, value=OPPOSE)
    follow(actor=voter, target=commitment)
    content_type_of(commitment)  # the content type is cached once per process
    with CaptureQueriesContext(connection) as queries:
        state = vote_box_state(commitment, voter)
    assert len(queries) == 1
    assert state == {"support": 1, "oppose": 1, "mine": 1, "following": True}
    assert vote_box_state(commitment, AnonymousUser()) == {
        "support": 1,
        "oppose": 1,
        "mine": None,
        "following": False,
    }


def test_the_box_costs_the_same_queries_with_5_votes_as_with_200(client, plan, consultation):
    few, many = CommitmentFactory(plan=plan), CommitmentFactory(plan=plan)
    voters = [UserFactory() for _ in range(200)]
    Vote.objects.bulk_create(
        Vote(target_type=content_type_of(c), target_id=c.pk, user=u, value=(1, -1)[i % 2])
        for c, people in ((few, voters[:5]), (many, voters))
        for i, u in enumerate(people)
    )
    client.force_login(voters[0])
    assert_queries_constant(lambda c: get_ok(client, c.get_absolute_url()), few, many)


# --- The comment footer: up-vote and report --------------------------------------------------


def footer(html: str, comment) -> str:
    start = html.index(f'id="comment-{comment.pk}"')
    start = html.index('class="comment__footer"', start)
    return html[start : html.index("</footer>", start)]


def test_the_comment_footer_shows_the_up_vote_button_and_the_report_link(
    client, commitment, consultation, voter
):
    mine = CommentFactory(target=commitment, consultation=consultation, author=voter, body="My own")
    theirs = CommentFactory(target=commitment, consultation=consultation, body="Someone else's")
    reported = CommentFactory(target=commitment, consultation=consultation, body="Reported already")
    comment_upvote_toggle(actor=voter, comment=theirs)
    comment_upvote_toggle(actor=UserFactory(), comment=mine)
    comment_report(actor=voter, comment=reported, reason="spam")
    client.force_login(voter)
    html = client.get(commitment.get_absolute_url()).content.decode()

    own = footer(html, mine)
    assert "comment-upvote__button" not in own and "1 up-vote" in own
    assert "Report" not in own

    other = footer(html, theirs)
    assert 'aria-pressed="true"' in other and 'name="upvoted" value="0"' in other
    assert reverse("participation:comment_report", args=[theirs.pk]) in other

    done = footer(html, reported)
    assert 'aria-pressed="false"' in done and 'name="upvoted" value="1"' in done
    assert "Reported" in done
    assert reverse("participation:comment_report", args=[reported.pk]) not in done


def test_the_comment_footer_has_no_buttons_once_the_consultation_closes(
    client, commitment, consultation, voter
):
    comment = CommentFactory(target=commitment, consultation=consultation)
    comment_upvote_toggle(actor=voter, comment=comment)
    Consultation.objects.filter(pk=consultation.pk).update(closed_at=timezone.now())
    client.force_login(voter)
    html = footer(client.get(commitment.get_absolute_url()).content.decode(), comment)
    assert "comment-upvote__button" not in html and "1 up-vote" in html
    assert "Report" in html  # reports are not tied to the consultation


def test_moderators_get_hide_and_restore_links_in_the_footer(client, commitment, consultation):
    moderator = UserFactory()
    Group.objects.get(name="Moderators").user_set.add(moderator)
    visible = CommentFactory(target=commitment, consultation=consultation)
    hidden = CommentFactory(
        target=commitment,
        consultation=consultation,
        hidden_at=timezone.now(),
        hidden_reason="Spam.",
    )
    client.force_login(moderator)
    html = client.get(commitment.get_absolute_url()).content.decode()
    page = reverse("participation:moderation_comment", args=[visible.pk])
    assert f"{page}#hide" in footer(html, visible)
    page = reverse("participation:moderation_comment", args=[hidden.pk])
    assert f"{page}#restore" in footer(html, hidden)


def test_the_comment_controls_cost_the_same_queries_for_3_and_for_30_comments(
    client, plan, consultation, voter
):
    few, many = CommitmentFactory(plan=plan), CommitmentFactory(plan=plan)
    for target, count in ((few, 3), (many, 30)):
        for index in range(count):
            comment = CommentFactory(target=target, consultation=consultation)
            reply = CommentFactory(
                target=target, consultation=consultation, parent=comment, depth=1
            )
            CommentVote.objects.create(comment=comment, user=voter)
            CommentVote.objects.create(comment=reply, user=UserFactory())
            if index % 2:
                Report.objects.create(comment=reply, reporter=voter, reason="spam")
    client.force_login(voter)
    assert_queries_constant(lambda c: get_ok(client, c.get_absolute_url()), few, many)


def test_the_follow_button_tag_serves_any_participable_object(rf, plan, voter):
    """`{% follow_button plan %}` (for pages other than the commitment's, e.g. the plan's)."""
    template = Template("{% load participation_votes %}{% follow_button plan %}")
    request = rf.get(plan.get_absolute_url())
    request.user = AnonymousUser()
    assert "<form" not in template.render(Context({"request": request, "plan": plan}))
    request.user = voter
    follow_url = reverse("participation:follow", args=args_of(plan))
    html = template.render(Context({"request": request, "plan": plan}))
    assert f'action="{follow_url}"' in html and 'aria-pressed="false"' in html
    follow(actor=voter, target=plan)
    html = template.render(Context({"request": request, "plan": plan}))
    assert ">Following</button>" in html and 'aria-pressed="true"' in html
