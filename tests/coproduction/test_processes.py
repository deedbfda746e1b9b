"""Creating a co-production process (from a schema or empty), its owners, its list and its
page: the whole tree with its progress, its team, its rules and its activity."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.coproduction.process_factories import (
    add_item,
    create_process,
    small_schema,
    world,
)
from tests.factories import UserFactory
from tests.members.factories import (
    MemberFactory,
    MemberRoleFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from tests.people import OFFICER, OGP_ADMIN, OTHER_OFFICER, POINT_OF_CONTACT, USER
from use_cases.coproduction.models import Governance, Process, Team, TreeItem
from use_cases.coproduction.services import processes as services
from use_cases.coproduction.services import tree as tree_services

pytestmark = pytest.mark.django_db


def _create(actor, members, **kwargs):
    values = {
        "name": "Better buses",
        "description": "",
        "languages": ["en"],
        "visibility": "public",
    }
    values.update(kwargs)
    return services.process_create(actor=actor, owner_members=members, **values)


# --- Creating -------------------------------------------------------------------------------


def test_a_process_from_a_schema_gets_its_tree_in_its_first_language(people):
    """Phases in the order their prerequisites give, objectives and tasks as listed, names in
    the process's first language, prerequisites and known problem profiles, each item with a
    first version by its creator."""
    creator = people[OFFICER]
    process = _create(creator, [people.member], languages=["it", "en"], schema=small_schema())
    phases = list(process.items.filter(parent=None).order_by("position"))
    assert [p.name for p in phases] == ["Engage (it)", "Design (it)"]
    assert phases[1].prerequisites.get() == phases[0]
    contacts = process.items.get(key="task-contacts")
    assert contacts.prerequisites.get().key == "task-understand"
    assert contacts.prerequisites_record == "Understand the stakeholders (it)"
    assert [p.key for p in contacts.problem_profiles.all()] == ["ORG_PROBLEM_4"]
    # A profile the catalogue does not have is left out.
    assert not process.items.get(key="task-understand").problem_profiles.exists()
    assert process.items.count() == 7
    assert TreeItem.history.filter(process_id=process.pk, history_user=creator).count() == 7
    assert process.languages == ["it", "en"]


def test_the_creator_owns_it_with_default_rules(people):
    """Its first team, "Owners", is a public administration owner team with the creator in
    it; the rules start as the governance service's default."""
    creator = people[OFFICER]
    process = _create(creator, [people.member])
    team = process.teams.get()
    assert (team.name, team.role, team.kind) == ("Owners", "owner", "public_administration")
    assert list(team.people.all()) == [creator]
    assert Governance.objects.filter(process=process).exists()
    assert process.primary_member == people.member
    first = process.history.get()
    assert (first.history_type, first.history_user) == ("+", creator)
    # One first version, holding the owners.
    assert [row.member_id for row in first.owner_members.all()] == [people.member.pk]


def test_an_empty_process_has_no_items(people):
    process = _create(people[OFFICER], [people.member])
    assert not process.items.exists()


def test_each_owning_member_must_allow_the_creator(people):
    """An officer of one member cannot make another member an owner; an OGP admin can."""
    other = MemberFactory()
    with pytest.raises(PermissionDenied):
        _create(people[OFFICER], [people.member, other])
    with pytest.raises(PermissionDenied):
        _create(people[USER], [people.member])
    process = _create(people[OGP_ADMIN], [people.member, other])
    assert set(process.owner_members.all()) == {people.member, other}
    assert process.primary_member == people.member


def test_owning_organisations_are_named_by_their_administrators(people):
    organisation = OrganisationFactory()
    officer = people[OFFICER]
    with pytest.raises(PermissionDenied):
        _create(officer, [people.member], owner_organisations=[organisation])
    OrganisationMembershipFactory(organisation=organisation, user=officer, admin=True)
    officer = type(officer).objects.get(pk=officer.pk)  # roles are read once per request
    process = _create(officer, [people.member], owner_organisations=[organisation])
    assert list(process.owner_organisations.all()) == [organisation]


def test_bad_details_are_refused_field_by_field(people):
    with pytest.raises(ValidationError) as caught:
        _create(people[OFFICER], [people.member], name="  ", languages=["xx"], visibility="x")
    assert set(caught.value.message_dict) == {"name", "languages", "visibility"}


def test_the_address_is_unique(people):
    first = _create(people[OFFICER], [people.member])
    second = _create(people[OFFICER], [people.member])
    assert (first.slug, second.slug) == ("better-buses", "better-buses-2")


