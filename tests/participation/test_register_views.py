"""The register's pages: the permission matrix of the officers' register, the record and the
respond forms; the public report (figures, filters, pagination, printing, escaping); the plan
page's summary and the submit page's pending count; constant query counts."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from participation.links import args_of
from participation.models import Input
from participation.selectors import content_type_of
from tests.members.factories import MemberRoleFactory
from tests.participation.test_register import (
    comment_input,
    quick_comment_input,
    quick_input,
    ready_plan,
)
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

ROLES = [ANONYMOUS, UNVERIFIED, USER, CSO_MEMBER, OFFICER, OTHER_OFFICER, MODERATOR, OGP_ADMIN]
RESPONDERS = {OFFICER}


@pytest.fixture
def world(people):
    plan = ready_plan(member=people.member)
    item = comment_input(plan, body="Publish every contract within a week.")
    return {"plan": plan, "input": item}


def space_args(plan) -> list:
    return args_of(plan)


def register_url(plan) -> str:
    return reverse("participation:register", args=space_args(plan))


def report_url(plan) -> str:
    return reverse("participation:register_report", args=space_args(plan))


def record_url(plan) -> str:
    return reverse("participation:register_record", args=space_args(plan))


def respond_url(item) -> str:
    return reverse("participation:register_respond", args=[item.pk])


RECORD_DATA = {
    "source": "meeting",
    "received_on": "2026-01-15",
    "text": "The forum asked for open budget data.",
    "author_name": "",
    "organisation_name": "Open Budget Coalition",
    "organisation_kind": "cso",
}


def expect(response, role, allowed=RESPONDERS, ok=200):
    if role == ANONYMOUS:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in allowed:
        assert response.status_code == ok, response.status_code
    else:
        assert response.status_code == 403


# --- Permission matrix ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["register", "record", "respond"])
def test_the_register_pages_are_for_the_members_officers(client, people, world, role, page):
    people.sign_in(client, role)
    url = {
        "register": register_url(world["plan"]),
        "record": record_url(world["plan"]),
        "respond": respond_url(world["input"]),
    }[page]
    expect(client.get(url), role)


@pytest.mark.parametrize("role", ROLES)
def test_recording_an_input(client, people, world, role):
    people.sign_in(client, role)
    response = client.post(record_url(world["plan"]), RECORD_DATA)
    recorded = Input.objects.filter(source="meeting").first()
    if role in RESPONDERS:
        assert response.status_code == 302
        assert response["Location"] == f"{register_url(world['plan'])}#input-{recorded.pk}"
        assert recorded.organisation_name == "Open Budget Coalition"
        assert recorded.recorded_by == people[role]
    else:
        expect(response, role)
        assert recorded is None


@pytest.mark.parametrize("role", ROLES)
def test_responding_to_an_input(client, people, world, role):
    people.sign_in(client, role)
    response = client.post(
        respond_url(world["input"]),
        {"disposition": "accepted", "reason": "Commitment 1 does it."},
    )
    item = Input.objects.get(pk=world["input"].pk)
    if role in RESPONDERS:
        assert response.status_code == 302
        assert response["Location"] == f"{register_url(world['plan'])}#input-{item.pk}"
        assert (item.disposition, item.responded_by) == ("accepted", people[role])
    else:
        expect(response, role)
        assert item.disposition == "pending"


@pytest.mark.parametrize("role", ROLES)
def test_everyone_who_may_read_the_plan_reads_the_report(client, people, world, role):
    people.sign_in(client, role)
    response = client.get(report_url(world["plan"]))
    assert response.status_code == 200
    assert "Publish every contract within a week." in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_register_of_a_draft_is_hidden_from_outsiders(client, people, role):
    """A draft is read only by the member's team: for everyone else its register does not
    exist (404); anonymous visitors too."""
    plan = ActionPlanFactory(member=people.member, status="draft")
    people.sign_in(client, role)
    assert client.get(report_url(plan)).status_code == (
        200 if role in (OFFICER, OGP_ADMIN) else 404
    )
    assert client.get(register_url(plan)).status_code == {OFFICER: 200, OGP_ADMIN: 403}.get(
        role, 404
    )


def test_forms_refuse_a_post_without_csrf_token(world, people):
    client = Client(enforce_csrf_checks=True)
    people.sign_in(client, OFFICER)
    assert client.post(record_url(world["plan"]), RECORD_DATA).status_code == 403
    response = client.post(respond_url(world["input"]), {"disposition": "accepted", "reason": "X"})
    assert response.status_code == 403
    assert Input.objects.get(pk=world["input"].pk).disposition == "pending"
    assert Input.objects.count() == 1


def test_unknown_spaces_and_inputs_are_404(client, people, world):
    people.sign_in(client, OFFICER)
    commitment = world["plan"].commitments.get()
    assert client.get("/register/no-such-kind/1/").status_code == 404
    assert client.get("/register/999999/1/").status_code == 404
    # A commitment is not a space: its inputs are in its plan's register.
    assert client.get(register_url(commitment)).status_code == 404
    user_type = content_type_of(people[OFFICER]).pk
    assert client.get("/register/user/1/report/").status_code == 404
    assert client.get(f"/register/{user_type}/1/report/").status_code == 404
    assert client.get(reverse("participation:register_respond", args=[999999])).status_code == 404


# --- The forms ------------------------------------------------------------------------------


def test_a_response_without_reason_comes_back_with_the_error(client, people, world):
    people.sign_in(client, OFFICER)
    response = client.post(respond_url(world["input"]), {"disposition": "not_accepted"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page and "Give the reason for this response" in page
    assert Input.objects.get(pk=world["input"].pk).disposition == "pending"


def test_the_respond_form_offers_the_other_inputs_and_the_commitments(client, people, world):
    plan = world["plan"]
    other = quick_input(plan, text="The same, in writing.")
    commitment = plan.commitments.get()
    people.sign_in(client, OFFICER)
    page = client.get(respond_url(world["input"])).content.decode()
    assert f'<option value="{other.pk}">' in page
    assert f'<option value="{world["input"].pk}">' not in page  # not itself
    key = f"commitment:{commitment.pk}"
    assert f'<option value="{key}">' in page and commitment.title in page
    response = client.post(
        respond_url(world["input"]),
        {"disposition": "merged", "reason": "Same point.", "merged_into": other.pk},
    )
    assert response.status_code == 302
    assert Input.objects.get(pk=world["input"].pk).merged_into == other
    response = client.post(
        respond_url(other),
        {"disposition": "partial", "reason": "In part.", "taken_into": key},
    )
    assert response.status_code == 302
    assert Input.objects.get(pk=other.pk).taken_into == commitment


def test_responding_goes_back_to_the_filtered_register(client, people, world):
    """Back to the filter the officer came from; the input answered from the "pending" filter
    has left it, so the page is not scrolled to it."""
    people.sign_in(client, OFFICER)
    back = f"{register_url(world['plan'])}?disposition=pending"
    page = client.get(register_url(world["plan"]) + "?disposition=pending").content.decode()
    assert f"{respond_url(world['input'])}?next=" in page
    form = client.get(respond_url(world["input"]), {"next": back}).content.decode()
    assert 'name="next"' in form
    response = client.post(
        respond_url(world["input"]),
        {"disposition": "accepted", "reason": "Yes.", "next": back},
    )
    assert response["Location"] == back
    response = client.post(
        respond_url(world["input"]),
        {"disposition": "accepted", "reason": "Yes!", "next": "https://evil.example/"},
    )
    assert response["Location"] == f"{register_url(world['plan'])}#input-{world['input'].pk}"


def test_a_future_date_comes_back_with_the_error(client, people, world):
    people.sign_in(client, OFFICER)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(record_url(world["plan"]), {**RECORD_DATA, "received_on": tomorrow})
    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    assert Input.objects.count() == 1


def test_the_comment_link_leads_to_the_comment_in_its_thread(client, world):
    item = world["input"]
    response = client.get(reverse("participation:register_comment", args=[item.comment_id]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{item.comment_id}")


def test_after_saving_the_officer_stays_on_the_same_filter_and_page(client, people, world):
    """Page 2 of the written inputs: the response is saved, the officer is back on page 2 of
    that filter at the input, and the confirmation, which names the input, shows in it (not at
    the top of the page, which the page has scrolled away from)."""
    plan = world["plan"]
    written = [
        quick_input(plan, source="written", text=f"Written submission {n}.") for n in range(55)
    ]
    item = written[52]
    back = f"{register_url(plan)}?source=written&page=2"
    people.sign_in(client, OFFICER)
    page = client.get(back).content.decode()
    assert f'id="input-{item.pk}"' in page
    form = client.get(respond_url(item), {"next": back}).content.decode()
    assert f'href="{back.replace("&", "&amp;")}#input-{item.pk}"' in form  # Cancel
    response = client.post(
        respond_url(item),
        {"disposition": "not_accepted", "reason": "Outside the term.", "next": back},
    )
    assert response["Location"] == f"{back}#input-{item.pk}"
    page = client.get(back).content.decode()
    confirmation = (
        f"The response to input no. {item.pk} (“Written submission 52.”) is saved: Not accepted."
    )
    block = re.search(rf'<li[^>]*id="input-{item.pk}".*?</li>', page, re.S).group(0)
    assert confirmation in block
    top = re.search(r'<div class="messages".*?</div>', page, re.S)
    assert top is None or confirmation not in top.group(0)


def test_an_input_that_leaves_the_filter_is_confirmed_at_the_top(client, people, world):
    """Answered from the "pending" filter, the input is no longer listed: the confirmation
    shows at the top of the same page and says why the input is gone."""
    plan = world["plan"]
    item = quick_input(plan, source="email", text="Please publish the minutes.")
    back = f"{register_url(plan)}?disposition=pending"
    people.sign_in(client, OFFICER)
    response = client.post(
        respond_url(item),
        {"disposition": "accepted", "reason": "They will be.", "next": back},
        follow=True,
    )
    assert response.redirect_chain == [(back, 302)]
    page = response.content.decode()
    top = re.search(r'<div class="messages".*?</div>', page, re.S).group(0)
    assert f"The response to input no. {item.pk} (“Please publish the minutes.”)" in top
    assert "It no longer shows under these filters." in top
    assert f'id="input-{item.pk}"' not in page


def test_each_input_shows_what_it_was_written_on(client, people, world):
    """A comment's input names the plan, commitment or milestone it was written on, with its
    title and a link, in the register and in the public report; inputs received outside the
    platform have none."""
    plan = world["plan"]
    commitment = plan.commitments.get()
    milestone = MilestoneFactory(commitment=commitment, title="Open contracting portal live")
    on_commitment = quick_comment_input(plan, target=commitment, body="On the commitment.")
    on_milestone = quick_comment_input(plan, target=milestone, body="On the milestone.")
    offline = quick_input(plan, text="Said at the forum.")
    people.sign_in(client, OFFICER)
    for url in (register_url(plan), report_url(plan)):
        page = client.get(url).content.decode()
        expected = {
            world["input"]: ("Action plan", plan.get_absolute_url(), plan.title),
            on_commitment: ("Commitment", commitment.get_absolute_url(), commitment.title),
            on_milestone: ("Milestone", milestone.get_absolute_url(), milestone.title),
        }
        for item, (kind, link, title) in expected.items():
            block = re.search(rf'<li[^>]*id="input-{item.pk}".*?</li>', page, re.S).group(0)
            written_on = re.search(r"<dt>Written on</dt><dd>(.*?)</dd>", block, re.S)
            assert written_on, block
            assert written_on.group(1).startswith(f"{kind}: ")
            assert f'<a href="{link}">' in written_on.group(1) and title in written_on.group(1)
        block = re.search(rf'<li[^>]*id="input-{offline.pk}".*?</li>', page, re.S).group(0)
        assert "Written on" not in block


def test_the_reason_is_marked_required(client, people, world):
    """Required for every response but "pending": its label says so and assistive technology
    is told, as for every required field."""
    people.sign_in(client, OFFICER)
    page = client.get(respond_url(world["input"])).content.decode()
    label = re.search(r'<label class="field__label" for="id_reason">(.*?)</label>', page, re.S)
    assert 'Reason <span class="field__required">(required)</span>' in label.group(1)
    textarea = re.search(r'<textarea[^>]*name="reason"[^>]*>', page).group(0)
    assert 'aria-required="true"' in textarea


# --- The pages ------------------------------------------------------------------------------


def test_the_register_lists_every_input_with_its_response(client, people, world):
    plan, officer = world["plan"], people[OFFICER]
    offline = quick_input(
        plan,
        source="email",
        text="Please add a commitment on lobbying.",
        author_name="Jānis",
        organisation_name="Civic Alliance",
        organisation_kind="cso",
    )
    answered = quick_input(
        plan,
        disposition="not_accepted",
        reason="Outside the plan's term.",
        responded_by=officer,
        responded_at=timezone.now(),
    )
    client.force_login(officer)
    page = client.get(register_url(plan)).content.decode()
    for text in (
        "Publish every contract within a week.",
        "Please add a commitment on lobbying.",
        "Jānis, Civic Alliance",
        "Email",
        "Outside the plan",
        "Not accepted",
        "2 inputs are waiting for a response.",
        f"Responded on {date_format(timezone.localdate(), 'DATE_FORMAT')}",
        record_url(plan),
        report_url(plan),
        respond_url(offline),
        respond_url(answered),
        reverse("participation:register_comment", args=[world["input"].comment_id]),
    ):
        assert text in page, text
    assert officer.get_full_name() in page  # who responded, for the officers


def test_the_report_shows_the_figures_over_all_inputs(client, world):
    """51 inputs, 50 a page: the totals and the share count all of them."""
    plan = world["plan"]
    now = timezone.now()
    for _ in range(40):
        quick_input(plan, disposition="accepted", reason="Yes.", responded_at=now)
    for _ in range(10):
        quick_input(plan, source="meeting")
    page = client.get(report_url(plan)).content.decode()
    figures = re.sub(r"\s+", " ", page)
    assert "<dt>Inputs</dt><dd>51</dd>" in figures
    assert "<dt>Answered</dt><dd>78%</dd>" in figures  # 40 of 51, rounded down
    assert "<dt>Waiting for a response</dt><dd>11</dd>" in figures
    assert "<dt>Median time to response</dt><dd>0 days</dd>" in figures
    assert "51 inputs" in page and "Page 1 of 2" in page
    assert page.count('class="register-input ') == 50
    second = client.get(report_url(plan), {"page": 2}).content.decode()
    assert second.count('class="register-input ') == 1
    assert "<dt>Inputs</dt><dd>51</dd>" in re.sub(r"\s+", " ", second)


def test_the_report_filters_by_disposition_and_source(client, world):
    plan = world["plan"]
    quick_input(plan, source="meeting", text="Said at the forum.")
    quick_input(
        plan,
        text="Accepted one.",
        disposition="accepted",
        reason="Yes.",
        responded_at=timezone.now(),
    )
    page = client.get(report_url(plan), {"disposition": "pending"}).content.decode()
    assert "2 inputs match the filters" in page
    assert "Said at the forum." in page and "Accepted one." not in page
    page = client.get(
        report_url(plan), {"disposition": "pending", "source": "meeting"}
    ).content.decode()
    assert "1 input matches the filters" in page
    assert "Said at the forum." in page and "Publish every contract" not in page
    page = client.get(report_url(plan), {"source": "nonsense"}).content.decode()
    assert "have been ignored" in page and "3 inputs" in page


def test_the_report_is_printable(client, world):
    """The print stylesheet hides the navigation, the filters and the pagination."""
    page = client.get(report_url(world["plan"])).content.decode()
    assert 'class="filters register-filters' in page
    with open("static/css/site.css", encoding="utf-8") as css:
        stylesheet = css.read()
    block = stylesheet[stylesheet.index("/* --- Participation: register --- */") :]
    print_rules = block[block.index("@media print") :]
    for selector in (".register-filters", ".pagination", ".register-no-print", ".breadcrumbs"):
        assert selector in print_rules


def test_user_text_is_escaped_everywhere(client, people, world):
    plan, officer = world["plan"], people[OFFICER]
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    quick_input(
        plan,
        text=payload,
        author_name=payload,
        organisation_name=payload,
        disposition="accepted",
        reason=payload,
        responded_at=timezone.now(),
        responded_by=officer,
    )
    quick_comment_input(plan, body=payload)
    client.force_login(officer)
    for url in (report_url(plan), register_url(plan), plan.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "<img src=x" not in page, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(report_url(plan)).content.decode()


# --- The plan page and the submit page ------------------------------------------------------


def test_the_plan_page_summarises_the_register(client, people, world):
    plan = world["plan"]
    quick_input(plan, disposition="accepted", reason="Yes.", responded_at=timezone.now())
    page = client.get(plan.get_absolute_url()).content.decode()
    summary = re.sub(r"\s+", " ", page[page.index('id="register"') :])
    assert "2 inputs received, 50% answered." in summary
    assert "Pending: <strong>1</strong>" in summary and "Accepted: <strong>1</strong>" in summary
    assert f'href="{report_url(plan)}"' in summary
    assert f'href="{register_url(plan)}"' not in summary
    people.sign_in(client, OFFICER)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f'href="{register_url(plan)}"' in page
    assert "1 input is waiting for your response" in page


def test_the_submit_page_says_how_many_inputs_are_pending_and_links_to_them(client, people, world):
    plan = world["plan"]
    quick_input(plan)
    people.sign_in(client, OFFICER)
    url = reverse("action_plans:transition", args=[plan.identifier, "submit"])
    page = client.get(url).content.decode()
    assert "2 inputs are still waiting for a reasoned response." in page
    assert f'href="{register_url(plan)}?disposition=pending"' in page
    response = client.post(url)
    assert response.status_code == 400
    assert "2 inputs are still waiting for a reasoned response." in response.content.decode()
    Input.objects.update(disposition="out_of_scope", reason="Not for this plan.")
    assert client.post(url).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted"


# --- Query counts ---------------------------------------------------------------------------


def filled_plan(size: int):
    """A plan whose register holds `size` inputs of every kind: comments on the plan, on a
    commitment and on a milestone, offline inputs, answered ones (merged, taken into
    commitments), pending ones."""
    plan = ready_plan()
    officer = MemberRoleFactory(member=plan.member, role="officer").user
    commitments = [plan.commitments.get(), CommitmentFactory(plan=plan)]
    now = timezone.now()
    first = quick_input(plan)
    quick_comment_input(plan, target=commitments[1])
    quick_comment_input(plan, target=MilestoneFactory(commitment=commitments[1]))
    made = 3
    while made < size:
        kind = made % 5
        if kind == 0:
            quick_comment_input(plan)
        elif kind == 1:
            quick_comment_input(
                plan,
                disposition="accepted",
                reason="Yes.",
                responded_by=officer,
                responded_at=now,
                taken_into=commitments[made % 2],
            )
        elif kind == 2:
            quick_input(
                plan,
                disposition="merged",
                reason="Same.",
                merged_into=first,
                responded_by=officer,
                responded_at=now,
            )
        elif kind == 3:
            quick_input(plan, source="meeting", organisation_name="Forum")
        else:
            quick_input(
                plan,
                disposition="partial",
                reason="In part.",
                responded_by=officer,
                responded_at=now,
                taken_into=commitments[0],
            )
        made += 1
    return plan, officer


@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize("as_officer", [False, True], ids=["anonymous", "officer"])
def test_the_report_costs_the_same_queries_for_5_and_50_inputs(client, as_officer):
    small, small_officer = filled_plan(5)
    large, _ = filled_plan(50)
    assert Input.objects.filter(space_id=large.pk).count() == 50
    if as_officer:
        MemberRoleFactory(member=large.member, user=small_officer, role="officer")
        client.force_login(small_officer)
    client.get(report_url(small))  # warm the content-type cache
    count = assert_queries_constant(lambda plan: get_ok(client, report_url(plan)), small, large)
    # One query per kind of object the comments were written on besides the plan (here a
    # commitment and a milestone), whatever their number.
    assert count <= 13


def test_the_register_costs_the_same_queries_for_5_and_50_inputs(client):
    small, officer = filled_plan(5)
    large, _ = filled_plan(50)
    MemberRoleFactory(member=large.member, user=officer, role="officer")
    client.force_login(officer)
    client.get(register_url(small))
    count = assert_queries_constant(lambda plan: get_ok(client, register_url(plan)), small, large)
    # One query per kind of object the comments were written on besides the plan (here a
    # commitment and a milestone), whatever their number.
    assert count <= 13
