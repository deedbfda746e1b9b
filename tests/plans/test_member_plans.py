"""Member pages list the member's action plans (drafts only for its team), offer drafters to
start one, show "acting contrary to process" records, and the directory counts published plans.
The members app knows nothing of plans: the page gets them through a template tag."""

import datetime

import pytest
from django.urls import reverse

from ogp_platform.members.models import ContraryToProcess
from tests.factories import UserFactory
from tests.members.factories import MemberFactory, MemberRoleFactory
from tests.people import (
    ANONYMOUS,
    CSO_MEMBER,
    FORUM,
    OFFICER,
    OGP_ADMIN,
    OTHER_OFFICER,
    POINT_OF_CONTACT,
    USER,
)
from tests.plans.factories import ActionPlanFactory, CommitmentFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db

PEOPLE = [ANONYMOUS, USER, CSO_MEMBER, FORUM, OTHER_OFFICER, OFFICER, POINT_OF_CONTACT, OGP_ADMIN]
TEAM = {FORUM, OFFICER, POINT_OF_CONTACT, OGP_ADMIN}
DRAFTERS = {OFFICER, POINT_OF_CONTACT}


@pytest.fixture
def member():
    return MemberFactory(country="MD", country_alpha3="MDA", name="Moldova", slug="moldova")


@pytest.fixture
def plans(member):
    """An ended plan submitted late with 2 commitments, one in co-creation, and a draft."""
    ended = ActionPlanFactory(
        member=member,
        sequence=4,
        title="Al patrulea plan de acțiune pentru guvernare deschisă",
        start_date=datetime.date(2021, 9, 1),
        end_date=datetime.date(2023, 8, 31),
        submission_deadline=datetime.date(2021, 8, 31),
        status="ended",
        is_late=True,
        published=True,
    )
    CommitmentFactory.create_batch(2, plan=ended)
    cocreation = ActionPlanFactory(
        member=member, sequence=5, title="Fifth plan", status="cocreation", published=True
    )
    draft = ActionPlanFactory(member=member, sequence=6, title="Sixth plan, still a draft")
    CommitmentFactory(plan=draft)
    return {"ended": ended, "cocreation": cocreation, "draft": draft}


