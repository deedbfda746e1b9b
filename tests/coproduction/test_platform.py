"""How the co-production core plugs into the platform, as any module would (docs/architecture.md,
"How a module plugs in"): participation's adapters, the page cache's scopes, the audit log, a
person's data, and My work."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from ogp_platform import pagecache
from ogp_platform.accounts import data_export
from ogp_platform.accounts import services as account_services
from ogp_platform.audit.selectors import Filters, log_page
from participation import interface, links
from participation.links import args_of
from participation.models import Comment
from participation.services import comments as comment_services
from tests.coproduction.catalogue_factories import import_fixture
from tests.coproduction.process_factories import (
    add_item,
    add_team,
    create_process,
    world,
)
from tests.factories import UserFactory
from tests.members.factories import (
    MemberFactory,
    MemberRoleFactory,
    OrganisationMembershipFactory,
)
from tests.people import OFFICER, OGP_ADMIN, ORG_ADMIN, POINT_OF_CONTACT, USER
from tests.queries import assert_queries_constant
from use_cases.coproduction import page_scopes
from use_cases.coproduction.models import (
    Enabler,
    EnablerRating,
    Process,
    Resource,
    Team,
    TreeItem,
)
from use_cases.coproduction.permissions import VIEW_RESOURCES
from use_cases.coproduction.services import catalogue as catalogue_services
from use_cases.coproduction.services import governance as governance_services
from use_cases.coproduction.services import resources as resource_services
from use_cases.coproduction.services import teams as team_services
from use_cases.coproduction.services import tree as tree_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_owners(people):
    """A process of `people.member` and a city, with an owning organisation."""
    owner = people[POINT_OF_CONTACT]
    city = MemberFactory(name="Reggio Emilia")
    process = create_process(owner, people.member)
    process.owner_members.add(city)
    process.owner_organisations.add(people.organisation)
    return process, city


def enabler(key="stakeholder-map") -> Enabler:
    return Enabler.objects.create(key=key, kind="knowledge", name_translations={"en": "Map"})


# --- Participation -----------------------------------------------------------------------------


def test_processes_items_and_resources_are_participable_under_their_slugs(people):
    w = world(people)
    resource = resource_services.resource_add_link(
        actor=w.owner, task=w.task, title="Notes", url="https://example.org/notes"
    )
    assert [interface.slug_for(m) for m in (Process, TreeItem, Resource)] == [
        "process",
        "process-item",
        "resource",
    ]
    assert interface.is_space(w.process)
    assert interface.space_of(w.task) == w.process
    assert interface.space_of(resource) == w.process
    assert interface.title_of(w.task) == "Map the stakeholders"
    assert interface.url_of(resource) == resource.get_absolute_url()
    nouns = interface.nouns_of(w.task)
    assert (str(nouns.space), str(nouns.items)) == ("process", "tasks")


def test_feedback_on_a_process_is_always_open(people):
    """Comments need no consultation: one on a task is filed in the process's space, under its
    primary member."""
    w = world(people)
    adapter = interface.space_adapter(w.process)
    assert adapter.consultation_required(w.process) is False
    comment = comment_services.comment_post(actor=UserFactory(), target=w.task, body="Yes!")
    assert (comment.space, comment.member, comment.consultation) == (
        w.process,
        people.member,
        None,
    )


def test_the_owners_are_the_owning_members_primary_first_then_the_organisations(people, two_owners):
    process, city = two_owners
    adapter = interface.space_adapter(process)
    assert adapter.primary_member(process) == people.member
    assert adapter.owners(process) == [people.member, city, people.organisation]
    assert interface.owner_members_of(process) == [people.member, city]


def test_who_responds_on_a_process(people, two_owners):
    """Officers of its owning members and administrators of its owning organisations (the
    default), and the people of its owner teams; not its team members, not others."""
    process, city = two_owners
    adapter = interface.space_adapter(process)
    owner_team_person = UserFactory()
    add_team(people[POINT_OF_CONTACT], process, Team.Role.OWNER, owner_team_person, name="City")
    team_member = UserFactory()
    add_team(people[POINT_OF_CONTACT], process, Team.Role.MEMBER, team_member, name="Residents")
    city_officer = MemberRoleFactory(member=city, role="officer").user
    assert adapter.may_respond(people[OFFICER], process)
    assert adapter.may_respond(city_officer, process)
    assert adapter.may_respond(people[ORG_ADMIN], process)
    assert adapter.may_respond(owner_team_person, process)
    assert not adapter.may_respond(team_member, process)
    assert not adapter.may_respond(people[USER], process)
    assert not adapter.may_respond(OrganisationMembershipFactory(admin=True).user, process)


def test_what_people_may_read_agrees_with_the_processes_they_see(people):
    """A process visible to its teams only, its items and resources, are read by its team and
    its owning members' officers, not by others: in lists (`readable`) as on pages."""
    w = world(people, visibility="team")
    resource = resource_services.resource_add_link(
        actor=w.owner, task=w.task, title="Notes", url="https://example.org/notes"
    )
    public = create_process(w.owner, people.member, name="In the open")
    stranger = MemberRoleFactory(role="officer").user
    readers = {w.observer, people[OFFICER], people[OGP_ADMIN]}
    # A resource, and what is said about it, takes the right to see the resources of its task
    # there, as its page does: the observer's team is given it, the officer is in no team.
    team_services.rights_grant(
        actor=w.owner,
        team=Team.objects.get(process=w.process, people=w.observer),
        item=w.phase,
        permission=VIEW_RESOURCES,
    )
    resource_readers = {w.owner, w.observer, people[OGP_ADMIN]}
    cases = (
        (w.process, Process, readers),
        (w.task, TreeItem, readers),
        (resource, Resource, resource_readers),
    )
    for obj, model, allowed_people in cases:
        adapter = interface.adapter_for(obj)
        for person in (w.owner, w.observer, people[OFFICER], people[OGP_ADMIN], people[USER]):
            allowed = person in allowed_people or (person == w.owner and model is not Resource)
            listed = adapter.readable(person, model.objects.all())
            assert (obj in listed) is allowed, (model, person)
            assert adapter.may_read(person, obj) is allowed, (model, person)
        assert not adapter.may_read(stranger, obj)
    assert interface.adapter_for(public).may_read(people[USER], public)


