"""The changes pages of plans, commitments and milestones: who changed which fields when, as a
word-level diff; comparing two versions; removed objects keep their history; the pages are as
visible as the plan; their query count does not grow with the number of versions."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from action_plans import services as plan_services
from commitments import services
from commitments.models import Commitment, Milestone
from ogp_platform.history import VersionNotFound, compare_versions, version_page, word_diff
from tests.factories import UserFactory
from tests.members.factories import InstitutionFactory, MemberFactory, MemberRoleFactory
from tests.plans.factories import ActionPlanFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db


# --- The word diff -------------------------------------------------------------------------


def test_word_diff_marks_removed_and_added_words_only():
    """Unchanged words stay plain; the removed word is in <del>, the added one in <ins>, each
    with a cue for screen readers."""
    html = word_diff("Publish all contracts online.", "Publish most contracts online.")
    assert html.startswith("Publish ")
    assert "<del>" in html and "<ins>" in html
    assert '[removed: </span>all<span class="visually-hidden">]</span></del>' in html
    assert '[added: </span>most<span class="visually-hidden">]</span></ins>' in html
    assert html.endswith(" contracts online.")


def test_word_diff_merges_neighbouring_changes():
    """Two replaced words in a row read as one change, not as interleaved fragments."""
    html = word_diff("one two three", "uno dos three")
    assert html.count("<del>") == 1 and html.count("<ins>") == 1
    assert "one two</span>" not in html  # the cue is closed after the text, not inside it
    assert "one two<span" in html and "uno dos<span" in html


def test_word_diff_escapes_html():
    """Text users wrote is escaped, whether it is kept, removed or added."""
    html = word_diff("<b>bold</b> & old", "<script>alert(1)</script> & new")
    text = re.sub(r'</?(del|ins)>|<span class="visually-hidden">|</span>', "", html)
    assert "<" not in text and ">" not in text
    assert text == (
        "&lt;[removed: b][added: script]&gt;[removed: bold][added: alert(1)]"
        "&lt;/[removed: b][added: script]&gt; &amp; [removed: old][added: new]"
    )


def test_word_diff_keeps_line_breaks_and_diacritics():
    """Whitespace survives the diff, and words in any script are whole tokens."""
    html = word_diff("Atvērtie dati\nir publiski.", "Atvērtie dati\nir pieejami.")
    assert "Atvērtie dati\nir " in html
    assert "publiski</span>" not in html and "publiski<span" in html


def test_word_diff_of_identical_texts_marks_nothing():
    assert word_diff("Same text.", "Same text.") == "Same text."


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture
def member():
    return MemberFactory()


@pytest.fixture
def officer(member):
    return MemberRoleFactory(
        member=member, role="officer", user=UserFactory(display_name="Ilze Bērziņa")
    ).user


@pytest.fixture
def plan(member):
    """A draft plan: visible only to the member's team and OGP admins."""
    return ActionPlanFactory(member=member)


@pytest.fixture
def institution(member):
    return InstitutionFactory(member=member, name="State Chancellery")


@pytest.fixture
def commitment(plan, officer, institution):
    return services.commitment_create(
        actor=officer,
        plan=plan,
        title="Open contracting",
        description="Publish all contracts above 10,000 EUR.",
        lead_institution=institution,
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2026, 12, 31),
    )


def fresh(commitment) -> Commitment:
    return Commitment.objects.select_related("plan", "plan__member").get(pk=commitment.pk)


def changes_url(commitment) -> str:
    return reverse("commitments:changes", args=[commitment.identifier])


# --- What the pages show -------------------------------------------------------------------


