"""The co-production core in the browser (issue 15).

1. An owner (a government officer of a member) starts a process from one of INTERLINK's
   schemas, builds its team (a team, a person, an organisation), moves tasks to finished and
   sees the objective and the phase roll up, and attaches an enabler suggested for a task.
2. A visitor reads the rules of the process, signs in and rates an enabler with a comment: the
   average and the count show; rating again changes the rating (one per person).
3. A task whose prerequisite has not finished says why it cannot start, and offers no Start.
4. Reordering works without JavaScript.

And the accessibility tour of every page type of the module, signed out and as the owner, at
1280 px and 390 px (the tour's checks: axe, lang, one h1 and no skipped heading level, images'
alt, nothing scrolling sideways on a phone).
"""

import re

import pytest
from django.urls import reverse

from ogp_platform.members.models import MemberRole
from tests.browser.conftest import sign_in
from tests.browser.test_tour import Tour
from tests.coproduction.catalogue_factories import import_fixture
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.members.factories import MemberFactory, MemberRoleFactory, OrganisationFactory
from use_cases.coproduction.models import Enabler, Process, Schema, Team, TreeItem
from use_cases.coproduction.services import catalogue as catalogue_services
from use_cases.coproduction.services import processes as process_services
from use_cases.coproduction.services import resources as resource_services
from use_cases.coproduction.services import teams as team_services
from use_cases.coproduction.services import tree as tree_services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCHEMA = "neighbourhood-consultation"  # from tests/coproduction/fixtures/catalogue.json
# Its tree: Listen › Meet the residents › Walk the neighbourhood, Hold a meeting (after the
# walk); Report (after Listen) › Tell back › Publish a summary.
GUIDE = "neighbourhood-walk-guide"  # faces both problem profiles of the walk


@pytest.fixture
def italy():
    """INTERLINK's catalogue imported; Italy with its officer, Giulia Rossi; someone to add to a
    team; an organisation registered on the platform."""
    report = import_fixture()
    assert Schema.objects.filter(key=SCHEMA).exists(), report
    member = MemberFactory(country="IT", country_alpha3="ITA", name="Italy", slug="italy")
    officer = MemberRoleFactory(
        member=member,
        role=MemberRole.Role.OFFICER,
        user=UserFactory(display_name="Giulia Rossi", email="giulia@example.org"),
    ).user
    resident = UserFactory(display_name="Marco Bianchi", email="marco@example.org")
    organisation = OrganisationFactory(name="Cittadinanzattiva", slug="cittadinanzattiva")
    return {"member": member, "officer": officer, "resident": resident, "org": organisation}


def process_from_schema(italy, name="Quartiere San Lorenzo") -> Process:
    return process_services.process_create(
        actor=italy["officer"],
        name=name,
        description="Listen to the residents of San Lorenzo, then report back.",
        languages=["en"],
        owner_members=[italy["member"]],
        visibility="public",
        schema=Schema.objects.get(key=SCHEMA),
    )


def item(process, name) -> TreeItem:
    return TreeItem.objects.get(process=process, name=name)


def row(page, tree_item):
    """The row of an item in the process page's tree (its own, not its children's)."""
    return page.locator(f"#item-{tree_item.pk} > .tree__row")


def task_button(scope, label, task_name):
    """A button that moves a task along: "Start" and, for screen readers, the task's name (the
    browser computes "Start : name", the hidden part being positioned apart)."""
    name = re.compile(rf"^{re.escape(label)}\s*: {re.escape(task_name)}$")
    return scope.get_by_role("button", name=name)


def assert_row(page, tree_item, status, progress=None):
    meta = row(page, tree_item).locator(".tree__meta")
    badge = meta.locator(".badge")
    badge.filter(has_text=status).wait_for()
    assert badge.text_content().strip() == status
    if progress is not None:
        assert progress in meta.text_content()


# --- 1. The owner's journey --------------------------------------------------------------------