def test_a_resource_of_a_team_only_process_is_read_only_with_the_right(client, people):
    """Its comments page refuses a team member whose team does not hold the right, as the
    resource's own page does."""
    w = world(people, visibility="team")
    resource = resource_services.resource_add_link(
        actor=w.owner, task=w.task, title="Notes", url="https://example.org/notes"
    )
    client.force_login(w.observer)
    page = reverse("coproduction:resource", args=[w.process.slug, w.task.pk, resource.pk])
    comments = reverse("participation:comments_discussion", args=args_of(resource))
    assert client.get(page).status_code in (403, 404)
    assert client.get(comments).status_code in (403, 404)
    client.force_login(w.owner)
    assert client.get(page).status_code == 200
    assert client.get(comments).status_code == 200


def test_inputs_are_taken_into_the_tasks_in_the_trees_order(people):
    w = world(people)
    later = add_item(w.owner, w.process, name="Build")
    later_objective = add_item(w.owner, w.process, later, name="Prototype")
    third = add_item(w.owner, w.process, later_objective, name="Make a mock-up")
    children = list(interface.space_adapter(w.process).children(w.process))
    assert children == [w.task, w.second_task, third]


# --- The page cache ----------------------------------------------------------------------------


def test_a_process_and_what_it_holds_touch_every_owning_members_pages(people, two_owners):
    process, city = two_owners
    owners = {pagecache.member_scope(people.member.pk), pagecache.member_scope(city.pk)}
    owner = people[POINT_OF_CONTACT]
    phase = add_item(owner, process, name="Engage")
    for obj in (process, phase, process.governance, process.teams.first()):
        scopes = set(pagecache.scopes_of(obj))
        assert owners <= scopes and page_scopes.PROCESSES in scopes, obj
        assert page_scopes.CATALOGUE not in scopes


def test_an_enabler_used_by_a_task_touches_the_catalogue_too(people):
    w = world(people)
    link = resource_services.resource_add_link(
        actor=w.owner, task=w.task, title="Notes", url="https://example.org/notes"
    )
    used = resource_services.resource_add_enabler(actor=w.owner, task=w.task, enabler=enabler())
    assert page_scopes.CATALOGUE not in pagecache.scopes_of(link)
    assert page_scopes.CATALOGUE in pagecache.scopes_of(used)
    assert pagecache.member_scope(people.member.pk) in pagecache.scopes_of(used)
    assert pagecache.scopes_of(used.enabler) == (page_scopes.CATALOGUE,)


def test_a_cached_process_page_shows_a_change_of_its_rules_at_once(client, people, settings):
    settings.PAGE_CACHE_SECONDS = 60
    w = world(people)
    url = w.process.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    values = {name: getattr(w.process.governance, name) for name in governance_services.RULE_FIELDS}
    governance_services.governance_update(
        actor=w.owner,
        process=w.process,
        reason="Residents asked for clearer rules on their ideas.",
        **{**values, "intellectual_property": "Ideas stay their authors'."},
    )
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Ideas stay their authors&#x27;." in fresh.content.decode()