def test_commitment_changes_show_the_field_the_words_and_the_author(client, officer, commitment):
    """Changing the description shows the field's label, the removed and added words, and the
    officer who made the change."""
    services.commitment_update(
        actor=officer,
        commitment=fresh(commitment),
        description="Publish every contract above 10,000 EUR.",
    )
    client.force_login(officer)
    response = client.get(changes_url(commitment))
    assert response.status_code == 200
    html = response.content.decode()
    latest = response.context["page"].object_list[0]
    assert latest.kind == "changed"
    assert latest.author == "Ilze Bērziņa"
    assert [change.name for change in latest.changes] == ["description"]
    assert "<dt>Description</dt>" in html
    assert '<del><span class="visually-hidden">[removed: </span>all contracts<' in html
    assert '<ins><span class="visually-hidden">[added: </span>every contract<' in html
    assert "Ilze Bērziņa" in html
    # Breadcrumbs lead back to the member, the plan and the commitment.
    crumbs = [url for _label, url in response.context["breadcrumbs"]]
    assert crumbs[-3:] == [
        commitment.plan.member.get_absolute_url(),
        commitment.plan.get_absolute_url(),
        commitment.get_absolute_url(),
    ]


def test_policy_areas_and_partners_changes_are_versions_too(client, officer, commitment, member):
    """Many-to-many choices (policy areas, supporting institutions and organisations) are kept
    as text on the commitment, so their changes show in the history like any other field."""
    from commitments.models import PolicyArea

    services.commitment_update(
        actor=officer,
        commitment=fresh(commitment),
        policy_areas=list(PolicyArea.objects.filter(slug__in=["open-data", "justice"])),
    )
    services.commitment_update(
        actor=officer,
        commitment=fresh(commitment),
        policy_areas=list(PolicyArea.objects.filter(slug__in=["open-data", "lobbying"])),
        supporting_institutions=[InstitutionFactory(member=member, name="Finance Ministry")],
    )
    client.force_login(officer)
    response = client.get(changes_url(commitment))
    latest = response.context["page"].object_list[0]
    names = {change.name for change in latest.changes}
    assert names == {"policy_areas_record", "supporting_institutions_record"}
    html = response.content.decode()
    assert "<dt>Policy areas</dt>" in html
    assert "[removed: </span>Justice<" in html and "[added: </span>Lobbying<" in html
    assert "Finance Ministry" in html


def test_non_text_fields_show_old_and_new_display_values(client, officer, commitment, member):
    """Choices show their labels, dates are localised and a foreign key shows the related
    object's name, as "old → new"."""
    other = InstitutionFactory(member=member, name="Ministry of Finance")
    services.commitment_update(
        actor=officer,
        commitment=fresh(commitment),
        status="inactive",
        lead_institution=other,
        end_date=datetime.date(2027, 3, 31),
    )
    client.force_login(officer)
    response = client.get(changes_url(commitment))
    changes = {change.name: change.html for change in response.context["page"][0].changes}
    assert set(changes) == {"status", "lead_institution", "end_date"}
    assert ">Active<" in changes["status"] and ">Inactive<" in changes["status"]
    assert ">State Chancellery<" in changes["lead_institution"]
    assert ">Ministry of Finance<" in changes["lead_institution"]
    assert ">31 December 2026<" in changes["end_date"]
    assert ">31 March 2027<" in changes["end_date"]
    assert "→" in changes["status"]