def test_owner_starts_a_process_from_a_schema_builds_the_team_and_moves_tasks_along(
    new_context, italy, screenshot
):
    page = new_context().new_page()
    sign_in(page, "giulia@example.org", DEFAULT_PASSWORD)

    # From the list of processes to the form, starting from INTERLINK's schema.
    page.goto(reverse("coproduction:processes"))
    page.get_by_role("link", name="Start a process").click()
    page.wait_for_url("**/processes/new/")
    page.get_by_label(re.compile("^Name")).fill("Quartiere San Lorenzo")
    page.get_by_label("Description").fill("Listen to the residents, then report back.")
    page.get_by_label("Public").check()
    page.get_by_label("Neighbourhood consultation").check()
    page.get_by_role("button", name="Create the process").click()

    page.wait_for_url("**/processes/quartiere-san-lorenzo/")
    assert page.get_by_role("heading", name="Quartiere San Lorenzo", level=1).is_visible()
    assert page.get_by_text(
        "The process has been created. Build its team next, then move its tasks along."
    ).is_visible()
    process = Process.objects.get(slug="quartiere-san-lorenzo")
    assert process.schema.key == SCHEMA
    listen, meet = item(process, "Listen"), item(process, "Meet the residents")
    walk, meeting = item(process, "Walk the neighbourhood"), item(process, "Hold a meeting")
    report, summary = item(process, "Report"), item(process, "Publish a summary")
    tree = page.locator("#tree")
    for name in ("Listen", "Meet the residents", "Walk the neighbourhood", "Publish a summary"):
        assert tree.locator(".tree__title").get_by_role("link", name=name, exact=True).is_visible()
    assert_row(page, meet, "Awaiting", "0 of 2 tasks finished")
    assert_row(page, listen, "Awaiting", "0 of 2 tasks finished")
    # Its creator is in its first team, the owners.
    assert page.locator("#teams").get_by_text("Giulia Rossi").is_visible()

    # The team: a team of residents, with a person and an organisation in it.
    page.locator("#teams").get_by_role("link", name="Manage the teams and their rights").click()
    page.wait_for_url("**/teams/")
    assert page.get_by_role("heading", name="Teams", level=1).is_visible()
    page.get_by_label(re.compile("^Name")).fill("Residents’ panel")
    page.get_by_label(re.compile("^Kind")).select_option(label="Citizens")
    page.get_by_label("Team member").check()
    page.get_by_role("button", name="Create the team").click()
    page.wait_for_url(re.compile(r"/teams/\d+/$"))
    assert page.get_by_role("heading", name="Residents’ panel", level=1).is_visible()
    assert page.get_by_text("The team Residents’ panel has been created").is_visible()
    assert page.locator("#people").get_by_text("Nobody in this team yet.").is_visible()

    page.get_by_label("Email address of their account").fill("marco@example.org")
    page.get_by_role("button", name="Add to the team").click()
    assert page.get_by_text("Marco Bianchi is now in Residents’ panel.").is_visible()
    assert page.locator("#people .team-people__item", has_text="Marco Bianchi").is_visible()

    page.get_by_role("textbox", name=re.compile("^Organisation")).fill("Cittadinanzattiva")
    page.get_by_role("button", name="Add the organisation").click()
    organisations = page.locator("#organisations")
    assert organisations.get_by_role("link", name="Cittadinanzattiva").is_visible()
    screenshot(page, "coproduction-journey-team-en-desktop")

    page.goto(reverse("coproduction:teams", args=[process.slug]))
    team_row = page.locator("tbody tr", has_text="Residents’ panel")
    assert "Team member" in team_row.text_content()
    assert "Cittadinanzattiva" in team_row.text_content()

    # Back on the process page, the team shows with its people, and the tasks move along.
    page.goto(process.get_absolute_url())
    card = page.locator("#teams .team-card", has_text="Residents’ panel")
    assert "Marco Bianchi" in card.text_content()
    assert card.get_by_role("link", name="Cittadinanzattiva").is_visible()

    # The meeting waits for the walk; the summary waits for the whole Listen phase.
    assert row(page, meeting).get_by_role("button", name="Start").count() == 0
    assert "Cannot start before “Walk the neighbourhood” finishes." in (
        row(page, meeting).text_content()
    )
    assert row(page, summary).get_by_role("button", name="Start").count() == 0

    page.evaluate("window.__noReload = true")
    task_button(page, "Start", "Walk the neighbourhood").click()
    assert_row(page, walk, "In progress")
    assert_row(page, meet, "In progress", "0 of 2 tasks finished")
    assert_row(page, listen, "In progress", "0 of 2 tasks finished")
    assert page.get_by_text("“Walk the neighbourhood” is now: in progress.").is_visible()

    task_button(page, "Mark as finished", "Walk the neighbourhood").click()
    assert_row(page, walk, "Finished")
    assert_row(page, meet, "In progress", "1 of 2 tasks finished")
    assert_row(page, listen, "In progress", "1 of 2 tasks finished")
    # The overview of the progress, above the tree, changes with it (no page reload).
    summary_text = page.locator("#progress-summary").text_content()
    assert "Whole process: 1 of 3 tasks finished (33%)." in summary_text
    assert "Listen: 1 of 2 tasks finished, in progress." in summary_text
    # The meeting may start now; the reason it waited is gone.
    assert "Cannot start before" not in row(page, meeting).text_content()

    task_button(page, "Start", "Hold a meeting").click()
    assert_row(page, meeting, "In progress")
    task_button(page, "Mark as finished", "Hold a meeting").click()
    assert_row(page, meeting, "Finished")
    assert_row(page, meet, "Finished", "2 of 2 tasks finished")
    assert_row(page, listen, "Finished", "2 of 2 tasks finished")
    assert_row(page, report, "Awaiting", "0 of 1 task finished")
    # With Listen finished, the report's task may start.
    assert task_button(row(page, summary), "Start", "Publish a summary").is_visible()

    # Moved along in place, without a page reload; the overview says the same after one.
    assert page.evaluate("window.__noReload") is True
    page.reload()
    progress = page.locator("#progress")
    assert "Whole process: 2 of 3 tasks finished (67%)." in progress.text_content()
    assert "Listen: 2 of 2 tasks finished, finished." in progress.text_content()
    assert "Report: 0 of 1 task finished, awaiting." in progress.text_content()
    screenshot(page, "coproduction-journey-process-en-desktop")

    # The walk's page suggests the enablers for its problems; the owner attaches one.
    page.locator("#tree .tree__title").get_by_role("link", name="Walk the neighbourhood").click()
    page.wait_for_url(f"**{walk.get_absolute_url()}")
    resources = page.locator("#resources")
    assert resources.get_by_text("No resource yet.").is_visible()
    assert resources.get_by_role("heading", name="Enablers that may help").is_visible()
    suggestions = resources.locator(".resource-suggestions")
    assert suggestions.get_by_role("link", name="Neighbourhood walk guide").is_visible()
    # Only enablers that face the task's problems are suggested.
    assert suggestions.get_by_role("link", name="Workshop consent form").count() == 0
    resources.get_by_role("button", name="Attach Neighbourhood walk guide").click()

    page.wait_for_url(f"**{walk.get_absolute_url()}*")
    resources = page.locator("#resources")
    attached = resources.locator(".resource", has_text="Neighbourhood walk guide")
    assert attached.get_by_text("Enabler from the catalogue").is_visible()
    assert attached.get_by_role("link", name="In the catalogue").get_attribute("href") == (
        reverse("coproduction:enabler", args=[GUIDE])
    )
    assert "added by Giulia Rossi" in attached.text_content()
    assert suggestions.get_by_role("link", name="Neighbourhood walk guide").count() == 0
    screenshot(page, "coproduction-journey-task-en-desktop")
    page.goto(process.get_absolute_url())
    assert "1 resource" in row(page, walk).text_content()