def test_the_creation_page_offers_the_schemas_as_templates(client, people):
    """Each schema with its size and description, the catalogue's schemas page linked, and
    an empty start."""
    small_schema()
    client.force_login(people[OFFICER])
    page = client.get(reverse("coproduction:process_create")).content.decode()
    assert "A small schema" in page and "2 phases, 2 objectives, 3 tasks" in page
    assert 'href="/catalogue/schemas/"' in page
    assert "An empty process" in page
    assert (
        client.get(reverse("coproduction:process_create") + "?schema=small")
        .context["form"]
        .initial["schema"]
        == "small"
    )


def test_creating_in_the_browser(client, people):
    """The form creates the process and leads to its page; bad input comes back with its
    error and what was typed."""
    small_schema()
    client.force_login(people[OFFICER])
    url = reverse("coproduction:process_create")
    data = {
        "name": "",
        "description": "Buses for everyone.",
        "language": "en",
        "other_languages": ["lv"],
        "lead_member": people.member.pk,
        "visibility": "public",
        "schema": "small",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page and "Buses for everyone." in page
    response = client.post(url, {**data, "name": "Better buses"})
    process = Process.objects.get()
    assert response.status_code == 302 and response["Location"] == process.get_absolute_url()
    assert process.languages == ["en", "lv"] and process.items.count() == 7


# --- The list -------------------------------------------------------------------------------


def test_the_list_shows_only_visible_processes_with_filters(client, people):
    """Processes visible to their teams only are left out for others; status and member
    filter; an empty result says so."""
    owner = people[POINT_OF_CONTACT]
    public = create_process(owner, people.member, name="Open one")
    create_process(owner, people.member, name="Secret one", visibility="team")
    other_member = MemberFactory()
    other = create_process(
        MemberRoleFactory(member=other_member, role="officer").user, other_member, name="Elsewhere"
    )
    services.process_set_status(actor=owner, process=public, status="running")
    url = reverse("coproduction:processes")

    page = client.get(url).content.decode()
    assert "Open one" in page and "Elsewhere" in page and "Secret one" not in page
    client.force_login(owner)
    assert "Secret one" in client.get(url).content.decode()
    client.logout()

    page = client.get(url, {"status": "running"}).content.decode()
    assert "Open one" in page and "Elsewhere" not in page
    page = client.get(url, {"member": other_member.slug}).content.decode()
    assert "Elsewhere" in page and "Open one" not in page
    page = client.get(url, {"status": "finished"}).content.decode()
    assert "No process matches these filters" in page
    assert other.get_absolute_url() in client.get(url).content.decode()


def test_the_list_pages_and_counts_progress(client, people):
    w = world(people)
    tree_services.task_set_status(actor=w.owner, task=w.task, status="finished")
    for number in range(20):
        create_process(w.owner, people.member, name=f"Process {number}")
    response = client.get(reverse("coproduction:processes"))
    assert response.context["page"].paginator.num_pages == 2
    second = client.get(reverse("coproduction:processes"), {"page": 2}).content.decode()
    assert "Better buses" in second and "1 of 2 tasks finished" in second


def test_the_empty_list_invites_officers_to_start(client, people):
    page = client.get(reverse("coproduction:processes")).content.decode()
    assert "No process yet" in page and "Start a process" not in page
    client.force_login(people[OFFICER])
    page = client.get(reverse("coproduction:processes")).content.decode()
    assert "Start a process" in page


# --- The page -------------------------------------------------------------------------------


def test_the_page_shows_the_whole_tree_with_why_items_wait(client, people):
    """Phases, objectives and tasks as nested lists with headings (h3, h4, h5), each with its
    status, progress, dates and responsible team; prerequisites and why an item cannot start
    yet; the team and the rules; the activity, newest first."""
    w = world(people)
    team = w.process.teams.get(name="Riders")
    tree_services.item_update(actor=w.owner, item=w.task, responsible_team=team)
    page = client.get(w.process.get_absolute_url()).content.decode()
    assert re.search(r"<h3[^>]*>.*Engage", page)
    assert re.search(r"<h4[^>]*>.*Identify stakeholders", page)
    assert re.search(r"<h5[^>]*>.*Map the stakeholders", page)
    assert "Responsible: <bdi>Riders</bdi>" in page
    assert "0 of 2 tasks finished" in page
    assert "Cannot start before “Map the stakeholders” finishes." in page
    assert 'id="teams"' in page and 'id="governance"' in page
    activity = page[page.index('id="activity"') :]
    assert activity.index("Changed the task “Map the stakeholders”") < activity.index(
        "Added the task “Map the stakeholders”"
    )


def test_the_progress_drawing_has_a_text_equivalent_and_no_style(client, people):
    """Inline SVG labelled by the text that says the same; classes, never style attributes
    (the Content-Security-Policy forbids them)."""
    w = world(people)
    tree_services.task_set_status(actor=w.owner, task=w.task, status="finished")
    page = client.get(w.process.get_absolute_url()).content.decode()
    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S).group(0)
    assert 'aria-labelledby="progress-summary"' in svg and 'role="img"' in svg
    assert "style=" not in svg and "<script" not in svg
    assert 'class="progress-graphic__finished"' in svg
    assert 'id="progress-summary"' in page
    assert "Whole process: 1 of 2 tasks finished (50%)." in page