# --- The audit log -----------------------------------------------------------------------------


def test_the_audit_log_shows_processes_items_teams_rules_and_amendments(people, two_owners):
    """Under either owning member."""
    process, city = two_owners
    owner = people[POINT_OF_CONTACT]
    add_item(owner, process, name="Engage")
    comment_services.comment_post(actor=UserFactory(), target=process, body="Count me in.")
    values = {name: getattr(process.governance, name) for name in governance_services.RULE_FIELDS}
    governance_services.governance_update(
        actor=owner,
        process=process,
        reason="Residents will vote too.",
        **{**values, "decision": "public_vote"},
    )
    kinds = ("process", "process_item", "process_team", "process_rules", "process_amendment")
    for member in (people.member, city):
        entries = log_page(Filters(kinds=kinds, member=member)).entries
        assert {entry.kind for entry in entries} == set(kinds), member
    amendment = next(
        entry
        for entry in log_page(Filters(kinds=("process_amendment",))).entries
        if entry.summary == "Residents will vote too."
    )
    assert amendment.actor == owner
    assert amendment.subject == "Rules of Better buses"
    assert amendment.url == f"{process.get_absolute_url()}#governance"
    assert amendment.fields == ["how decisions are taken"]
    assert log_page(Filters(kinds=kinds, member=MemberFactory())).entries == []


# --- A person's data ---------------------------------------------------------------------------


@pytest.fixture
def participant(people):
    """Someone in a team of a process (its tasks' team), who added a resource and rated an
    enabler."""
    w = world(people)
    person = w.member
    tree_services.item_update(
        actor=w.owner, item=w.task, responsible_team=Team.objects.get(name="Riders")
    )
    rated = enabler()
    EnablerRating.objects.create(enabler=rated, user=person, stars=4, comment="Clear and short.")
    resource = Resource.objects.create(
        task=w.task, kind="link", title="Our notes", url="https://example.org", created_by=person
    )
    return w, person, rated, resource


def test_the_data_download_holds_teams_ratings_and_what_was_done_for_processes(participant):
    w, person, _rated, _resource = participant
    data = data_export.user_data(person)
    assert data["coproduction_teams"] == [
        {
            "process_name": "Better buses",
            "process_slug": w.process.slug,
            "team": "Riders",
            "kind": "citizens",
            "role": "member",
        }
    ]
    (rating,) = data["enabler_ratings"]
    assert (rating["enabler_key"], rating["stars"], rating["comment"]) == (
        "stakeholder-map",
        4,
        "Clear and short.",
    )
    (added,) = data["official_records"]["coproduction_resources_added"]
    assert (added["title"], added["task_name"]) == ("Our notes", "Map the stakeholders")
    created = data_export.user_data(w.owner)["official_records"]["coproduction_processes_created"]
    assert [row["process_slug"] for row in created] == [w.process.slug]


def test_deleting_the_account_leaves_teams_and_rating_comments_and_keeps_the_record(participant):
    """The person leaves every team and its group; their ratings keep their stars but lose
    their comments; what they added to a process stays."""
    _w, person, _rated, resource = participant
    team = Team.objects.get(name="Riders")
    account_services.account_delete(user=person)
    assert not team.people.filter(pk=person.pk).exists()
    assert not Group.objects.filter(pk=team.group_id, user=person).exists()
    rating = EnablerRating.objects.get(user=person)
    assert (rating.stars, rating.comment) == (4, "")
    resource.refresh_from_db()
    assert resource.created_by == person
    # The team's history keeps that they belonged, as the process's record.
    assert team.history.filter(historicalteam_people__user=person).exists()


# --- My work -----------------------------------------------------------------------------------


def test_my_work_lists_the_processes_of_the_persons_teams_with_their_tasks_in_progress(
    client, people
):
    w = world(people)
    riders = Team.objects.get(name="Riders")
    tree_services.item_update(actor=w.owner, item=w.task, responsible_team=riders)
    tree_services.task_set_status(actor=w.owner, task=w.task, status="in_progress")
    waiting = add_item(w.owner, w.process, w.objective, name="Not started", responsible_team=riders)
    client.force_login(w.member)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Your co-production processes" in html
    assert w.process.get_absolute_url() in html
    assert "Your team: Riders" in html
    assert w.task.get_absolute_url() in html
    assert waiting.get_absolute_url() not in html


def test_my_work_has_no_co_production_panel_for_people_in_no_team(client, people):
    world(people)
    client.force_login(people[USER])
    assert "Your co-production processes" not in client.get(reverse("dashboard")).content.decode()


