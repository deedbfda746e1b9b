"""The comment boxes' length limit, and the ways to read a thread.

The 5,000-character limit is stated in each box's hint and counted by a script, never enforced
by a `maxlength` attribute (browsers cut a longer paste without a word): a comment that is too
long is refused with an error and the text kept. A thread reads oldest first or newest first,
and a signed-in person finds their own comments again ("Your comments here"), at a constant
number of queries.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.links import args_of
from participation.models import Comment
from participation.selectors import current_consultation
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory
from tests.participation.test_comments import plan_in_consultation, post
from tests.plans.factories import CommitmentFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db


def target_args(obj) -> list:
    return args_of(obj)


def comment_boxes(html: str) -> list[str]:
    return re.findall(r'<textarea[^>]*name="body"[^>]*>', html)


# --- The length limit -------------------------------------------------------------------------


def test_no_comment_box_cuts_a_long_paste(client):
    """The box on the page, the reply boxes and the form page carry the limit for the counter
    script and the hint states it; none has a maxlength attribute."""
    plan = plan_in_consultation()
    post(UserFactory(), plan, "A first remark.")
    client.force_login(UserFactory())
    pages = [
        client.get(plan.get_absolute_url()).content.decode(),
        client.get(reverse("participation:comment_post", args=target_args(plan))).content.decode(),
    ]
    for html in pages:
        boxes = comment_boxes(html)
        assert boxes
        for box in boxes:
            assert "maxlength=" not in box.replace("data-maxlength=", ""), box
            assert 'data-maxlength="5000"' in box
            assert 'data-count-left="Characters left: %(count)s"' in box
            assert "data-count-over=" in box
        assert "Up to 5,000 characters." in html
        assert "js/char-count.js" in html


def test_a_comment_that_is_too_long_is_refused_with_its_text_kept(client):
    plan = plan_in_consultation()
    client.force_login(UserFactory())
    body = "Publish every contract. " * 210  # 5,040 characters
    response = client.post(
        reverse("participation:comment_post", args=target_args(plan)),
        {"body": body, "next": plan.get_absolute_url()},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A comment can be at most 5000 characters long; this one has 5039." in html
    assert body.strip() in html  # nothing cut: the person shortens it themselves
    assert not Comment.objects.exists()


def test_line_breaks_count_as_one_character_as_the_counter_counts_them(client):
    """Browsers send a box's line breaks as CRLF; a comment of 5,000 characters with line
    breaks is not refused for its 5,000 + n bytes."""
    plan = plan_in_consultation()
    client.force_login(UserFactory())
    body = "\r\n".join(["x" * 99] * 50)  # 4,950 letters and 49 line breaks
    response = client.post(
        reverse("participation:comment_post", args=target_args(plan)),
        {"body": body, "next": plan.get_absolute_url()},
    )
    assert response.status_code == 302
    assert Comment.objects.get().body == body.replace("\r\n", "\n")


# --- Newest first, and one's own comments -----------------------------------------------------


def thread(target, *, people, start=None):
    """Top-level comments by `people` in turn, a minute apart, oldest first."""
    consultation = current_consultation(target.plan if hasattr(target, "plan") else target)
    start = start or timezone.now() - datetime.timedelta(days=1)
    return [
        CommentFactory(
            target=target,
            consultation=consultation,
            author=person,
            body=f"Remark {n}",
            created_at=start + datetime.timedelta(minutes=n),
        )
        for n, person in enumerate(people)
    ]


def order_of_remarks(html: str) -> list[str]:
    return re.findall(r"<p>(Remark \d+|Reply \w+)</p>", html)


def test_a_thread_reads_newest_first(client):
    """Top-level comments newest first; the replies under each stay in the order they were
    written. The choice is a link (no script), marked as the current one."""
    plan = plan_in_consultation()
    first = thread(plan, people=[UserFactory() for _ in range(3)])[0]
    for word in ("one", "two"):
        CommentFactory(
            target=plan,
            consultation=first.consultation,
            parent=first,
            depth=1,
            body=f"Reply {word}",
        )
    html = client.get(plan.get_absolute_url()).content.decode()
    assert order_of_remarks(html) == ["Remark 0", "Reply one", "Reply two", "Remark 1", "Remark 2"]
    assert f'<a href="{plan.get_absolute_url()}#comments" aria-current="true">Oldest first</a>' in (
        html
    )
    newest = f"{plan.get_absolute_url()}?comments_order=newest#comments"
    assert f'<a href="{newest}">Newest first</a>' in html

    html = client.get(newest).content.decode()
    assert order_of_remarks(html) == ["Remark 2", "Remark 1", "Remark 0", "Reply one", "Reply two"]
    assert f'<a href="{newest}" aria-current="true">Newest first</a>' in html


def test_the_pages_of_a_thread_keep_its_order(client):
    plan = plan_in_consultation()
    thread(plan, people=[UserFactory()] * 25)
    html = client.get(f"{plan.get_absolute_url()}?comments_order=newest").content.decode()
    assert "<p>Remark 24</p>" in html and "<p>Remark 4</p>" not in html
    later = "?comments_order=newest&amp;comments_page=2#comments"
    assert f'href="{plan.get_absolute_url()}{later}"' in html
    html = client.get(
        f"{plan.get_absolute_url()}?comments_order=newest&comments_page=2"
    ).content.decode()
    assert order_of_remarks(html) == [f"Remark {n}" for n in range(4, -1, -1)]


def test_a_person_finds_their_own_comments_again(client):
    """ "Your comments here" counts the person's comments and shows only the threads they wrote
    in, their own comment or a reply of theirs, each marked as theirs."""
    plan = plan_in_consultation()
    me, others = UserFactory(), [UserFactory() for _ in range(4)]
    comments = thread(plan, people=[others[0], me, others[1], others[2], others[3]])
    post(me, plan, "Reply mine", parent=comments[3])
    client.force_login(me)
    html = client.get(plan.get_absolute_url()).content.decode()
    mine_url = f"{plan.get_absolute_url()}?comments_filter=mine#comments"
    assert f'<a href="{mine_url}">Your 2 comments here</a>' in html

    html = client.get(mine_url).content.decode()
    assert order_of_remarks(html) == ["Remark 1", "Remark 3", "Reply mine"]
    assert "Only the 2 threads you wrote in are shown." in html
    assert html.count("comment--mine") == 2
    assert f'<a href="{plan.get_absolute_url()}#comments">Show all comments</a>' in html


def test_someone_who_has_not_written_here_gets_no_such_link(client):
    plan = plan_in_consultation()
    thread(plan, people=[UserFactory() for _ in range(3)])
    client.force_login(UserFactory())
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "comments here" not in html
    html = client.get(f"{plan.get_absolute_url()}?comments_filter=mine").content.decode()
    assert "You have not written here." in html
    client.logout()
    html = client.get(f"{plan.get_absolute_url()}?comments_filter=mine").content.decode()
    assert order_of_remarks(html) == ["Remark 0", "Remark 1", "Remark 2"]  # ignored


@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize("view", ["", "?comments_order=newest", "?comments_filter=mine"])
def test_each_view_of_a_thread_costs_the_same_for_3_and_for_30_comments(client, view):
    plan = plan_in_consultation()
    small, large = CommitmentFactory(plan=plan), CommitmentFactory(plan=plan)
    me = UserFactory()
    thread(small, people=[me, UserFactory(), UserFactory()])
    thread(large, people=[me, UserFactory(), UserFactory()] * 10)
    client.force_login(me)
    client.get(small.get_absolute_url() + view)
    assert_queries_constant(lambda c: get_ok(client, c.get_absolute_url() + view), small, large)