# --- 2. A visitor reads the rules, signs in and rates an enabler -------------------------------


def test_visitor_reads_the_rules_then_signs_in_and_rates_an_enabler(new_context, italy):
    process = process_from_schema(italy)
    guide = Enabler.objects.get(key=GUIDE)
    catalogue_services.enabler_rate(actor=UserFactory(), enabler=guide, stars=5, comment="")
    reader = UserFactory(display_name="Anna Verdi", email="anna@example.org")

    page = new_context().new_page()
    page.goto(process.get_absolute_url())
    rules = page.locator("#governance")
    assert rules.get_by_role("heading", name="Rules of the process").is_visible()
    chosen = rules.locator(".governance__model--chosen")
    assert chosen.get_by_text("this process").is_visible()
    for rule in ("Governance model", "Who may take part", "How decisions are taken"):
        assert rules.locator("dt", has_text=rule).is_visible()
    assert rules.get_by_text("The rules have not been amended.").is_visible()
    # The rules are read, not changed, by a visitor.
    assert rules.get_by_role("link", name="Change the rules").count() == 0

    page.goto(reverse("coproduction:enabler", args=[GUIDE]))
    assert page.get_by_role("heading", name="Neighbourhood walk guide", level=1).is_visible()
    side = page.locator(".catalogue-enabler__side")
    assert "5.0 out of 5 (1 rating)" in side.text_content()
    ratings = page.locator("#rating")
    assert ratings.get_by_role("radio").count() == 0
    ratings.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(reader.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**{guide.get_absolute_url()}*")

    ratings = page.locator("#rating")
    ratings.get_by_label("4 – ").check()
    ratings.get_by_label("Comment (optional)").fill("We walked San Lorenzo with it.")
    ratings.get_by_role("button", name="Rate it").click()
    assert page.get_by_text("Your rating has been saved.").is_visible()
    side = page.locator(".catalogue-enabler__side")
    assert "4.5 out of 5 (2 ratings)" in side.text_content()
    ratings = page.locator("#rating")
    assert ratings.get_by_text("You rated it 4 out of 5.").is_visible()
    comment = ratings.locator(".catalogue-rating-comment", has_text="Anna Verdi")
    assert "4 out of 5" in comment.text_content()
    assert "We walked San Lorenzo with it." in comment.text_content()

    # Rating again changes the person's rating: still two ratings.
    ratings.get_by_label("2 – ").check()
    ratings.get_by_label("Comment (optional)").fill("Too long for a rainy day.")
    ratings.get_by_role("button", name="Change my rating").click()
    assert page.get_by_text("Your rating has been saved.").is_visible()
    assert "3.5 out of 5 (2 ratings)" in page.locator(".catalogue-enabler__side").text_content()
    ratings = page.locator("#rating")
    assert ratings.get_by_text("You rated it 2 out of 5.").is_visible()
    comments = ratings.locator(".catalogue-rating-comment", has_text="Anna Verdi")
    assert comments.count() == 1
    assert "Too long for a rainy day." in comments.text_content()
    assert "We walked San Lorenzo" not in ratings.text_content()

    # The catalogue's card says the same.
    page.goto(reverse("coproduction:catalogue"))
    card = page.locator(f"#enabler-{GUIDE}")
    assert "Rated 3.5 out of 5 (2 ratings)" in card.text_content()


# --- 3. A prerequisite keeps a task from starting ----------------------------------------------


def test_a_task_whose_prerequisite_has_not_finished_says_why_it_cannot_start(new_context, italy):
    process = process_from_schema(italy)
    team = team_services.team_create(
        actor=italy["officer"],
        process=process,
        name="Residents’ panel",
        kind=Team.Kind.CITIZENS,
        role=Team.Role.MEMBER,
    )
    team_services.team_add_person(actor=italy["officer"], team=team, user=italy["resident"])
    meeting, summary = item(process, "Hold a meeting"), item(process, "Publish a summary")

    page = new_context().new_page()
    sign_in(page, "marco@example.org", DEFAULT_PASSWORD)  # a team member: moves tasks along
    page.goto(meeting.get_absolute_url())
    assert page.get_by_role("heading", name="Hold a meeting", level=1).is_visible()
    note = page.get_by_role("note").filter(has_text="Cannot start")
    assert note.text_content().strip() == "Cannot start before “Walk the neighbourhood” finishes."
    assert page.get_by_role("button", name=re.compile("^Start")).count() == 0
    prerequisites = page.locator("dt", has_text="Prerequisites").locator("xpath=following::dd[1]")
    assert "Walk the neighbourhood" in prerequisites.text_content()
    assert "Awaiting" in prerequisites.text_content()

    # A task of a phase that waits for another says so too.
    page.goto(summary.get_absolute_url())
    note = page.get_by_role("note").filter(has_text="Cannot start")
    assert (
        "Cannot start before “Listen” finishes: “Report”, which this is part of, waits for it."
        in note.text_content()
    )
    assert page.get_by_role("button", name=re.compile("^Start")).count() == 0

    # Once the walk has finished, the meeting may start.
    walk = item(process, "Walk the neighbourhood")
    page.goto(walk.get_absolute_url())
    task_button(page, "Start", "Walk the neighbourhood").click()
    task_button(page, "Mark as finished", "Walk the neighbourhood").click()
    assert page.locator(".page-header .badge").text_content().strip() == "Finished"
    page.goto(meeting.get_absolute_url())
    assert page.get_by_role("note").filter(has_text="Cannot start").count() == 0
    assert task_button(page, "Start", "Hold a meeting").is_visible()


# --- 4. Reordering without JavaScript ----------------------------------------------------------


def test_owner_reorders_the_tree_without_javascript(new_context, italy):
    process = process_from_schema(italy)
    meeting = item(process, "Hold a meeting")
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "giulia@example.org", DEFAULT_PASSWORD)
    page.goto(process.get_absolute_url())
    tasks = page.locator(f"#item-{meeting.parent_id} .tree--task > li .tree__title a")
    assert tasks.all_text_contents() == ["Walk the neighbourhood", "Hold a meeting"]

    page.get_by_role("button", name="Move up: Hold a meeting").click()
    page.wait_for_url(f"**{process.get_absolute_url()}#item-{meeting.pk}")
    tasks = page.locator(f"#item-{meeting.parent_id} .tree--task > li .tree__title a")
    assert tasks.all_text_contents() == ["Hold a meeting", "Walk the neighbourhood"]
    # The phases too: Report goes before Listen.
    page.get_by_role("button", name="Move up: Report").click()
    phases = page.locator("#tree > .tree--phase > li > .tree__row .tree__title a")
    assert phases.all_text_contents() == ["Report", "Listen"]


