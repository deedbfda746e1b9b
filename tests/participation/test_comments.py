"""Comments: the safe Markdown subset, and the rules of posting, editing and deleting.

The helpers at the top (a plan with a consultation in a given state, and `post`) are shared with
test_comments_views.py.
"""

import datetime
import re
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from participation import markdown
from participation.models import Comment, Consultation, Input
from participation.services import comments as services
from tests.factories import UserFactory
from tests.members.factories import OrganisationFactory, OrganisationMembershipFactory
from tests.participation.factories import ConsultationFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

# --- Shared helpers ---------------------------------------------------------------------------


def plan_in_consultation(state: str = "open", **fields):
    plan = ActionPlanFactory(status="cocreation", published=True, **fields)
    ConsultationFactory(space=plan, state=state)
    return plan


def post(actor, target, body="A useful remark.", **kwargs) -> Comment:
    return services.comment_post(actor=actor, target=target, body=body, **kwargs)


def later(minutes: float):
    """Freeze the clock `minutes` from now (services read `django.utils.timezone.now`)."""
    moment = timezone.now() + datetime.timedelta(minutes=minutes)
    return mock.patch("django.utils.timezone.now", return_value=moment)


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_renders_the_small_subset():
    """Paragraphs, line breaks, emphasis, strong, links and both kinds of list are rendered."""
    html = markdown.render(
        "First *line*\nsecond **line**\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "[OGP](https://www.opengovpartnership.org) <mailto:a@example.org>"
    )
    assert "<p>First <em>line</em><br>\nsecond <strong>line</strong></p>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html
    assert (
        '<a href="https://www.opengovpartnership.org" rel="nofollow noopener ugc">OGP</a>' in html
    )
    assert '<a href="mailto:a@example.org" rel="nofollow noopener ugc">' in html


def test_markdown_leaves_everything_else_as_text():
    """Headings, images, code and quotes are not part of the subset: they stay text."""
    html = markdown.render("# Title\n\n![x](https://e.org/x.png)\n\n`code`\n\n> quote")
    for tag in ("<h1", "<img", "<code", "<blockquote"):
        assert tag not in html
    assert "# Title" in html


def test_markdown_of_empty_text_is_empty():
    assert markdown.render("") == ""
    assert markdown.render("   \n ") == ""


TAG = re.compile(r"<([a-zA-Z0-9]+)([^>]*)>")

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    '[x](https://e.org" onmouseover="alert(1))',
    '<p onclick="alert(1)">hi</p>',
    '<svg onload="alert(1)">',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<iframe src="https://evil.example"></iframe>',
    "*<b onmouseover=alert(1)>x</b>*",
    "[click](https://e.org 'title\" onclick=\"alert(1)')",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_renders_xss_payloads_inert(payload):
    """No payload yields a tag outside the subset, an event handler, or a link to a scheme
    other than http, https and mailto."""
    html = markdown.render(payload)
    for name, attributes in TAG.findall(html):
        assert name in markdown.ALLOWED_TAGS, html
        assert not re.search(r"\son\w+\s*=", attributes), html
        for href in re.findall(r'href="([^"]*)"', attributes):
            assert href.startswith(("http://", "https://", "mailto:")), html
    assert "<script" not in html.lower()


def test_markdown_links_carry_nofollow_and_no_title():
    html = markdown.render('[a](https://e.org "a title")')
    assert html == '<p><a href="https://e.org" rel="nofollow noopener ugc">a</a></p>'


def test_markdown_refuses_relative_links():
    """Links are http, https or mailto: a relative target stays text."""
    assert "<a" not in markdown.render("[admin](/admin/)")


# --- Posting ----------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def test_a_top_level_comment_enters_the_register():
    """A top-level comment is stored with its rendered HTML, and creates a pending input of the
    plan's register, received today, from the comment."""
    plan = plan_in_consultation()
    commitment = CommitmentFactory(plan=plan)
    author = UserFactory()
    comment = post(author, commitment, "Publish **all** contracts.")
    assert comment.depth == 0
    assert comment.body_html == "<p>Publish <strong>all</strong> contracts.</p>"
    assert comment.consultation.space == plan
    item = Input.objects.get(comment=comment)
    assert item.source == Input.Source.COMMENT
    assert item.space == plan
    assert item.member == plan.member
    assert item.received_on == timezone.localdate()
    assert item.disposition == Input.Disposition.PENDING
    assert item.organisation_kind == Input.OrganisationKind.INDIVIDUAL


def test_a_comment_on_a_milestone_enters_its_plans_register():
    plan = plan_in_consultation()
    milestone = MilestoneFactory(commitment=CommitmentFactory(plan=plan))
    comment = post(UserFactory(), milestone)
    assert Input.objects.get(comment=comment).space == plan


def test_replies_do_not_enter_the_register():
    """Only top-level comments are inputs; replies are conversation about them."""
    plan = plan_in_consultation()
    top = post(UserFactory(), plan)
    reply = post(UserFactory(), plan, parent=top)
    answer = post(UserFactory(), plan, parent=reply)
    assert (reply.depth, answer.depth) == (1, 2)
    assert Input.objects.filter(comment__in=[reply, answer]).count() == 0
    assert Input.objects.filter(comment=top).count() == 1


def test_replies_go_two_levels_deep_at_most():
    """A reply to a reply of a reply is refused with a message; nothing is written."""
    plan = plan_in_consultation()
    top = post(UserFactory(), plan)
    reply = post(UserFactory(), plan, parent=top)
    answer = post(UserFactory(), plan, parent=reply)
    with pytest.raises(ValidationError, match="two levels deep"):
        post(UserFactory(), plan, parent=answer)
    assert Comment.objects.count() == 3


def test_a_reply_stays_on_the_page_of_its_parent():
    plan = plan_in_consultation()
    top = post(UserFactory(), CommitmentFactory(plan=plan))
    with pytest.raises(ValidationError):
        post(UserFactory(), plan, parent=top)


def test_a_deleted_or_hidden_comment_takes_no_replies():
    plan = plan_in_consultation()
    author = UserFactory()
    deleted = post(author, plan, "first")
    services.comment_delete(actor=author, comment=deleted)
    hidden = post(author, plan, "second")
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(), hidden_reason="Spam")
    hidden.refresh_from_db()
    for parent in (deleted, hidden):
        with pytest.raises(ValidationError, match="removed"):
            post(UserFactory(), plan, parent=parent)