def test_a_team_only_process_is_hidden_from_outsiders(client, people):
    w = world(people, visibility="team")
    assert client.get(w.process.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(w.process.get_absolute_url()).status_code == 404
    assert client.get(w.task.get_absolute_url()).status_code == 404
    for person in (w.observer, people[OFFICER], people[OGP_ADMIN]):
        client.force_login(person)
        assert client.get(w.process.get_absolute_url()).status_code == 200
    client.force_login(people[OTHER_OFFICER])
    assert client.get(w.process.get_absolute_url()).status_code == 404


def test_the_owners_see_the_controls_and_others_do_not(client, people):
    w = world(people)
    edit = reverse("coproduction:item_edit", args=[w.process.slug, w.task.pk])
    client.force_login(w.owner)
    assert edit in client.get(w.process.get_absolute_url()).content.decode()
    client.force_login(w.member)
    page = client.get(w.process.get_absolute_url()).content.decode()
    assert edit not in page and ">Start<" in page
    client.force_login(w.observer)
    page = client.get(w.process.get_absolute_url()).content.decode()
    assert edit not in page and ">Start<" not in page


def test_an_anonymous_visitor_sees_the_latest_state(client, people, settings):
    """The page is cached whole for visitors, and a change in the tree shows at once."""
    settings.PAGE_CACHE_SECONDS = 60
    w = world(people)
    url = w.process.get_absolute_url()
    assert "0 of 2 tasks finished" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    tree_services.task_set_status(actor=w.owner, task=w.task, status="finished")
    assert "1 of 2 tasks finished" in client.get(url).content.decode()
    add_item(w.owner, w.process, name="Sustain")
    assert "Sustain" in client.get(url).content.decode()


def test_the_process_status_is_the_owners(people):
    w = world(people)
    with pytest.raises(PermissionDenied):
        services.process_set_status(actor=w.member, process=w.process, status="running")
    services.process_set_status(actor=w.owner, process=w.process, status="running")
    w.process.refresh_from_db()
    assert w.process.status == "running"
    assert w.process.history.first().history_user == w.owner
    with pytest.raises(ValidationError):
        services.process_set_status(actor=w.owner, process=w.process, status="paused")


def test_the_details_change_but_not_the_address(people):
    w = world(people)
    services.process_update(actor=w.owner, process=w.process, name="Buses", languages=["lv"])
    w.process.refresh_from_db()
    assert (w.process.name, w.process.slug, w.process.languages) == (
        "Buses",
        "better-buses",
        ["lv"],
    )
    assert Team.objects.filter(process=w.process).count() == 3


def test_the_header_leads_to_the_processes_and_the_schemas_page_to_a_new_one(client, people):
    """The module's link in the header (ogp_platform.navigation), current on its pages; the
    schemas page starts a process from a schema for those who may start one."""
    small_schema()
    home = client.get(reverse("home")).content.decode()
    assert f'<a href="{reverse("coproduction:processes")}">Co-production</a>' in home
    listing = client.get(reverse("coproduction:processes")).content.decode()
    assert (
        f'<a href="{reverse("coproduction:processes")}" aria-current="page">Co-production</a>'
        in listing
    )
    start = reverse("coproduction:process_create") + "?schema=small"
    assert start not in client.get(reverse("coproduction:schemas")).content.decode()
    client.force_login(people[OFFICER])
    assert start in client.get(reverse("coproduction:schemas")).content.decode()