def test_a_title_with_markup_is_escaped_on_the_page(client, officer, commitment):
    """A title containing a script tag is shown as text, never run."""
    services.commitment_update(
        actor=officer, commitment=fresh(commitment), title="Open <script>alert(1)</script> data"
    )
    client.force_login(officer)
    html = client.get(changes_url(commitment)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_first_version_lists_its_values(client, officer, commitment):
    """The version that created the commitment shows what it said, by whom."""
    client.force_login(officer)
    response = client.get(changes_url(commitment))
    (first,) = response.context["page"].object_list
    assert first.kind == "created" and first.is_first
    assert first.author == "Ilze Bērziņa"
    names = {change.name for change in first.changes}
    assert {"title", "description", "lead_institution", "start_date"} <= names
    assert "plan" not in names
    assert "State Chancellery" in response.content.decode()


def test_changes_without_a_user_are_attributed_to_the_system(client, plan, officer):
    """Rows written outside a request (factories, scripts) have no author: "system"."""
    client.force_login(officer)
    response = client.get(reverse("action_plans:changes", args=[plan.identifier]))
    assert response.status_code == 200
    assert response.context["page"][0].author == "system"


def test_plan_changes_show_who_changed_the_title(client, plan, officer):
    """The plan's own changes page shows a changed title as a word diff with its author."""
    plan_services.action_plan_update(actor=officer, plan=plan, title="Sixth national action plan")
    client.force_login(officer)
    response = client.get(reverse("action_plans:changes", args=[plan.identifier]))
    latest = response.context["page"][0]
    assert latest.author == "Ilze Bērziņa"
    assert [change.name for change in latest.changes] == ["title"]
    assert "<ins>" in latest.changes[0].html


# --- Comparing two versions ----------------------------------------------------------------


def test_any_two_versions_can_be_compared(client, officer, commitment):
    """Comparing the first and the last version shows every field changed in between."""
    services.commitment_update(actor=officer, commitment=fresh(commitment), title="Open data")
    services.commitment_update(
        actor=officer, commitment=fresh(commitment), description="Publish contracts weekly."
    )
    ids = list(
        Commitment.history.filter(id=commitment.pk)
        .order_by("history_date", "history_id")
        .values_list("history_id", flat=True)
    )
    assert len(ids) == 3
    client.force_login(officer)
    response = client.get(changes_url(commitment), {"from": ids[0], "to": ids[2]})
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert {change.name for change in comparison.changes} == {"title", "description"}
    assert comparison.old.history_id == ids[0] and comparison.new.history_id == ids[2]
    assert comparison.old.label.startswith("Version 1: ")
    assert comparison.new.label.startswith("Version 3: ")
    html = response.content.decode()
    assert 'id="comparison-title"' in html
    assert '<label class="field__label" for="id_from">From version' in html
    assert '<label class="field__label" for="id_to">To version' in html
    # The same version on both sides: nothing to show, and the page says so.
    response = client.get(changes_url(commitment), {"from": ids[1], "to": ids[1]})
    assert response.context["comparison"].changes == []
    assert "These two versions are the same." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"from": "abc", "to": "1"}, {"from": "999999", "to": "999998"}, {"from": ""}, {"to": "x"}],
    ids=["not-a-number", "unknown", "empty", "one-side"],
)
def test_invalid_versions_get_a_clear_message(client, officer, commitment, params):
    """Ids that are not versions of this object are refused with a message, not an error."""
    services.commitment_update(actor=officer, commitment=fresh(commitment), title="Open data")
    client.force_login(officer)
    response = client.get(changes_url(commitment), params)
    assert response.status_code == 400
    assert response.context["comparison"] is None
    html = response.content.decode()
    assert "There is a problem" in html
    assert "That is not one of this page&#x27;s versions" in html or "Choose a version." in html


def test_versions_of_another_object_cannot_be_compared(officer, commitment, plan, institution):
    """compare_versions only accepts versions of the object whose history it was given."""
    other = services.commitment_create(actor=officer, plan=plan, title="Another commitment")
    mine = Commitment.history.filter(id=commitment.pk).first().history_id
    theirs = Commitment.history.filter(id=other.pk).first().history_id
    with pytest.raises(VersionNotFound):
        compare_versions(Commitment.history.filter(id=commitment.pk), from_id=mine, to_id=theirs)


# --- Removed objects -----------------------------------------------------------------------