@pytest.mark.parametrize("state", ["scheduled", "closed"])
def test_no_comments_outside_an_open_consultation(state):
    """Before the consultation opens and after it closes, comments are refused."""
    plan = plan_in_consultation(state)
    with pytest.raises(ValidationError):
        post(UserFactory(), plan)
    assert not Comment.objects.exists()


def test_no_comments_without_any_consultation():
    plan = ActionPlanFactory(status="cocreation", published=True)
    with pytest.raises(ValidationError):
        post(UserFactory(), plan)


def test_unverified_users_do_not_take_part():
    plan = plan_in_consultation()
    with pytest.raises(PermissionDenied):
        post(UserFactory(verified=False), plan)
    assert not Comment.objects.exists()


def test_nobody_comments_on_what_they_may_not_read():
    """A draft plan is visible only to its team: a stranger cannot comment on it."""
    plan = ActionPlanFactory(status="draft")
    ConsultationFactory(space=plan)
    with pytest.raises(PermissionDenied):
        post(UserFactory(), plan)


def test_speaking_for_an_organisation_one_belongs_to():
    """An approved member may sign with the organisation; the register records its kind."""
    plan = plan_in_consultation()
    membership = OrganisationMembershipFactory()
    comment = post(membership.user, plan, organisation=membership.organisation)
    assert comment.organisation == membership.organisation
    assert Input.objects.get(comment=comment).organisation_kind == "cso"


@pytest.mark.parametrize("status", ["pending", "refused", "none"])
def test_speaking_for_an_organisation_one_does_not_belong_to_is_refused(status):
    plan = plan_in_consultation()
    organisation = OrganisationFactory()
    user = UserFactory()
    if status != "none":
        OrganisationMembershipFactory(organisation=organisation, user=user, status=status)
    with pytest.raises(ValidationError) as error:
        post(user, plan, organisation=organisation)
    assert "organisation" in error.value.error_dict
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "body, message",
    [("", "Write your comment"), ("   \n", "Write your comment"), ("x" * 5001, "at most 5000")],
)
def test_the_body_is_required_and_at_most_5000_characters(body, message):
    plan = plan_in_consultation()
    with pytest.raises(ValidationError, match=message) as error:
        post(UserFactory(), plan, body)
    assert "body" in error.value.error_dict


def test_a_body_of_5000_characters_is_accepted():
    plan = plan_in_consultation()
    assert len(post(UserFactory(), plan, "x" * 5000).body) == 5000


def test_posting_is_rate_limited_per_minute():
    """Five comments a minute pass; the sixth is refused with a clear message, and the author
    can post again a minute later. Other people are not affected."""
    plan = plan_in_consultation()
    author = UserFactory()
    for number in range(5):
        post(author, plan, f"Remark {number}")
    with pytest.raises(ValidationError) as error:
        post(author, plan, "Remark 5")
    assert error.value.messages == ["You are posting too fast; try again in a minute."]
    post(UserFactory(), plan, "Someone else")
    with later(minutes=1.5):
        post(author, plan, "Remark 5")
    assert Comment.objects.filter(author=author).count() == 6


