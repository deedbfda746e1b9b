"""My work (`/my-work/`): each signed-in person's starting point, filled by the apps' panels.

The registry (`ogp_platform.dashboard`) orders sections and panels stably and shows the panels
that apply; the page is for signed-in people only, never cached, and where people land after
signing in (unless they were on their way somewhere). Officers see their member's plans with
their status and next deadline, the inputs waiting for their response, the drafts and the PDF
exports; administrators of an organisation see who asks to join it and what was said for it,
with its responses; people who take part see what they follow, the replies to their comments
and the responses to their inputs. Someone with several roles sees every section that applies;
someone with none, a friendly page with pointers. The page costs the same number of queries
for 2 as for 12 of everything, for each kind of person, and lists at most 10 of anything.
"""

import ast
import datetime
import re
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from action_plans.models import ActionPlan, PdfExport
from commitments.models import Commitment, Milestone
from ogp_platform import dashboard
from ogp_platform.members.models import Organisation, OrganisationMembership
from participation.links import args_of
from participation.models import Input
from participation.services import comments as comment_services
from participation.services.register import input_record, input_respond
from participation.services.votes import follow
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.members.factories import (
    MemberFactory,
    MemberRoleFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from tests.participation.factories import ConsultationFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db

URL = "/my-work/"
SMALL, LARGE = 2, 12
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def _content_types_cached():
    """A running server has read the content types long before: the first page counted must
    not pay for them."""
    ContentType.objects.get_for_models(ActionPlan, Commitment, Milestone, Organisation)


def post(actor, target, body, **kwargs):
    """A comment, past the per-person rate limit (these tests write many at once)."""
    cache.delete(comment_services._rate_key(actor))
    return comment_services.comment_post(actor=actor, target=target, body=body, **kwargs)


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    """The page's words, without tags and with spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def panel(html: str, name: str) -> str:
    """One panel of the page, by its registered name."""
    html_id = "panel-" + name.replace(".", "-")
    found = re.search(rf'<section class="dashboard-panel" id="{html_id}".*?</section>', html, re.S)
    assert found, f"no panel {name}"
    return found.group(0)


# --- The worlds --------------------------------------------------------------------------------


def officer_world(size: int) -> SimpleNamespace:
    """A member with a point of contact, a plan in co-creation (an open consultation closing in
    ten days, the submission deadline in two months) with `size` commitments (the first complete
    with a milestone, the others without), `size` comments waiting in its register plus an
    older input received by email, `size` older plans (in implementation), and `size` PDFs."""
    member = MemberFactory()
    officer = MemberRoleFactory(member=member, role="point_of_contact").user
    plan = ActionPlanFactory(
        member=member,
        status="cocreation",
        published=True,
        title=f"Co-created plan of {member.name}",
        start_date=TODAY.replace(day=1) + datetime.timedelta(days=400),
        end_date=TODAY.replace(day=1) + datetime.timedelta(days=1100),
        submission_deadline=TODAY + datetime.timedelta(days=60),
    )
    consultation = ConsultationFactory(space=plan)
    commitments = [
        CommitmentFactory(plan=plan, title=f"Commitment {n} of {member.name}") for n in range(size)
    ]
    MilestoneFactory(commitment=commitments[0])
    for n, commitment in enumerate(commitments):
        Commitment.objects.filter(pk=commitment.pk).update(problem="" if n else commitment.problem)
        post(UserFactory(), commitment, f"Remark {n} on {commitment.identifier}")
    emailed = input_record(
        actor=officer,
        space=plan,
        source=Input.Source.EMAIL,
        text="An early remark sent by email.",
        received_on=TODAY - datetime.timedelta(days=20),
    )
    older = [
        ActionPlanFactory(
            member=member,
            status="implementation",
            published=True,
            start_date=datetime.date(2020 - n, 9, 1),
            end_date=datetime.date(2022 - n, 8, 31),
        )
        for n in range(size)
    ]
    exports = [
        PdfExport.objects.create(
            plan=plan,
            language="en",
            fingerprint=uuid.uuid4().hex,
            status=PdfExport.Status.READY if n % 2 else PdfExport.Status.FAILED,
            file="exports/pdf/x.pdf",
        )
        for n in range(size)
    ]
    return SimpleNamespace(
        member=member,
        officer=officer,
        plan=plan,
        consultation=consultation,
        commitments=commitments,
        emailed=emailed,
        older=older,
        exports=exports,
    )


def organisation_world(size: int) -> SimpleNamespace:
    """An organisation with an administrator, `size` people asking to join, and `size`
    comments written for it by its members on a plan in consultation, every other one with
    its response (the first accepted, with a reason)."""
    organisation = OrganisationFactory()
    admin = OrganisationMembershipFactory(organisation=organisation, admin=True).user
    requests = [
        OrganisationMembershipFactory(
            organisation=organisation,
            status=OrganisationMembership.Status.PENDING,
            user=UserFactory(display_name=f"Applicant {n}"),
        )
        for n in range(size)
    ]
    plan = ActionPlanFactory(status="cocreation", published=True)
    ConsultationFactory(space=plan)
    officer = MemberRoleFactory(member=plan.member, role="officer").user
    comments = []
    for n in range(size):
        speaker = OrganisationMembershipFactory(organisation=organisation).user
        target = CommitmentFactory(plan=plan)
        comment = post(
            speaker, target, f"Said for the organisation, no. {n}", organisation=organisation
        )
        comments.append(comment)
        if n % 2 == 0:
            input_respond(
                actor=officer,
                input=comment.input,
                disposition=Input.Disposition.ACCEPTED,
                reason=f"Taken on board, reason no. {n}.",
            )
    return SimpleNamespace(
        organisation=organisation, admin=admin, requests=requests, comments=comments, plan=plan
    )


def citizen_world(size: int) -> SimpleNamespace:
    """A person who follows `size` commitments, commented on each, got a reply to each comment
    and a response to every other one."""
    citizen = UserFactory(display_name="Ilze Participant")
    plan = ActionPlanFactory(status="cocreation", published=True)
    ConsultationFactory(space=plan)
    officer = MemberRoleFactory(member=plan.member, role="officer").user
    targets, comments, replies = [], [], []
    for n in range(size):
        target = CommitmentFactory(plan=plan, title=f"Followed commitment {n}")
        follow(actor=citizen, target=target)
        comment = post(citizen, target, f"My remark no. {n}")
        # The first reply is the government's own, written by the plan's officer.
        replier = officer if n == 0 else UserFactory()
        replies.append(post(replier, target, f"A reply, no. {n}", parent=comment))
        if n % 2 == 0:
            input_respond(
                actor=officer,
                input=comment.input,
                disposition=Input.Disposition.PARTIAL,
                reason=f"Partly taken into the plan, reason no. {n}.",
            )
        targets.append(target)
        comments.append(comment)
    return SimpleNamespace(
        citizen=citizen, plan=plan, targets=targets, comments=comments, replies=replies
    )


# --- The registry ------------------------------------------------------------------------------


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, the real one put back afterwards."""
    monkeypatch.setattr(dashboard, "_sections", {})
    monkeypatch.setattr(dashboard, "_panels", {})
    monkeypatch.setattr(dashboard, "_starting_points", {})
    return dashboard


def signed_in_request(user):
    request = RequestFactory().get(URL)
    request.user = user
    return request


def test_panels_come_in_a_stable_order_and_only_when_they_apply(registry, user):
    """Sections by their order, then panels by theirs, ties broken by name; a panel that does
    not apply is left out; registering a name again replaces it."""
    registry.register_section("later", title="Later", order=20)
    registry.register_section("first", title="First", order=10)

    def panel(name, section, order, applies=True):
        registry.register_panel(
            name=name,
            section=section,
            template="unused.html",
            applies=lambda request: applies,
            context=dict,
            order=order,
        )

    panel("b", "later", 1)
    panel("a", "later", 1)
    panel("z", "first", 5)
    panel("hidden", "first", 1, applies=False)
    panel("y", "first", 9)
    panel("y", "first", 2)  # replaces the one above
    names = [p.name for p in registry.panels_for(signed_in_request(user))]
    assert names == ["y", "z", "a", "b"]


def test_a_panel_in_a_section_nobody_registered_is_an_error(registry, user):
    registry.register_panel(
        name="lost",
        section="nowhere",
        template="unused.html",
        applies=lambda request: True,
        context=dict,
    )
    with pytest.raises(LookupError, match="nowhere"):
        registry.panels_for(signed_in_request(user))


def test_per_request_computes_once_per_request(user):
    calls = []
    first, second = signed_in_request(user), signed_in_request(user)
    for request in (first, first, second):
        dashboard.per_request(request, "key", lambda: calls.append(1) or len(calls))
    assert calls == [1, 1]


def test_the_core_never_imports_the_apps_above_it():
    """The registry and the members' panels live in the core; the apps register into them, not
    the other way round (issue 14's import contract)."""
    root = Path(settings.BASE_DIR)
    for path in ("ogp_platform/dashboard.py", "ogp_platform/members/dashboard.py"):
        tree = ast.parse((root / path).read_text())
        imported = {
            alias.name if isinstance(node, ast.Import) else node.module or ""
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
        }
        above = {
            name
            for name in imported
            if name.split(".")[0] in ("participation", "action_plans", "commitments", "use_cases")
        }
        assert not above, f"{path} imports {above}"


def test_every_app_registered_its_panels():
    assert {
        "action_plans.plans",
        "action_plans.pdf_exports",
        "commitments.drafts",
        "participation.pending_inputs",
        "participation.organisation_comments",
        "participation.follows",
        "participation.replies",
        "participation.responses",
        "participation.moderation",
        "members.requests",
        "members.onboardings",
    } <= set(dashboard._panels)
    assert "participation.open_consultations" in dashboard._starting_points


# --- The page: who, where from, never cached -------------------------------------------------


def test_the_url():
    assert reverse("dashboard") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={URL}"


def test_the_page_is_personal_and_never_cached(client, settings):
    """Never stored by the page cache or on the way (Cache-Control private, no-store), and two
    people asking in turn each get their own page."""
    settings.PAGE_CACHE_SECONDS = 300
    first, second = officer_world(1), officer_world(1)
    client.force_login(first.officer)
    response = client.get(URL)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert first.plan.identifier in response.content.decode()
    client.force_login(second.officer)
    again = client.get(URL).content.decode()
    assert second.plan.identifier in again and first.plan.identifier not in again


def test_it_only_answers_get(client, user):
    client.force_login(user)
    assert client.post(URL).status_code == 405


def test_people_land_on_it_after_signing_in(client):
    user = UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == URL


def test_an_explicit_next_wins_over_it(client):
    user = UserFactory()
    response = client.post(
        reverse("account_login") + "?next=/members/",
        {"login": user.email, "password": DEFAULT_PASSWORD, "next": "/members/"},
    )
    assert response.status_code == 302 and response["Location"] == "/members/"


def test_the_header_links_to_it_for_signed_in_people_only(client, user):
    """In the main navigation, marked as the current page when on it."""
    link = re.compile(r'<nav class="site-nav".*<a class="site-nav__work" href="/my-work/"', re.S)
    assert not link.search(client.get("/").content.decode())
    client.force_login(user)
    assert link.search(client.get("/members/").content.decode())
    assert 'href="/my-work/" aria-current="page">My work</a>' in page(client, user)


# --- What each person sees ---------------------------------------------------------------------


def test_an_officer_sees_their_plans_inputs_drafts_and_exports(client):
    """Their member's plans (status, next deadline), the inputs waiting (count, oldest, link to
    the register's pending ones), the commitments being drafted with what they still need, the
    PDFs; nothing of another member."""
    world, other = officer_world(SMALL), officer_world(SMALL)
    html = page(client, world.officer)
    words = text(html)
    assert "Government work" in words
    assert f"{world.plan.identifier} {world.plan.title}" in words
    assert "Co-creation" in words
    closes = timezone.localdate(world.consultation.closes_at)
    assert f"Consultation closes: {date_format(closes, 'DATE_FORMAT')}" in words
    assert "Implementation" in words and "End of implementation" in words
    # Inputs: the comments and the emailed input, the oldest being the emailed one.
    received = world.emailed.received_on
    assert "3 inputs are waiting for a reasoned response." in words
    assert f"The oldest was received on {date_format(received, 'DATE_FORMAT')}" in words
    register = reverse("participation:register", args=args_of(world.plan))
    assert f'href="{register}?disposition=pending"' in html
    assert "3 inputs are waiting for your response" in words
    # Drafts: the complete commitment and the one missing its problem and milestones.
    complete, incomplete = world.commitments
    assert complete.identifier in words and incomplete.identifier in words
    assert "Still needs: problem addressed, at least one milestone" in words
    # PDFs: a ready one downloads, a failed one links to where it stands.
    failed, ready = world.exports
    assert reverse("action_plans:pdf_download", args=[world.plan.identifier, ready.pk]) in html
    assert reverse("action_plans:pdf_status", args=[world.plan.identifier, failed.pk]) in html
    # Nothing of the other member, and no section the officer has no part in.
    assert other.plan.identifier not in words and other.member.name not in words
    assert "Your organisations" not in words and "Taking part" not in words


def test_an_overdue_submission_deadline_is_marked(client):
    member = MemberFactory()
    officer = MemberRoleFactory(member=member).user
    ActionPlanFactory(member=member, submission_deadline=TODAY - datetime.timedelta(days=3))
    words = text(page(client, officer))
    assert "Submission deadline:" in words and "(passed)" in words
    assert "dashboard-deadline--overdue" in page(client, officer)


def test_a_forum_member_is_no_officer_here(client):
    """The forum reads drafts but does not draft or answer inputs: no government section."""
    world = officer_world(1)
    forum = MemberRoleFactory(member=world.member, role="forum").user
    assert "Government work" not in text(page(client, forum))


def test_an_organisations_administrator_sees_requests_and_what_was_said(client):
    world = organisation_world(SMALL)
    words = text(page(client, world.admin))
    assert "Your organisations" in words
    for membership in world.requests:
        assert membership.user.get_full_name() in words
    assert f'href="{world.organisation.get_absolute_url()}#requests-title"' in page(
        client, world.admin
    )
    assert "Said for the organisation, no. 0" in words
    assert "Accepted Taken on board, reason no. 0." in words
    assert "Said for the organisation, no. 1" in words
    assert "Pending Waiting for a reasoned response." in words
    assert "Government work" not in words


def test_a_plain_member_of_an_organisation_is_no_administrator_here(client):
    world = organisation_world(1)
    member = OrganisationMembershipFactory(organisation=world.organisation).user
    assert "Your organisations" not in text(page(client, member))


def test_a_citizen_sees_what_they_follow_replies_and_responses(client):
    world = citizen_world(SMALL)
    html = page(client, world.citizen)
    words = text(html)
    assert "Taking part" in words
    for target in world.targets:
        assert target.title in words
    for reply in world.replies:
        assert reply.body in words
        assert reverse("participation:register_comment", args=[reply.pk]) in html
    # The officer's reply carries the mark nobody else can get.
    replies = panel(html, "participation.replies")
    assert replies.count('class="official-mark"') == 1
    assert f"Official: Government of {world.plan.member.name}" in text(replies)
    inputs = text(panel(html, "participation.responses"))
    assert "Partially accepted Partly taken into the plan, reason no. 0." in inputs
    assert "Pending Waiting for a reasoned response." in inputs  # no. 1, not answered yet
    assert inputs.index("reason no. 0") < inputs.index("Pending")
    assert reverse("participation:notifications_settings") in html
    assert "Government work" not in words and "Your organisations" not in words


def test_each_part_shows_only_when_it_has_something(client, user):
    """Someone who follows a commitment but never commented sees what they follow, and no empty
    panel of replies or responses."""
    world = citizen_world(1)
    follow(actor=user, target=world.targets[0])
    html = page(client, user)
    assert world.targets[0].title in text(panel(html, "participation.follows"))
    assert 'id="panel-participation-replies"' not in html
    assert 'id="panel-participation-responses"' not in html


def test_someone_with_several_roles_sees_every_section(client):
    officer = officer_world(1)
    organisation = organisation_world(1)
    citizen = citizen_world(1)
    person = officer.officer
    OrganisationMembershipFactory(organisation=organisation.organisation, user=person, admin=True)
    follow(actor=person, target=citizen.targets[0])
    words = text(page(client, person))
    positions = [
        words.index(title) for title in ("Government work", "Your organisations", "Taking part")
    ]
    assert positions == sorted(positions)
    assert "Nothing is waiting for you yet" not in words


def test_someone_with_no_role_gets_pointers_and_the_open_consultations(client, user):
    plan = ActionPlanFactory(status="cocreation", published=True)
    consultation = ConsultationFactory(space=plan)
    html = page(client, user)
    words = text(html)
    assert "Nothing is waiting for you yet" in words
    assert 'href="/commitments/"' in html or reverse("commitments:explorer") in html
    assert reverse("members:organisations") in html
    assert reverse("participation:consultation_detail", args=[consultation.pk]) in html
    assert "Government work" not in words and "Taking part" not in words


def test_ogp_admins_and_moderators_see_their_queues(client):
    admin = UserFactory()
    Group.objects.get(name="OGP admins").user_set.add(admin)
    Group.objects.get(name="Moderators").user_set.add(admin)
    html = page(client, admin)
    assert "OGP support unit" in text(html)
    assert reverse("members:onboarding_dashboard") in html
    assert reverse("participation:moderation_queue") in html


def test_user_written_text_is_escaped_and_isolated(client):
    """Titles and names people wrote are escaped, and kept in <bdi> so that a direction
    override cannot reorder the page around them."""
    world = citizen_world(1)
    Commitment.objects.filter(pk=world.targets[0].pk).update(title="<b>Bold</b> \u202eevil")
    html = page(client, world.citizen)
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert re.search(r"<bdi>[^<]*&lt;b&gt;Bold", html)


# --- Caps and query counts -----------------------------------------------------------------


def test_lists_are_capped_at_ten_with_the_total(client):
    world = citizen_world(LARGE)
    html = page(client, world.citizen)
    follows = text(panel(html, "participation.follows"))
    assert f"Showing {dashboard.LIMIT} of {LARGE}." in follows
    shown = re.findall(r"Followed commitment (\d+)", follows)
    assert shown == [str(n) for n in range(LARGE - 1, LARGE - 1 - dashboard.LIMIT, -1)]
    replies = text(panel(html, "participation.replies"))
    assert f"Showing {dashboard.LIMIT} of {LARGE}." in replies
    assert len(re.findall(r"A reply, no\. \d+", replies)) == dashboard.LIMIT

    officer = officer_world(LARGE)
    html = page(client, officer.officer)
    plans = text(panel(html, "action_plans.plans"))
    assert f"Showing {dashboard.LIMIT} of {LARGE + 1}." in plans
    assert plans.index(officer.plan.identifier) < plans.index(officer.older[0].identifier)
    for name in ("commitments.drafts", "action_plans.pdf_exports"):
        assert f"Showing {dashboard.LIMIT} of {LARGE}." in text(panel(html, name))


@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize("kind", ["officer", "organisation", "citizen", "nobody"])
def test_the_page_costs_the_same_for_little_and_much(client, kind):
    def person(size):
        if kind == "officer":
            return officer_world(size).officer
        if kind == "organisation":
            return organisation_world(size).admin
        if kind == "citizen":
            return citizen_world(size).citizen
        for _ in range(size):
            ConsultationFactory(space=ActionPlanFactory(status="cocreation", published=True))
        return UserFactory()

    def signed_in(size):
        def setup():
            client.force_login(person(size))

        return setup

    count = assert_queries_constant(
        lambda _: get_ok(client, URL), signed_in(SMALL), signed_in(LARGE)
    )
    assert count <= 30