def test_a_removed_commitment_keeps_its_history(client, officer, commitment, plan):
    """After removal, the commitment's changes page still shows its versions, and the plan's
    changes page lists it as removed with a link to them."""
    milestone = services.milestone_create(
        actor=officer, commitment=fresh(commitment), title="Register published"
    )
    services.commitment_update(actor=officer, commitment=fresh(commitment), title="Open data")
    services.commitment_delete(actor=officer, commitment=fresh(commitment))
    assert not Commitment.objects.filter(pk=commitment.pk).exists()
    client.force_login(officer)

    response = client.get(changes_url(commitment))
    assert response.status_code == 200
    kinds = [version.kind for version in response.context["page"]]
    assert kinds == ["removed", "changed", "created"]
    assert response.context["subject"]["removed"] is True
    assert response.context["page"][0].author == "Ilze Bērziņa"
    assert response.context["children"][0]["removed"] is True

    response = client.get(
        reverse("commitments:milestone_changes", args=[commitment.identifier, milestone.pk])
    )
    assert response.status_code == 200
    assert [version.kind for version in response.context["page"]] == ["removed", "created"]
    # The commitment is gone: the breadcrumb leads to its history instead.
    assert response.context["breadcrumbs"][-1] == (commitment.identifier, changes_url(commitment))

    response = client.get(reverse("action_plans:changes", args=[plan.identifier]))
    (listed,) = response.context["children"]
    assert listed["identifier"] == commitment.identifier and listed["removed"] is True
    assert changes_url(commitment) in response.content.decode()


def test_a_milestone_of_another_commitment_is_not_found(client, officer, commitment, plan):
    """The milestone's changes page only answers under the milestone's own commitment."""
    other = services.commitment_create(actor=officer, plan=plan, title="Another commitment")
    milestone = services.milestone_create(actor=officer, commitment=other, title="Step one")
    client.force_login(officer)
    wrong = reverse("commitments:milestone_changes", args=[commitment.identifier, milestone.pk])
    right = reverse("commitments:milestone_changes", args=[other.identifier, milestone.pk])
    assert client.get(wrong).status_code == 404
    assert client.get(right).status_code == 200
    assert client.get(reverse("commitments:changes", args=["ZZ9999"])).status_code == 404


# --- Who may read the history --------------------------------------------------------------


def _actor(name, member):
    if name == "anonymous":
        return None
    if name == "officer":
        return MemberRoleFactory(member=member, role="officer").user
    if name == "other_officer":
        return MemberRoleFactory(member=MemberFactory(), role="officer").user
    if name == "forum":
        return MemberRoleFactory(member=member, role="forum").user
    if name == "user":
        return UserFactory()
    if name == "admin":
        user = UserFactory()
        Group.objects.get(name="OGP admins").user_set.add(user)
        return user
    raise ValueError(name)


DRAFT_ACCESS = {
    "anonymous": 404,
    "user": 404,
    "other_officer": 404,
    "officer": 200,
    "forum": 200,
    "admin": 200,
}


@pytest.mark.parametrize("actor", list(DRAFT_ACCESS))
@pytest.mark.parametrize("page", ["plan", "commitment", "removed_commitment", "milestone"])
def test_draft_history_is_visible_only_to_the_team_and_ogp(
    client, member, officer, plan, commitment, actor, page
):
    """A draft's changes are as hidden as the draft: 404 for everyone outside the member's team
    and OGP admins, removed commitments included."""
    milestone = services.milestone_create(actor=officer, commitment=fresh(commitment), title="A")
    removed = services.commitment_create(actor=officer, plan=plan, title="Gone")
    services.commitment_delete(actor=officer, commitment=fresh(removed))
    url = {
        "plan": reverse("action_plans:changes", args=[plan.identifier]),
        "commitment": changes_url(commitment),
        "removed_commitment": changes_url(removed),
        "milestone": reverse(
            "commitments:milestone_changes", args=[commitment.identifier, milestone.pk]
        ),
    }[page]
    user = _actor(actor, member)
    if user is not None:
        client.force_login(user)
    assert client.get(url).status_code == DRAFT_ACCESS[actor]