# --- The accessibility tour --------------------------------------------------------------------


@pytest.fixture
def busy_process(italy):
    """A process from the schema with a team (a person and an organisation), a link and an
    enabler on the walk, the walk finished, and a rating with a comment on the guide."""
    officer = italy["officer"]
    process = process_from_schema(italy)
    team = team_services.team_create(
        actor=officer,
        process=process,
        name="Residents’ panel",
        kind=Team.Kind.CITIZENS,
        role=Team.Role.MEMBER,
    )
    team_services.team_add_person(actor=officer, team=team, user=italy["resident"])
    team_services.team_add_organisation(actor=officer, team=team, organisation=italy["org"])
    walk = item(process, "Walk the neighbourhood")
    resource_services.resource_add_link(
        actor=officer, task=walk, title="Map of San Lorenzo", url="https://example.org/map"
    )
    resource_services.resource_add_enabler(
        actor=officer, task=walk, enabler=Enabler.objects.get(key="video-meeting-service")
    )
    for status in ("in_progress", "finished"):
        tree_services.task_set_status(actor=officer, task=walk, status=status)
    catalogue_services.enabler_rate(
        actor=italy["resident"],
        enabler=Enabler.objects.get(key=GUIDE),
        stars=4,
        comment="Good for a first walk.",
    )
    return process, team


