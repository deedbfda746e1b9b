"""Open redirects: every `next` the platform follows or renders is a path of this site.

The helper (`ogp_platform.viewtools.local_path`) is tested with the tricks browsers fall for
(`//host`, `/\\host`, a full URL to this host whose path starts with `//`, tabs and newlines
they drop, backslashes they turn into slashes); then the views that take a `next`, through the
redirect they answer and the Cancel links they render.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ogp_platform.viewtools import local_path
from participation.links import args_of
from tests.factories import UserFactory
from tests.members.factories import MemberRoleFactory
from tests.participation.test_comments import plan_in_consultation, post
from tests.participation.test_register import comment_input, ready_plan
from tests.plans.factories import CommitmentFactory

DEFAULT = "/default/"

HOSTILE = [
    "//evil.example/phish",
    "///evil.example/phish",
    "/\\evil.example/phish",
    "\\/evil.example/phish",
    "\\\\evil.example/phish",
    "/\\/evil.example/phish",
    "http://testserver//evil.example/phish",
    "http://testserver/plans/",
    "https://evil.example/",
    "http:/evil.example",
    "//testserver/plans/",
    "javascript:alert(1)",
    "JavaScript:alert(1)//",
    "data:text/html,<script>alert(1)</script>",
    "mailto:someone@example.org",
    "evil.example",
    "plans/relative/",
    "/\t/evil.example/phish",
    "/\n/evil.example/phish",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/plans/\x00",
    "/plans/ evil",
    "/plans/\u00a0evil",
    "/\u202e/evil",
    "/plans/\\..\\evil",
    "",
    None,
    ["/plans/"],
]

LOCAL = [
    "/",
    "/plans/x/?a=1#c",
    "/plans/AP_LVA01/?comments_page=2#comment-7",
    "/register/plan/3/?disposition=pending&page=2",
    # Percent-encoded slashes stay encoded in the Location header: the browser asks this site
    # for the path "/%2F%2Fevil", it does not go to another host.
    "/%2F%2Fevil",
    "/commitments/LV0048/#votes",
    "/organisations/sabiedrība/",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_helper_refuses_anything_but_a_path_of_this_site(value):
    """Another host, a scheme, a relative path, a backslash, and any control, space or format
    character (browsers drop or rewrite them) give the default."""
    assert local_path(value, DEFAULT) == DEFAULT
    assert local_path(value, DEFAULT, path_only=True) == DEFAULT


@pytest.mark.parametrize("value", LOCAL)
def test_the_helper_returns_a_path_of_this_site_as_it_is(value):
    assert local_path(value, DEFAULT) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/plans/x/?a=1#c", "/plans/x/"),
        ("/plans/x/#comments", "/plans/x/"),
        ("/?next=//evil.example", "/"),
        ("//evil.example/?a=1", DEFAULT),
        ("/\\evil.example?a=1", DEFAULT),
        ("?a=1", DEFAULT),
        ("#comments", DEFAULT),
    ],
)
def test_the_helper_cuts_the_query_and_then_checks_what_it_returns(value, expected):
    assert local_path(value, DEFAULT, path_only=True) == expected


# --- Through the views ------------------------------------------------------------------------

PHISH = "http://testserver//evil.example/phish"
BAD_NEXTS = [PHISH, "//evil.example/phish", "/\\evil.example/phish", "/\t/evil.example/phish"]


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def assert_no_foreign_link(html: str) -> None:
    for href in hrefs(html):
        assert not href.startswith(("//", "/\\", "\\")), href
        assert "evil.example" not in href, href
    assert 'value="//' not in html and 'value="http' not in html


def target_args(obj) -> list:
    return args_of(obj)


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_NEXTS)
def test_the_comment_form_of_a_closed_consultation_sends_back_to_this_site(client, bad):
    """The reported case: GET .../post/?next=http://host//evil.example/phish, the consultation
    not open, answered `Location: //evil.example/phish#comments`."""
    plan = plan_in_consultation(state="closed")
    client.force_login(UserFactory())
    url = reverse("participation:comment_post", args=target_args(plan))
    response = client.get(url, {"next": bad})
    assert response.status_code == 302
    discussion = reverse("participation:comments_discussion", args=target_args(plan))
    assert response["Location"] == f"{discussion}#comments"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_NEXTS)
def test_the_comment_reply_and_report_forms_render_no_foreign_cancel_link(client, bad):
    plan = plan_in_consultation()
    comment = post(UserFactory(), plan, "Open the procurement data.")
    client.force_login(UserFactory())
    pages = [
        reverse("participation:comment_post", args=target_args(plan)),
        reverse("participation:comment_reply", args=[comment.pk]),
        reverse("participation:comment_report", args=[comment.pk]),
    ]
    for url in pages:
        response = client.get(url, {"next": bad})
        assert response.status_code == 200, url
        assert_no_foreign_link(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_NEXTS)
def test_posting_edit_and_delete_come_back_to_this_site(client, bad):
    plan = plan_in_consultation()
    author = UserFactory()
    client.force_login(author)
    url = reverse("participation:comment_post", args=target_args(plan))
    response = client.post(url, {"body": f"A remark about {len(bad)}.", "next": bad})
    assert response.status_code == 302
    discussion = reverse("participation:comments_discussion", args=target_args(plan))
    assert response["Location"].startswith(f"{discussion}?comments_page=1#comment-")
    comment = author.comments.get()
    for name in ("comment_edit", "comment_delete"):
        page = client.get(reverse(f"participation:{name}", args=[comment.pk]), {"next": bad})
        assert page.status_code == 200
        assert_no_foreign_link(page.content.decode())
    response = client.post(
        reverse("participation:comment_delete", args=[comment.pk]), {"next": bad}
    )
    assert response["Location"].startswith(f"{discussion}?")


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_NEXTS)
def test_votes_up_votes_and_reports_come_back_to_this_site(client, bad):
    plan = plan_in_consultation()
    commitment = CommitmentFactory(plan=plan)
    comment = post(UserFactory(), commitment, "Publish it weekly.")
    client.force_login(UserFactory())
    cast = reverse("participation:vote_cast", args=target_args(commitment))
    response = client.post(cast, {"value": "support", "next": bad})
    assert response["Location"] == f"{commitment.get_absolute_url()}#votes"
    follow = reverse("participation:follow", args=target_args(plan))
    response = client.post(follow, {"next": bad})
    assert response["Location"] == f"{plan.get_absolute_url()}#votes"
    upvote = reverse("participation:comment_upvote", args=[comment.pk])
    response = client.post(upvote, {"upvoted": "1", "next": bad})
    discussion = reverse("participation:comments_discussion", args=target_args(commitment))
    assert response["Location"] == f"{discussion}?comments_page=1#comment-{comment.pk}"
    report = reverse("participation:comment_report", args=[comment.pk])
    response = client.post(report, {"reason": "spam", "note": "", "next": bad})
    assert response["Location"] == f"{discussion}?comments_page=1#comment-{comment.pk}"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_NEXTS)
def test_the_register_comes_back_to_this_site(client, bad):
    plan = ready_plan()
    item = comment_input(plan)
    client.force_login(MemberRoleFactory(member=plan.member, role="officer").user)
    url = reverse("participation:register_respond", args=[item.pk])
    page = client.get(url, {"next": bad}).content.decode()
    assert_no_foreign_link(page)
    response = client.post(url, {"disposition": "accepted", "reason": "Yes.", "next": bad})
    register = reverse("participation:register", args=target_args(plan))
    assert response["Location"] == f"{register}#input-{item.pk}"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_NEXTS)
def test_moderation_comes_back_to_this_site(client, bad):
    plan = plan_in_consultation()
    comment = post(UserFactory(), plan, "Spam, spam, spam.")
    moderator = UserFactory()
    Group.objects.get(name="Moderators").user_set.add(moderator)
    client.force_login(moderator)
    url = reverse("participation:comment_hide", args=[comment.pk])
    response = client.post(url, {"hide-reason": "Spam.", "next": bad})
    assert response["Location"] == reverse("participation:moderation_comment", args=[comment.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_NEXTS)
def test_the_language_switch_comes_back_to_this_site(client, bad):
    """Django's own check lets `http://this-host//elsewhere` through; the switch does not."""
    response = client.post(reverse("set_language"), {"language": "it", "next": bad})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_language_switch_keeps_a_path_of_this_site(client):
    path = "/plans/?status=cocreation&page=2"
    response = client.post(reverse("set_language"), {"language": "it", "next": path})
    assert response["Location"] == path


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_NEXTS)
def test_a_form_shown_again_with_its_errors_carries_only_a_checked_next(client, bad):
    """A refused comment, and a response without its reason, come back with their errors: the
    hidden `next` and the Cancel link are paths of this site."""
    plan = ready_plan()
    item = comment_input(plan)
    client.force_login(MemberRoleFactory(member=plan.member, role="officer").user)
    refused = [
        client.post(
            reverse("participation:comment_post", args=target_args(plan)),
            {"body": " ", "next": bad},
        ),
        client.post(
            reverse("participation:register_respond", args=[item.pk]),
            {"disposition": "accepted", "reason": "", "next": bad},
        ),
    ]
    for response in refused:
        assert response.status_code == 200
        html = response.content.decode()
        assert "There is a problem" in html
        assert_no_foreign_link(html)
        assert "evil.example" not in html
