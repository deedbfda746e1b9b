"""The comments section on the plan and commitment pages, the discussion page of a milestone,
and the views that post, reply, edit and delete: permissions, CSRF, escaping, pagination and
the pages' query counts."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation.links import args_of
from participation.models import Comment, CommentVote, Input
from participation.selectors import content_type_of, current_consultation
from participation.services import comments as services
from tests.factories import UserFactory
from tests.members.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from tests.participation.factories import CommentFactory
from tests.participation.test_comments import later, plan_in_consultation, post
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
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db

# --- Actors (tests/people.py) ---------------------------------------------------------------------

AUTHOR = "author"  # the author of the comment under test
ROLES = [ANONYMOUS, UNVERIFIED, USER, CSO_MEMBER, OFFICER, OTHER_OFFICER, MODERATOR, OGP_ADMIN]
LOGIN = "login"


def assert_response(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith("/accounts/login/")
        assert parse_qs(urlsplit(location).query)["next"] == [response.request["PATH_INFO"]]
        return
    assert response.status_code == expected, response.content[:500]


def post_url(target) -> str:
    return reverse("participation:comment_post", args=args_of(target))


def discussion_url(target) -> str:
    return reverse("participation:comments_discussion", args=args_of(target))


# --- Permission matrix ------------------------------------------------------------------------

TAKE_PART = {
    ANONYMOUS: LOGIN,
    UNVERIFIED: 403,
    USER: 302,
    CSO_MEMBER: 302,
    OFFICER: 302,
    OTHER_OFFICER: 302,
    MODERATOR: 302,
    OGP_ADMIN: 302,
}


@pytest.mark.parametrize("actor", ROLES)
def test_post_permissions(client, people, actor):
    """Everyone signed in with a verified email comments while the consultation is open."""
    plan = plan_in_consultation(member=people.member)
    commitment = CommitmentFactory(plan=plan)
    people.sign_in(client, actor)
    response = client.post(
        post_url(commitment), {"body": "More open data.", "next": commitment.get_absolute_url()}
    )
    assert_response(response, TAKE_PART[actor])
    created = Comment.objects.filter(body="More open data.")
    assert created.exists() == (TAKE_PART[actor] == 302)
    if TAKE_PART[actor] == 302:
        comment = created.get()
        assert response["Location"] == (
            f"{commitment.get_absolute_url()}?comments_page=1#comment-{comment.pk}"
        )


@pytest.mark.parametrize("actor", ROLES)
def test_reply_permissions(client, people, actor):
    plan = plan_in_consultation(member=people.member)
    top = post(UserFactory(), plan, "Top")
    people.sign_in(client, actor)
    response = client.post(
        reverse("participation:comment_reply", args=[top.pk]),
        {"body": "An answer.", "next": plan.get_absolute_url()},
    )
    assert_response(response, TAKE_PART[actor])
    assert Comment.objects.filter(parent=top).exists() == (TAKE_PART[actor] == 302)


CHANGE_OWN = dict.fromkeys(ROLES, 403) | {ANONYMOUS: LOGIN, AUTHOR: 302}


@pytest.mark.parametrize("actor", [*ROLES, AUTHOR])
def test_edit_permissions(client, people, actor):
    """Only the author edits; moderators hide instead (that is moderation's)."""
    plan = plan_in_consultation(member=people.member)
    author = UserFactory()
    comment = post(author, plan, "Frist")
    if actor == AUTHOR:
        client.force_login(author)
    else:
        people.sign_in(client, actor)
    url = reverse("participation:comment_edit", args=[comment.pk])
    assert_response(client.get(url), 200 if CHANGE_OWN[actor] == 302 else CHANGE_OWN[actor])
    response = client.post(url, {"body": "First", "next": plan.get_absolute_url()})
    assert_response(response, CHANGE_OWN[actor])
    comment.refresh_from_db()
    assert (comment.body == "First") == (CHANGE_OWN[actor] == 302)


@pytest.mark.parametrize("actor", [*ROLES, AUTHOR])
def test_delete_permissions(client, people, actor):
    plan = plan_in_consultation(member=people.member)
    author = UserFactory()
    comment = post(author, plan, "Regrettable")
    if actor == AUTHOR:
        client.force_login(author)
    else:
        people.sign_in(client, actor)
    url = reverse("participation:comment_delete", args=[comment.pk])
    assert_response(client.get(url), 200 if CHANGE_OWN[actor] == 302 else CHANGE_OWN[actor])
    response = client.post(url, {"next": plan.get_absolute_url()})
    assert_response(response, CHANGE_OWN[actor])
    comment.refresh_from_db()
    assert (comment.deleted_at is not None) == (CHANGE_OWN[actor] == 302)


def test_comments_on_an_unreadable_plan_are_not_found(client):
    """A draft plan's comments, and their URLs, do not exist for strangers."""
    plan = ActionPlanFactory(status="draft")
    client.force_login(UserFactory())
    assert client.post(post_url(plan), {"body": "Hello"}).status_code == 404
    assert client.get(discussion_url(plan)).status_code == 404


def test_a_url_naming_something_not_participable_is_not_found(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(f"/comments/user/{user.pk}/").status_code == 404
    assert client.get(f"/comments/{content_type_of(user).pk}/{user.pk}/").status_code == 404
    assert client.get("/comments/999999/1/").status_code == 404


# --- CSRF -------------------------------------------------------------------------------------


def test_posting_needs_the_csrf_token():
    """Without the token the post is refused (403) and nothing is written; with the token from
    the page's form, it is accepted."""
    plan = plan_in_consultation()
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(post_url(plan), {"body": "Forged"}).status_code == 403
    assert not Comment.objects.exists()
    page = client.get(plan.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(post_url(plan), {"body": "Genuine", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Comment.objects.get().body == "Genuine"


@pytest.mark.parametrize("view", ["comment_edit", "comment_delete", "comment_reply"])
def test_changing_a_comment_needs_the_csrf_token(view):
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan, "Mine")
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = client.post(reverse(f"participation:{view}", args=[comment.pk]), {"body": "X"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert (comment.body, comment.deleted_at, comment.replies.count()) == ("Mine", None, 0)


# --- The section ------------------------------------------------------------------------------


def test_the_section_shows_the_thread(client):
    """Authors, organisations, replies nested under their comment, "edited", and the
    placeholders of deleted and hidden comments."""
    plan = plan_in_consultation()
    commitment = CommitmentFactory(plan=plan)
    membership = OrganisationMembershipFactory(organisation__name="Open Budget Watch")
    membership.user.display_name = "Ada Lovelace"
    membership.user.save()
    top = post(membership.user, commitment, "Top *remark*", organisation=membership.organisation)
    reply = post(UserFactory(display_name="Bob"), commitment, "A reply", parent=top)
    post(UserFactory(), commitment, "An answer", parent=reply)
    edited = post(UserFactory(), commitment, "Befor")
    services.comment_edit(actor=edited.author, comment=edited, body="Before")
    deleted = post(UserFactory(), commitment, "Gone words")
    services.comment_delete(actor=deleted.author, comment=deleted)
    hidden = post(UserFactory(), commitment, "Rude words")
    Comment.objects.filter(pk=hidden.pk).update(
        hidden_at=timezone.now(), hidden_reason="Insults a person"
    )

    html = client.get(commitment.get_absolute_url()).content.decode()
    assert 'id="comments"' in html
    # Names people typed are isolated from the words around them (issue 13, point 5).
    assert "<bdi>Ada Lovelace</bdi>" in html and "for <bdi>Open Budget Watch</bdi>" in html
    assert "<p>Top <em>remark</em></p>" in html
    top_start = html.index(f'id="comment-{top.pk}"')
    reply_start = html.index(f'id="comment-{reply.pk}"')
    next_top = html.index(f'id="comment-{edited.pk}"')
    assert top_start < reply_start < next_top  # the reply is inside its comment's item
    assert "edited" in html[next_top : html.index(f'id="comment-{deleted.pk}"')]
    assert "Deleted by its author" in html and "Gone words" not in html
    assert "Hidden by a moderator: Insults a person" in html and "Rude words" not in html
    assert "Comments <span" in html and "(6)" in html


@pytest.mark.parametrize(
    "state, verified, signed_in, expected",
    [
        ("open", True, False, "Sign in to take part"),
        ("open", False, True, "Verify your email address to take part"),
        ("scheduled", True, True, "opens on"),
        ("closed", True, True, "The consultation is closed"),
    ],
)
def test_the_section_says_why_one_cannot_comment(client, state, verified, signed_in, expected):
    plan = plan_in_consultation(state)
    if signed_in:
        client.force_login(UserFactory(verified=verified))
    html = client.get(plan.get_absolute_url()).content.decode()
    assert expected in html
    assert 'id="comment-body"' not in html


def test_the_section_offers_the_form_while_open(client):
    """A verified user sees the comment form with its label, the Markdown note, and the
    organisations they speak for; replies have a disclosure that works without JavaScript."""
    plan = plan_in_consultation()
    membership = OrganisationMembershipFactory(organisation__name="Civic Lab")
    OrganisationMembershipFactory(user=membership.user, status="pending")
    top = post(UserFactory(), plan, "Top")
    client.force_login(membership.user)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert '<label class="field__label" for="comment-body">' in html
    assert "[text](https://…)" in html
    assert "is open until" in html
    assert html.count(">Civic Lab</option>") == 2  # the comment form and the reply form
    assert "Civic Watch" not in html  # the pending membership's organisation is not offered
    assert f'action="{reverse("participation:comment_reply", args=[top.pk])}"' in html
    assert "<details" in html and "<summary>Reply" in html


def test_no_reply_form_on_the_third_level(client):
    plan = plan_in_consultation()
    top = post(UserFactory(), plan, "Top")
    answer = post(UserFactory(), plan, "Answer", parent=post(UserFactory(), plan, "R", parent=top))
    client.force_login(UserFactory())
    html = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("participation:comment_reply", args=[top.pk]) in html
    assert reverse("participation:comment_reply", args=[answer.pk]) not in html


def test_edit_and_delete_links_for_the_author_only(client):
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan, "Mine")
    edit = reverse("participation:comment_edit", args=[comment.pk])
    delete = reverse("participation:comment_delete", args=[comment.pk])
    client.force_login(UserFactory())
    html = client.get(plan.get_absolute_url()).content.decode()
    assert edit not in html and delete not in html
    client.force_login(author)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert edit in html and delete in html
    with later(minutes=16):
        html = client.get(plan.get_absolute_url()).content.decode()
    assert edit not in html and delete in html


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)> [c](javascript:alert(1))'


def test_user_text_is_inert_on_the_page(client):
    """Script and event-handler payloads in the body, the author's name and the organisation's
    name are shown as text, never as markup."""
    plan = plan_in_consultation()
    membership = OrganisationMembershipFactory(organisation__name='<b onmouseover="x()">Org</b>')
    membership.user.display_name = "<script>alert('name')</script>"
    membership.user.save()
    top = post(membership.user, plan, XSS, organisation=membership.organisation)
    post(UserFactory(), plan, XSS, parent=top)
    client.force_login(UserFactory())
    html = client.get(plan.get_absolute_url()).content.decode()
    section = html[html.index('id="comments"') :]
    assert "<script>" not in section
    assert "<img" not in section
    assert "<b onmouseover" not in section
    assert 'href="javascript:' not in section
    assert '&lt;script&gt;alert("x")&lt;/script&gt;' in section
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in section


def test_pagination_of_top_level_comments(client):
    """Twenty top-level comments a page, oldest first, each with its replies; the links keep
    the anchor of the section."""
    plan = plan_in_consultation()
    consultation = current_consultation(plan)
    author = UserFactory()
    start = timezone.now() - datetime.timedelta(hours=2)
    Comment.objects.bulk_create(
        CommentFactory.build(
            target=plan,
            consultation=consultation,
            author=author,
            body=f"Number {n:02d}",
            created_at=start + datetime.timedelta(minutes=n),
        )
        for n in range(25)
    )
    last = Comment.objects.get(body="Number 24")
    CommentFactory(
        target=plan,
        consultation=consultation,
        author=author,
        parent=last,
        depth=1,
        body="Reply to 24",
    )
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Number 00" in html and "Number 19" in html and "Number 20" not in html
    assert f"{plan.get_absolute_url()}?comments_page=2#comments" in html
    html = client.get(f"{plan.get_absolute_url()}?comments_page=2").content.decode()
    assert "Number 19" not in html and "Number 24" in html and "Reply to 24" in html
    assert "Page 2 of 2" in html
    assert client.get(f"{plan.get_absolute_url()}?comments_page=zz").status_code == 200


def test_after_posting_one_lands_on_the_page_of_the_comment(client):
    plan = plan_in_consultation()
    consultation = current_consultation(plan)
    other = UserFactory()
    Comment.objects.bulk_create(
        CommentFactory.build(
            target=plan,
            consultation=consultation,
            author=other,
            body=f"n{n}",
            created_at=timezone.now() - datetime.timedelta(hours=1),
        )
        for n in range(20)
    )
    client.force_login(UserFactory())
    response = client.post(post_url(plan), {"body": "Mine", "next": plan.get_absolute_url()})
    comment = Comment.objects.get(body="Mine")
    assert response["Location"] == (
        f"{plan.get_absolute_url()}?comments_page=2#comment-{comment.pk}"
    )


def test_next_must_stay_on_the_site(client):
    plan = plan_in_consultation()
    client.force_login(UserFactory())
    response = client.post(post_url(plan), {"body": "Hi", "next": "https://evil.example/"})
    assert response["Location"].startswith(discussion_url(plan))


def test_a_refused_comment_is_shown_again_with_the_error(client):
    """An empty comment, or one over the rate limit, comes back on a page of its own with the
    error summary and the text written, which is not lost."""
    plan = plan_in_consultation()
    user = UserFactory()
    client.force_login(user)
    response = client.post(post_url(plan), {"body": "   "})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    for number in range(5):
        post(user, plan, f"Remark {number}")
    response = client.post(post_url(plan), {"body": "Sixth <remark>"})
    html = response.content.decode()
    assert "You are posting too fast; try again in a minute." in html
    assert "Sixth &lt;remark&gt;</textarea>" in html
    assert Comment.objects.count() == 5


def test_a_reply_too_deep_is_refused_with_a_message(client):
    plan = plan_in_consultation()
    top = post(UserFactory(), plan, "Top")
    answer = post(UserFactory(), plan, "A", parent=post(UserFactory(), plan, "R", parent=top))
    client.force_login(UserFactory())
    response = client.post(
        reverse("participation:comment_reply", args=[answer.pk]), {"body": "Deeper"}
    )
    assert response.status_code == 200
    assert "two levels deep" in response.content.decode()
    assert not Comment.objects.filter(body="Deeper").exists()


def test_posting_while_closed_says_so(client):
    plan = plan_in_consultation("closed")
    client.force_login(UserFactory())
    response = client.post(post_url(plan), {"body": "Late"})
    assert "The consultation is closed" in response.content.decode()
    response = client.get(post_url(plan), follow=True)
    assert "The consultation is closed" in response.content.decode()
    assert not Comment.objects.exists()


def test_speaking_for_an_organisation_through_the_form(client):
    plan = plan_in_consultation()
    membership = OrganisationMembershipFactory()
    client.force_login(membership.user)
    client.post(post_url(plan), {"body": "For us", "organisation": membership.organisation.pk})
    assert Comment.objects.get().organisation == membership.organisation
    other = OrganisationFactory()
    response = client.post(post_url(plan), {"body": "For them", "organisation": other.pk})
    assert response.status_code == 200
    assert Comment.objects.count() == 1


def test_editing_after_the_window_sends_back_with_a_message(client):
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan, "Frist")
    client.force_login(author)
    url = reverse("participation:comment_edit", args=[comment.pk])
    with later(minutes=16):
        response = client.get(url, follow=True)
        assert "can no longer be edited" in response.content.decode()
        response = client.post(url, {"body": "First"})
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.body == "Frist"


def test_a_deleted_comment_keeps_its_replies_on_the_page(client):
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan, "Regrettable")
    post(UserFactory(), plan, "Still here", parent=comment)
    client.force_login(author)
    client.post(reverse("participation:comment_delete", args=[comment.pk]))
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Deleted by its author" in html and "Still here" in html
    assert "Regrettable" not in html


# --- Milestones -------------------------------------------------------------------------------


def test_milestones_are_discussed_on_a_page_of_their_own(client):
    """The commitment page links each milestone to its discussion page, which shows its title,
    a link back, and the comments section; a comment there comes back there."""
    plan = plan_in_consultation()
    milestone = MilestoneFactory(commitment=CommitmentFactory(plan=plan), title="Open the data")
    html = client.get(milestone.commitment.get_absolute_url()).content.decode()
    assert f'href="{discussion_url(milestone)}"' in html
    html = client.get(discussion_url(milestone)).content.decode()
    assert "Open the data" in html
    assert f'href="{milestone.get_absolute_url()}"' in html
    assert 'id="comments"' in html
    client.force_login(UserFactory())
    response = client.post(
        post_url(milestone), {"body": "Too late", "next": discussion_url(milestone)}
    )
    comment = Comment.objects.get()
    assert response["Location"].startswith(discussion_url(milestone))
    assert comment.target == milestone
    assert Input.objects.get(comment=comment).space == plan
    assert "Too late" in client.get(discussion_url(milestone)).content.decode()


# --- Query counts -----------------------------------------------------------------------------


def fill_thread(target, top_level: int) -> None:
    """`top_level` comments, each with a reply that has a reply, and an up-vote on each."""
    consultation = current_consultation(target.plan)
    authors = [UserFactory() for _ in range(3)]
    membership = OrganisationMembershipFactory(user=authors[0])
    start = timezone.now() - datetime.timedelta(days=1)

    def batch(parents, depth):
        return Comment.objects.bulk_create(
            CommentFactory.build(
                target=target,
                consultation=consultation,
                author=authors[depth],
                organisation=membership.organisation if depth == 0 else None,
                parent=parent,
                depth=depth,
                body="Words",
                body_html="<p>Words</p>",
                created_at=start + datetime.timedelta(seconds=n * 3 + depth),
            )
            for n, parent in enumerate(parents)
        )

    top = batch([None] * top_level, 0)
    replies = batch(top, 1)
    answers = batch(replies, 2)
    CommentVote.objects.bulk_create(
        CommentVote(comment=comment, user=authors[(index + 1) % 3])
        for index, comment in enumerate([*top, *replies, *answers])
    )


@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize("actor", [ANONYMOUS, CSO_MEMBER, OFFICER])
def test_the_commitment_page_costs_the_same_with_50_and_500_comments(client, people, actor):
    """The commitment page, with its comments section, makes the same number of queries with
    50 comments as with 500 (a third top-level, each with a reply and a reply to that)."""
    plan = plan_in_consultation(member=people.member)
    small, large = CommitmentFactory(plan=plan), CommitmentFactory(plan=plan)
    fill_thread(small, 17)  # 51 comments
    fill_thread(large, 167)  # 501 comments
    people.sign_in(client, actor)
    client.get(small.get_absolute_url())  # content types are cached once per process
    assert_queries_constant(lambda c: get_ok(client, c.get_absolute_url()), small, large)
    html = client.get(large.get_absolute_url()).content.decode()
    assert html.count('class="comment comment--depth-0"') == 20
    assert html.count('class="comment comment--depth-2"') == 20
    assert "Page 1 of 9" in html


def test_the_milestone_discussion_page_costs_the_same_whatever_its_comments(client):
    plan = plan_in_consultation()
    commitment = CommitmentFactory(plan=plan)
    small, large = MilestoneFactory(commitment=commitment), MilestoneFactory(commitment=commitment)
    small.plan = large.plan = plan
    fill_thread(small, 2)
    fill_thread(large, 40)
    client.force_login(UserFactory())
    client.get(discussion_url(small))
    assert_queries_constant(lambda m: get_ok(client, discussion_url(m)), small, large)