def pages_of(process, team) -> dict:
    """The module's page types (screenshots: coproduction-<name>-<role>-en-<width>.png)."""
    slug = process.slug
    walk = item(process, "Walk the neighbourhood")
    catalogue = reverse("coproduction:catalogue")
    return {
        "processes": reverse("coproduction:processes"),
        "process": process.get_absolute_url(),
        "phase": item(process, "Listen").get_absolute_url(),
        "objective": item(process, "Meet the residents").get_absolute_url(),
        "task-resources": walk.get_absolute_url(),
        "teams": reverse("coproduction:teams", args=[slug]),
        "team": reverse("coproduction:team", args=[slug, team.pk]),
        "rights": reverse("coproduction:item_rights", args=[slug, walk.pk]),
        "create": reverse("coproduction:process_create"),
        "governance": reverse("coproduction:governance_edit", args=[slug]),
        "owners": reverse("coproduction:process_owners", args=[slug]),
        "save-as-schema": reverse("coproduction:save_as_schema", args=[slug]),
        "catalogue": catalogue,
        "catalogue-kind": f"{catalogue}?kind=software",
        "catalogue-search": f"{catalogue}?q=walk",
        "enabler": reverse("coproduction:enabler", args=[GUIDE]),
        "schemas": reverse("coproduction:schemas"),
    }


def test_tour_of_the_coproduction_pages_signed_out(new_context, screenshot, busy_process):
    tour = Tour(new_context(), screenshot, role="visitor")
    urls = pages_of(*busy_process)
    for name in (
        "processes",
        "process",
        "phase",
        "task-resources",
        "teams",
        "team",
        "catalogue",
        "catalogue-kind",
        "enabler",
        "schemas",
    ):
        tour.visit(f"coproduction-{name}", urls[name])
    tour.assert_clean()


def test_tour_of_the_coproduction_pages_as_the_owner(new_context, screenshot, busy_process):
    tour = Tour(new_context(), screenshot, role="owner")
    page = tour.page
    sign_in(page, "giulia@example.org", DEFAULT_PASSWORD)
    urls = pages_of(*busy_process)

    def visit(name):
        tour.visit(f"coproduction-{name}", urls[name])

    visit("processes")
    assert page.get_by_role("link", name="Start a process").is_visible()
    visit("process")
    assert task_button(page, "Start", "Hold a meeting").count() == 1
    visit("objective")
    visit("task-resources")
    assert page.get_by_role("heading", name="Enablers that may help").is_visible()
    assert page.get_by_role("link", name="Attach an enabler").is_visible()
    visit("teams")
    visit("team")
    assert page.get_by_role("button", name="Add to the team").is_visible()
    visit("rights")
    visit("create")
    page.get_by_role("button", name="Create the process").click()
    page.get_by_role("alert").first.wait_for()
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    tour.check("coproduction-create-error")
    visit("governance")
    visit("owners")
    visit("save-as-schema")
    visit("catalogue-search")
    visit("enabler")
    assert page.get_by_role("button", name="Rate it").is_visible()
    visit("schemas")
    tour.assert_clean()