def test_a_published_plans_history_is_public(client, officer, plan, commitment):
    """Once co-creation opened, everyone reads the changes, anonymous visitors included."""
    plan_services.action_plan_open_cocreation(actor=officer, plan=plan)
    assert client.get(reverse("action_plans:changes", args=[plan.identifier])).status_code == 200
    assert client.get(changes_url(commitment)).status_code == 200


def test_the_page_is_read_only(client, officer, plan):
    """The changes page answers GET only."""
    client.force_login(officer)
    url = reverse("action_plans:changes", args=[plan.identifier])
    assert client.post(url).status_code == 405


# --- Pages and queries ---------------------------------------------------------------------


def _edit(officer, commitment, count, institutions):
    """`count` more versions, each changing the description and the lead institution."""
    for index in range(count):
        services.commitment_update(
            actor=officer,
            commitment=fresh(commitment),
            description=f"Publish contracts, version {index}.",
            lead_institution=institutions[index % 2],
        )


def test_versions_are_paginated_and_diffed_across_pages(client, officer, commitment, member):
    """20 versions a page; the oldest on a page is still compared with the one before it."""
    institutions = [InstitutionFactory(member=member), InstitutionFactory(member=member)]
    _edit(officer, commitment, 24, institutions)  # 25 versions with the creation
    client.force_login(officer)
    first = client.get(changes_url(commitment))
    assert len(first.context["page"].object_list) == 20
    assert first.context["page"][19].changes  # version 6 compared with version 5 (on page 2)
    assert 'rel="next"' in first.content.decode()
    second = client.get(changes_url(commitment), {"page": 2})
    versions = second.context["page"].object_list
    assert len(versions) == 5
    assert versions[-1].kind == "created"
    assert {change.name for change in versions[0].changes} == {"description", "lead_institution"}
    # A page out of range shows the last one rather than failing.
    assert client.get(changes_url(commitment), {"page": 99}).status_code == 200


def _history_with(size):
    member = MemberFactory()
    officer = MemberRoleFactory(member=member, role="officer").user
    plan = ActionPlanFactory(member=member)
    institutions = [InstitutionFactory(member=member), InstitutionFactory(member=member)]
    commitment = services.commitment_create(
        actor=officer, plan=plan, title="Open contracting", lead_institution=institutions[0]
    )
    services.milestone_create(actor=officer, commitment=fresh(commitment), title="Step")
    _edit(officer, commitment, size - 1, institutions)
    for index in range(size - 1):
        plan_services.action_plan_update(actor=officer, plan=plan, title=f"Plan, version {index}")
    return officer, plan, commitment


def test_queries_do_not_grow_with_the_number_of_versions(client):
    """The changes pages cost the same number of queries for 3 versions as for 15, and few."""
    small = _history_with(3)
    large = _history_with(15)
    assert Commitment.history.filter(id=large[2].pk).count() == 15

    def pages(officer, plan, commitment) -> list[str]:
        milestone = Milestone.objects.get(commitment=commitment)
        ids = list(commitment.history.values_list("history_id", flat=True))
        return [
            reverse("action_plans:changes", args=[plan.identifier]),
            changes_url(commitment),
            reverse("commitments:milestone_changes", args=[commitment.identifier, milestone.pk]),
            f"{changes_url(commitment)}?from={ids[-1]}&to={ids[0]}",
        ]

    def signed_in(history, page):
        def setup():
            client.force_login(history[0])
            return pages(*history)[page]

        return setup

    for page in range(4):
        count = assert_queries_constant(
            lambda url: get_ok(client, url), signed_in(small, page), signed_in(large, page)
        )
        assert count <= 12


def test_version_page_works_on_any_history(officer, commitment):
    """The tools take any simple_history queryset: here the commitment's own manager."""
    services.commitment_update(actor=officer, commitment=fresh(commitment), short_title="OC")
    page = version_page(fresh(commitment).history.all())
    assert [version.kind for version in page] == ["changed", "created"]
    assert page[0].changes[0].label == "short title"