def member_page(client, member, who=None):
    if who is not None and who.is_authenticated:
        client.force_login(who)
    response = client.get(member.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_public_page_lists_published_plans_with_their_facts(client, member, plans):
    """Visitors see each published plan's id, title, period, status, commitment count and late
    flag, newest first, with a link to the plan; never the draft."""
    html = member_page(client, member)
    assert "Action plans" in html
    ended, cocreation = plans["ended"], plans["cocreation"]
    assert html.index("AP_MDA05") < html.index("AP_MDA04")
    assert f'href="{ended.get_absolute_url()}"' in html
    assert "Al patrulea plan de acțiune pentru guvernare deschisă" in html
    assert "1 September 2021 – 31 August 2023" in html
    assert "2 commitments" in html and "0 commitments" in html
    assert 'class="badge badge--plan-ended">Ended' in html
    assert 'class="badge badge--plan-cocreation">Co-creation' in html
    assert html.count("Submitted late") == 1
    assert cocreation.identifier in html
    assert "AP_MDA06" not in html and "still a draft" not in html


@pytest.mark.parametrize("name", PEOPLE)
def test_drafts_are_listed_for_the_members_team_only(client, people, member, plans, name):
    """The member's officers, points of contact, forum members and OGP admins see the draft
    with its status; everyone else sees the published plans only."""
    html = member_page(client, member, people.of(member=member)[name])
    assert "AP_MDA05" in html
    assert ("Sixth plan, still a draft" in html) == (name in TEAM)
    assert ('class="badge badge--plan-draft">Draft' in html) == (name in TEAM)


@pytest.mark.parametrize("name", PEOPLE)
def test_start_button_only_for_drafters(client, people, member, name):
    """Only the member's points of contact and officers get "Start an action plan"."""
    html = member_page(client, member, people.of(member=member)[name])
    create_url = reverse("action_plans:create", args=[member.slug])
    assert ("Start an action plan" in html) == (name in DRAFTERS)
    assert (f'href="{create_url}"' in html) == (name in DRAFTERS)


def test_empty_states(client, people, member):
    """Without plans, visitors read that none is published; drafters are told a new plan stays a
    draft until co-creation opens."""
    assert "No action plan published yet." in member_page(client, member)
    html = member_page(client, member, people.of(member=member)[OFFICER])
    assert "No action plan yet. A plan you start stays a draft" in html


def test_contrary_to_process_records_are_shown(client, people, member, plans):
    """The member page shows OGP's "acting contrary to process" records, linking the plan when
    the visitor may read it, and escaping the reason."""
    admin = people.of(member=member)[OGP_ADMIN]
    ContraryToProcess.objects.create(
        member=member,
        plan_identifier=plans["ended"].identifier,
        reason="Plan delivered after 1 January <b>late</b>.",
        recorded_by=admin,
    )
    ContraryToProcess.objects.create(
        member=member, plan_identifier="AP_MDA06", reason="Draft concerned.", recorded_by=admin
    )
    html = member_page(client, member)
    assert "Acting contrary to process" in html
    assert "Plan delivered after 1 January &lt;b&gt;late&lt;/b&gt;." in html
    assert f'<a href="{plans["ended"].get_absolute_url()}">' in html
    assert '<span class="code">AP_MDA06</span>' in html
    assert 'href="/plans/AP_MDA06/"' not in html


def test_no_contrary_to_process_section_without_records(client, member, plans):
    assert "Acting contrary to process" not in member_page(client, member)


def test_directory_counts_published_plans(client, member, plans):
    """Each entry of the directory says how many of its plans are published (drafts do not
    count)."""
    MemberFactory(country="CA", country_alpha3="CAN", name="Canada", slug="canada")
    response = client.get(reverse("members:directory"))
    counts = {m.slug: m.published_plan_count for m in response.context["page"].object_list}
    assert counts == {"canada": 0, "moldova": 2}
    html = response.content.decode()
    assert "2 published action plans" in html and "0 published action plans" in html


def test_directory_count_ignores_withdrawn_drafts_and_filters_keep_counts(client, member, plans):
    ActionPlanFactory(member=member, sequence=7, status="withdrawn")
    response = client.get(reverse("members:directory"), {"region": "europe", "q": "moldo"})
    assert [m.published_plan_count for m in response.context["page"].object_list] == [2]


@pytest.mark.parametrize("name", [ANONYMOUS, OFFICER])
def test_member_page_queries_do_not_grow_with_plans(client, people, name):
    """The member page costs as many queries with 8 plans (with commitments, late, with a
    contrary-to-process record each) as with 1."""
    small = MemberFactory(country="MD", country_alpha3="MDA", slug="small")
    large = MemberFactory(country="CA", country_alpha3="CAN", slug="large")
    who = people.of(member=small)[name]
    if who.is_authenticated:
        MemberRoleFactory(member=large, user=who, role="officer")
        client.force_login(who)
    recorder = UserFactory()
    for member, count in ((small, 1), (large, 8)):
        for n in range(count):
            plan = ActionPlanFactory(
                member=member, sequence=n + 1, status="ended", published=True, is_late=True
            )
            CommitmentFactory.create_batch(2, plan=plan)
            ContraryToProcess.objects.create(
                member=member, plan_identifier=plan.identifier, reason="Late.", recorded_by=recorder
            )
        ActionPlanFactory(member=member, sequence=count + 1)  # a draft
    count = assert_queries_constant(
        lambda url: get_ok(client, url), small.get_absolute_url(), large.get_absolute_url()
    )
    assert count <= 14


def test_directory_queries_do_not_grow_with_plans(client):
    """Counting plans keeps the directory at a constant number of queries."""
    members = [MemberFactory() for _ in range(12)]
    for member in members[:2]:
        ActionPlanFactory(member=member, published=True, status="cocreation")

    def more_plans():
        for member in members:
            for _ in range(3):
                ActionPlanFactory(member=member, published=True, status="cocreation")

    assert_queries_constant(
        lambda _: get_ok(client, reverse("members:directory")), None, more_plans
    )