def test_my_works_co_production_panel_costs_the_same_queries_for_1_or_8_processes(client, people):
    person = UserFactory()
    owner = people[POINT_OF_CONTACT]

    def processes(n):
        def setup():
            for i in range(n - Team.objects.filter(people=person).count()):
                process = create_process(owner, people.member, name=f"Process {i} of {n}")
                team = add_team(owner, process, Team.Role.MEMBER, person, name="Us")
                phase = add_item(owner, process, name="Engage")
                objective = add_item(owner, process, phase, name="Listen")
                for k in range(3):
                    task = add_item(
                        owner, process, objective, name=f"Task {k}", responsible_team=team
                    )
                    tree_services.task_set_status(actor=owner, task=task, status="in_progress")
            client.force_login(person)

        return setup

    def page(_):
        assert "Your co-production processes" in client.get(reverse("dashboard")).content.decode()

    assert_queries_constant(page, processes(1), processes(8))


def test_participations_lists_leave_out_comments_on_processes_hidden_from_the_reader(people):
    """Participation's lists (replies, follows, responses) filter with the adapters' `readable`,
    in the database."""
    w = world(people)
    comment_services.comment_post(actor=UserFactory(), target=w.process, body="Hello")
    visible = Comment.objects.filter(
        interface.readable_q(people[USER], type_field="target_type", id_field="target_id")
    )
    assert visible.count() == 1
    hidden = world(people.of(member=MemberFactory()), visibility="team")
    comment_services.comment_post(actor=hidden.owner, target=hidden.process, body="Internal")
    assert (
        Comment.objects.filter(
            interface.readable_q(people[USER], type_field="target_type", id_field="target_id")
        ).count()
        == 1
    )


def test_attaching_an_enabler_searches_the_catalogue_in_the_readers_language(client, people):
    """The search on the "attach an enabler" page is the catalogue's: words of the names and
    descriptions in the reader's language (not the stored JSON: "lv" matches no enabler whose
    text does not hold it), and an enabler's identifier finds it first."""
    import_fixture()
    w = world(people)
    client.force_login(w.owner)
    url = reverse("coproduction:resource_add", args=[w.process.slug, w.task.pk, "enabler"])

    def found(q, language="en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return [enabler.key for enabler in client.get(url, {"q": q}).context["found"]]

    assert found("lv") == []
    assert found("balsošana", "lv") == ["idea-board"]
    assert found("blueprint") == ["service-blueprint-template"]
    assert found("survey-runner")[0] == "survey-runner"


def test_the_process_page_leads_its_owners_to_a_consultation_and_the_register(client, people):
    """Owners open a consultation and answer inputs from the process page, as on a plan's;
    visitors see the consultation panel and the public report of the responses."""
    w = world(people)
    page = w.process.get_absolute_url()
    client.force_login(w.owner)
    html = client.get(page).content.decode()
    assert links.consultation_create_url(w.process) in html
    assert links.register_url(w.process) in html
    assert links.report_url(w.process) in html
    client.logout()
    html = client.get(page).content.decode()
    assert 'id="consultation"' in html
    assert links.consultation_create_url(w.process) not in html
    assert f'href="{links.register_url(w.process)}"' not in html
    assert links.report_url(w.process) in html


def test_a_tasks_page_lists_its_resources_to_those_who_may_see_them(client, people):
    w = world(people, visibility="team")
    resource_services.resource_add_link(
        actor=w.owner, task=w.task, title="Bus timetables", url="https://example.org/times"
    )
    client.force_login(w.owner)
    page = client.get(w.task.get_absolute_url()).content.decode()
    assert "Bus timetables" in page and 'href="https://example.org/times"' in page
    # The observer's team holds no right to see them on a process visible to its teams only.
    client.force_login(w.observer)
    assert "Bus timetables" not in client.get(w.task.get_absolute_url()).content.decode()


def test_the_audit_log_shows_the_curation_of_the_catalogue(people):
    """Each version of an enabler, with who made it, in the whole log (the catalogue belongs
    to no member, so a member's log leaves it out)."""
    enabler = Enabler.objects.create(
        key="stakeholder-map", kind="knowledge", name_translations={"en": "Map"}
    )
    curator = people[OGP_ADMIN]
    catalogue_services.enabler_withdraw(actor=curator, enabler=enabler, reason="Out of date.")
    entries = log_page(Filters(kinds=("enabler",))).entries
    withdrawn = [entry for entry in entries if entry.actor_id == curator.pk]
    assert len(withdrawn) == 1
    assert withdrawn[0].subject == "Map (catalogue of enablers)"
    assert withdrawn[0].url == reverse("coproduction:enabler", args=["stakeholder-map"])
    assert log_page(Filters(kinds=("enabler",), member=people.member)).entries == []