def test_posting_is_rate_limited_per_hour():
    plan = plan_in_consultation()
    author = UserFactory()
    for number in range(30):
        with later(minutes=number * 1.5):
            post(author, plan, f"Remark {number}")
    with later(minutes=50), pytest.raises(ValidationError, match="last hour"):
        post(author, plan, "One too many")
    with later(minutes=61):
        post(author, plan, "An hour later")


def test_refused_comments_do_not_count_towards_the_limit():
    plan = plan_in_consultation()
    author = UserFactory()
    for _ in range(6):
        with pytest.raises(ValidationError):
            post(author, plan, "")
    post(author, plan, "Finally something")


def test_an_identical_comment_within_a_day_is_refused():
    """The same author, the same text, the same object, within 24 hours: refused. On another
    object, by someone else, or a day later: accepted."""
    plan = plan_in_consultation()
    commitment = CommitmentFactory(plan=plan)
    author = UserFactory()
    post(author, plan, "Same words")
    with pytest.raises(ValidationError, match="already posted") as error:
        post(author, plan, "  Same words  ")
    assert "body" in error.value.error_dict
    post(author, commitment, "Same words")
    post(UserFactory(), plan, "Same words")
    with later(minutes=24 * 60 + 1):
        post(author, plan, "Same words")
    assert Comment.objects.filter(body="Same words").count() == 4


def test_posting_is_attributed_in_the_history():
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan)
    assert comment.history.get().history_user == author
    assert Input.objects.get(comment=comment).history.get().history_user == author


# --- Editing ----------------------------------------------------------------------------------


def test_the_author_edits_within_15_minutes():
    """The edit is rendered again and marked with its time; the history keeps both versions."""
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan, "Frist")
    with later(minutes=14):
        services.comment_edit(actor=author, comment=comment, body="*First*")
    comment.refresh_from_db()
    assert comment.body == "*First*"
    assert comment.body_html == "<p><em>First</em></p>"
    assert comment.edited_at is not None
    assert [record.body for record in comment.history.order_by("history_date")] == [
        "Frist",
        "*First*",
    ]
    assert comment.history.latest().history_user == author


def test_no_edit_after_15_minutes():
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan, "Frist")
    with later(minutes=16), pytest.raises(ValidationError, match="15 minutes"):
        services.comment_edit(actor=author, comment=comment, body="First")
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at) == ("Frist", None)


def test_the_edit_window_can_be_passed_explicitly():
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan, "Frist")
    with pytest.raises(ValidationError):
        services.comment_edit(
            actor=author,
            comment=comment,
            body="First",
            now=comment.created_at + datetime.timedelta(minutes=15, seconds=1),
        )


def test_no_edit_once_the_consultation_closed():
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan, "Frist")
    Consultation.objects.update(closed_at=timezone.now())
    with pytest.raises(ValidationError, match="closed"):
        services.comment_edit(actor=author, comment=comment, body="First")


def test_only_the_author_edits():
    plan = plan_in_consultation()
    comment = post(UserFactory(), plan, "Frist")
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=UserFactory(), comment=comment, body="First")


def test_an_edit_keeps_the_rules_of_the_body():
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan, "Frist")
    with pytest.raises(ValidationError, match="Write your comment"):
        services.comment_edit(actor=author, comment=comment, body=" ")


# --- Deleting ---------------------------------------------------------------------------------


def test_the_author_deletes_the_text_and_the_thread_stays():
    """The body is removed, the comment stays with its replies and its register entry."""
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan, "Regrettable words")
    reply = post(UserFactory(), plan, parent=comment)
    services.comment_delete(actor=author, comment=comment)
    comment.refresh_from_db()
    assert (comment.body, comment.body_html) == ("", "")
    assert comment.deleted_at is not None
    assert list(comment.replies.all()) == [reply]
    assert Input.objects.filter(comment=comment).exists()
    assert comment.history.latest().history_user == author
    # The words are gone from earlier versions too; the record of the deletion stays.
    assert comment.history.count() == 2
    assert set(comment.history.values_list("body", flat=True)) == {""}


def test_only_the_author_deletes():
    plan = plan_in_consultation()
    comment = post(UserFactory(), plan)
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=UserFactory(), comment=comment)
    comment.refresh_from_db()
    assert comment.deleted_at is None


def test_a_deleted_comment_cannot_be_edited_or_deleted_again():
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan)
    services.comment_delete(actor=author, comment=comment)
    comment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=author, comment=comment, body="Back")
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=author, comment=comment)


def test_a_deleted_comment_no_longer_blocks_posting_it_again():
    plan = plan_in_consultation()
    author = UserFactory()
    comment = post(author, plan, "Typo-ridden")
    services.comment_delete(actor=author, comment=comment)
    again = post(author, plan, "Typo-ridden")
    assert again.pk != comment.pk
    assert (again.body, again.deleted_at) == ("Typo-ridden", None)
    assert again.input.disposition == "pending"  # a new input in the register
