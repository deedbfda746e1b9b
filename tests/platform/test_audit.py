"""The audit log (/audit/): every change to plans, commitments, milestones, responses,
moderation decisions, roles and member statuses, with who and when, for OGP admins only; its
filters, its CSV file, and the record of platform roles given and taken away."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from action_plans.models import PlanTransition
from ogp_platform import roles
from ogp_platform.audit.models import PlatformRoleChange
from ogp_platform.audit.selectors import PER_PAGE, Filters, log_page
from ogp_platform.audit.sources import SOURCES
from ogp_platform.members import services as member_services
from ogp_platform.members.models import ForumSeat, Member, MemberRole
from ogp_platform.members.policies import MODERATORS_GROUP, OGP_ADMINS_GROUP
from participation.models import Input, ModerationAction
from tests.factories import UserFactory
from tests.members.factories import (
    MemberFactory,
    MemberRoleFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from tests.participation.factories import CommentFactory, ConsultationFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

LOG = reverse("audit:log")
DOWNLOAD = reverse("audit:download")


def _as(user, obj, **changes):
    """Change and save `obj` as `user` would through a service: its history names them."""
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj.save()
    return obj


@pytest.fixture
def admin():
    user = UserFactory(email="admin@ogp.example")
    Group.objects.get(name=OGP_ADMINS_GROUP).user_set.add(user)
    return user


@pytest.fixture
def officer():
    return UserFactory(email="officer@gov.example")


def _changes_of_every_kind(member, officer, admin, *, tag=""):
    """One change of each kind on `member`, made by `officer` (or by `admin` where only an
    OGP admin or moderator would make it). Returns the plan."""
    plan = ActionPlanFactory(member=member, created_by=officer, published=True)
    _as(officer, plan, title=f"Open government plan {tag}")
    commitment = _as(officer, CommitmentFactory(plan=plan), title=f"Open contracts {tag}")
    _as(officer, MilestoneFactory(commitment=commitment), title=f"Publish the register {tag}")
    consultation = ConsultationFactory(space=plan, title="Co-creation", created_by=officer)
    comment = CommentFactory(target=plan, consultation=consultation, body="Spam spam spam")
    item = Input.objects.create(
        space_type=consultation.space_type,
        space_id=plan.pk,
        member=member,
        source=Input.Source.WRITTEN,
        text="Publish contracts within a week.",
        received_on=datetime.date(2026, 1, 5),
    )
    _as(
        officer,
        item,
        disposition=Input.Disposition.ACCEPTED,
        reason="Done in commitment 1.",
        responded_by=officer,
        responded_at=timezone.now(),
    )
    ModerationAction.objects.create(
        comment=comment, action=ModerationAction.Action.HIDE, reason="Spam", moderator=admin
    )
    role = MemberRole(member=member, user=UserFactory(), role=MemberRole.Role.FORUM)
    _as(admin, role)
    _as(
        officer,
        ForumSeat(member=member, name=f"Anna {tag}", sector="civil_society"),
        joined_on=datetime.date(2026, 1, 1),
    )
    _as(admin, OrganisationMembershipFactory(), status="refused")
    verified = OrganisationFactory(verified=True)
    organisation_admin = OrganisationMembershipFactory(organisation=verified)
    member_services.organisation_admin_grant(actor=admin, membership=organisation_admin)
    rename = member_services.organisation_update(
        actor=organisation_admin.user,
        organisation=verified,
        name=f"{verified.name} renamed",
    )
    member_services.organisation_rename_decide(actor=admin, rename=rename, approve=True)
    member_services.member_change_status(
        actor=admin, member=member, status=Member.Status.UNDER_REVIEW, reason="Late plan."
    )
    PlanTransition.objects.create(
        plan=plan, from_status="draft", to_status="cocreation", actor=officer
    )
    return plan


# --- What the log shows ----------------------------------------------------------------------


def test_every_kind_appears_with_who_and_when(client, admin, officer):
    member = MemberFactory()
    before = timezone.now()
    _changes_of_every_kind(member, officer, admin)
    client.force_login(admin)

    response = client.get(LOG, {"page": 1})

    assert response.status_code == 200
    entries = response.context["page"].entries
    by_kind = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry)
    # The co-production module's kinds have their own test (tests/coproduction/test_platform.py).
    module_kinds = {kind for kind in SOURCES if kind.startswith("process")} | {"enabler"}
    assert set(by_kind) == set(SOURCES) - module_kinds
    expected = {
        "plan": officer,
        "commitment": officer,
        "milestone": officer,
        "response": officer,
        "forum_seat": officer,
        "transition": officer,
        "moderation": admin,
        "member_role": admin,
        "organisation_membership": admin,
        "organisation_rename": admin,
        "object_role": admin,
        "member_status": admin,
    }
    for kind, who in expected.items():
        assert any(entry.actor == who and entry.date >= before for entry in by_kind[kind]), kind
    # Newest first.
    dates = [entry.date for entry in entries]
    assert dates == sorted(dates, reverse=True)
    # Who, with the address only admins see, and when, localised.
    html = response.content.decode()
    assert "officer@gov.example" in html
    assert "<time datetime=" in html


def test_a_version_says_which_fields_changed_and_links_to_its_diff(client, admin, officer):
    plan = ActionPlanFactory(created_by=officer)
    _as(officer, plan, title="A better title", introduction="Why we do this.")
    client.force_login(admin)

    entries = client.get(LOG, {"kind": "plan"}).context["page"].entries

    changed = entries[0]
    assert changed.action == "changed"
    assert set(changed.fields) == {"title", "introduction"}
    previous, latest = plan.history.order_by("history_id")
    changes_url = reverse("action_plans:changes", args=[plan.identifier])
    assert changed.diff_url == (
        f"{changes_url}?from={previous.history_id}&to={latest.history_id}#comparison"
    )
    assert entries[1].action == "created"
    # The link leads to the existing comparison of the two versions.
    assert client.get(changed.diff_url).status_code == 200


def test_a_removed_role_is_in_the_log(client, admin):
    role = MemberRoleFactory()
    member_services.member_role_remove(actor=admin, role=role)
    client.force_login(admin)

    entries = client.get(LOG, {"kind": "member_role"}).context["page"].entries

    assert entries[0].action == "removed"
    assert entries[0].actor == admin
    assert role.user.email in entries[0].subject


def test_empty_state(client, admin):
    PlatformRoleChange.objects.all().delete()
    client.force_login(admin)

    response = client.get(LOG)

    assert response.status_code == 200
    assert "No change has been recorded yet." in response.content.decode()


# --- Filters ---------------------------------------------------------------------------------


def test_filter_by_kind_member_person_and_dates(client, admin, officer):
    latvia, chile = MemberFactory(), MemberFactory()
    _changes_of_every_kind(latvia, officer, admin, tag="lv")
    other_officer = UserFactory(email="someone@else.example")
    _changes_of_every_kind(chile, other_officer, admin, tag="cl")
    client.force_login(admin)

    def entries(**params):
        response = client.get(LOG, params)
        assert response.status_code == 200
        return response.context["page"].entries

    assert {entry.kind for entry in entries(kind="commitment")} == {"commitment"}
    in_latvia = entries(member=latvia.pk)
    assert in_latvia and all(
        entry.kind not in ("organisation_membership", "platform_role") for entry in in_latvia
    )
    assert all("cl" not in entry.subject.split() for entry in in_latvia)
    assert {entry.subject for entry in entries(member=latvia.pk, kind="forum_seat")} == {
        f"Anna lv (Civil society) on the forum of {latvia.name}"
    }
    by_person = entries(person="ELSE.example")
    assert by_person and {entry.actor for entry in by_person} == {other_officer}
    today = timezone.localdate()
    assert len(entries(date_from=today.isoformat(), date_to=today.isoformat())) > 0
    tomorrow = today + datetime.timedelta(days=1)
    assert entries(date_from=tomorrow.isoformat()) == []
    assert entries(date_to=(today - datetime.timedelta(days=1)).isoformat()) == []
    assert (
        "No change matches these filters." in client.get(LOG, {"person": "nobody"}).content.decode()
    )


def test_a_member_keeps_the_changes_of_its_removed_commitments(client, admin, officer):
    plan = ActionPlanFactory(created_by=officer)
    commitment = CommitmentFactory(plan=plan)
    milestone = MilestoneFactory(commitment=commitment)
    commitment._history_user = officer
    commitment.delete()
    client.force_login(admin)

    entries = client.get(LOG, {"member": plan.member.pk}).context["page"].entries

    removed = {(entry.kind, entry.action) for entry in entries if entry.action == "removed"}
    assert removed == {("commitment", "removed"), ("milestone", "removed")}
    milestone_entry = next(entry for entry in entries if entry.kind == "milestone")
    assert milestone_entry.url == reverse(
        "commitments:milestone_changes", args=[commitment.identifier, milestone.pk]
    )
    assert client.get(milestone_entry.url).status_code == 200
    assert client.get(LOG, {"member": MemberFactory().pk}).context["page"].entries == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "everything"}, "Choose a kind of change from the list."),
        ({"member": "not-a-number"}, "Choose a member from the list."),
        ({"member": "999999"}, "Choose a member from the list."),
        ({"date_from": "31/02/2026"}, "Enter a date as YYYY-MM-DD."),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "must not be after"),
        ({"person": "x" * 300}, "at most 254 characters"),
        ({"date_to": "9999-12-31"}, "Enter a date between 2000 and 2100."),
    ],
)
def test_invalid_filters_are_explained(client, admin, params, message):
    client.force_login(admin)

    response = client.get(LOG, params)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["page"] is None
    assert client.get(DOWNLOAD, params).status_code == 400


def test_pages_go_back_in_time(client, admin, officer):
    plan = ActionPlanFactory(created_by=officer)
    for number in range(PER_PAGE + 5):
        _as(officer, plan, title=f"Title {number}")
    client.force_login(admin)

    first = client.get(LOG, {"kind": "plan"}).context["page"]
    second = client.get(LOG, {"kind": "plan", "page": 2}).context["page"]

    assert first.has_next and not first.has_previous
    assert len(first.entries) == PER_PAGE
    assert second.has_previous and not second.has_next
    assert first.entries[-1].date >= second.entries[0].date
    assert len(second.entries) == 6  # 5 more changes and the creation
    assert client.get(LOG, {"page": "junk"}).status_code == 200
    far = client.get(LOG, {"page": "9" * 30})
    assert far.status_code == 200
    assert "There are no changes on this page." in far.content.decode()


# --- Who may see it --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LOG, DOWNLOAD])
def test_only_ogp_admins_see_the_log(client, admin, officer, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    moderator = UserFactory()
    Group.objects.get(name=MODERATORS_GROUP).user_set.add(moderator)
    MemberRoleFactory(user=officer, role=MemberRole.Role.POINT_OF_CONTACT)
    for user in (officer, moderator):
        client.force_login(user)
        assert client.get(url).status_code == 403

    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_menu_links_to_the_log_for_ogp_admins_only(client, admin, officer):
    client.force_login(officer)
    assert LOG not in client.get(reverse("profile")).content.decode()
    client.force_login(admin)
    assert f'href="{LOG}"' in client.get(reverse("profile")).content.decode()


# --- Cost ------------------------------------------------------------------------------------


@pytest.mark.parametrize("members", [1, 6])
def test_a_page_costs_the_same_whatever_the_size_of_the_log(
    client, admin, officer, members, django_assert_max_num_queries
):
    for number in range(members):
        _changes_of_every_kind(MemberFactory(), officer, admin, tag=str(number))
    client.force_login(admin)

    # The log, a query per kind on the page (two for versions: the records and the ones
    # before them, three for milestones, two for roles on objects: the records and the
    # objects), people, members, organisations, the member choices, the session and the user.
    with django_assert_max_num_queries(30):
        response = client.get(LOG)
    # Nineteen changes a member, and the admin made an OGP admin.
    assert len(response.context["page"].entries) == min(PER_PAGE, 19 * members + 1)
    with django_assert_max_num_queries(30):
        client.get(LOG, {"page": 2, "person": "gov.example"})


def test_the_download_costs_a_few_queries_per_batch(
    client, admin, officer, django_assert_max_num_queries
):
    for number in range(4):
        _changes_of_every_kind(MemberFactory(), officer, admin, tag=str(number))
    client.force_login(admin)

    with django_assert_max_num_queries(29):
        response = client.get(DOWNLOAD)
        body = b"".join(response.streaming_content)
    assert len(body.decode("utf-8-sig").splitlines()) > 60


# --- The CSV file ----------------------------------------------------------------------------


def test_the_csv_file_is_safe_in_a_spreadsheet_and_filtered(client, admin, officer):
    plan = ActionPlanFactory(created_by=officer)
    _as(officer, plan, title='=HYPERLINK("http://evil.example","Click")')
    hostile = UserFactory(email="x@evil.example", display_name="@SUM(A1:A9)")
    _as(hostile, plan, title="+1")
    client.force_login(admin)

    response = client.get(DOWNLOAD, {"kind": "plan"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["kind"] for row in rows] == ["Action plan"] * 3
    assert rows[0]["person"] == "'@SUM(A1:A9)"
    assert rows[0]["email"] == "x@evil.example"
    assert rows[0]["object"].startswith(plan.identifier)
    assert rows[1]["object"] == f'{plan.identifier} =HYPERLINK("http://evil.example","Click")'
    assert rows[0]["change"] == "Changed: title"
    assert rows[0]["url"].startswith("http://testserver/plans/")
    assert rows[2]["person"] == "system"
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())


# --- Platform roles: every grant leaves a record ---------------------------------------------


@pytest.fixture
def signed_in_request(admin):
    """The request simple_history's middleware would keep while a view runs."""
    request = RequestFactory().get("/admin/")
    request.user = admin
    HistoricalRecords.context.request = request
    yield request
    del HistoricalRecords.context.request


def test_platform_roles_given_and_taken_are_recorded(admin, signed_in_request):
    person = UserFactory()
    admins = Group.objects.get(name=OGP_ADMINS_GROUP)
    moderators = Group.objects.get(name=MODERATORS_GROUP)

    person.groups.add(admins)
    moderators.user_set.add(person)
    permission = Permission.objects.get(codename="onboard_member")
    person.user_permissions.add(permission)
    person.is_staff = True
    person.save()
    person.groups.clear()
    person.user_permissions.remove(permission)

    changes = list(PlatformRoleChange.objects.filter(user=person).order_by("pk"))
    assert [(change.role, change.granted) for change in changes[:4]] == [
        (OGP_ADMINS_GROUP, True),
        (MODERATORS_GROUP, True),
        ("members.onboard_member", True),
        ("is_staff", True),
    ]
    assert {(change.role, change.granted) for change in changes[4:]} == {
        (OGP_ADMINS_GROUP, False),
        (MODERATORS_GROUP, False),
        ("members.onboard_member", False),
    }
    assert len(changes) == 7
    assert {change.changed_by for change in changes} == {admin}


def test_a_script_records_no_author_and_logins_record_nothing(admin):
    person = UserFactory()
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    person.save()
    assert not PlatformRoleChange.objects.filter(user=person).exists()

    Group.objects.get(name=OGP_ADMINS_GROUP).user_set.add(person)
    superuser = type(person).objects.create_superuser("root@ogp.example", "pw-123456789")

    change = PlatformRoleChange.objects.get(user=person)
    assert change.granted and change.changed_by is None
    assert set(
        PlatformRoleChange.objects.filter(user=superuser).values_list("role", flat=True)
    ) == {"is_staff", "is_superuser"}


def test_platform_role_changes_appear_in_the_log(client, admin):
    client.force_login(admin)
    page = log_page(Filters(kinds=("platform_role",)))
    entry = page.entries[0]
    assert entry.subject == f"{OGP_ADMINS_GROUP} given to {admin.get_full_name()} <{admin.email}>"
    assert entry.actor is None
    assert entry.summary == "Granted"


def test_joining_a_group_made_to_hold_roles_on_objects_is_no_platform_role():
    """A team's group (ogp_platform.roles.holder_group_create) is the team's business: its
    history says who joined. Should such a group be given a permission of its own, joining it
    is a platform role again, and recorded."""
    person = UserFactory()
    team_group = roles.holder_group_create(label="a team")

    team_group.user_set.add(person)
    person.groups.remove(team_group)
    assert not PlatformRoleChange.objects.filter(user=person).exists()

    team_group.permissions.add(Permission.objects.get(codename="onboard_member"))
    person.groups.add(team_group)
    (change,) = PlatformRoleChange.objects.filter(user=person)
    assert (change.role, change.granted) == (team_group.name, True)


def test_a_role_given_to_a_group_reads_in_the_log_with_the_groups_name(client, admin):
    member = MemberFactory(name="Jūrmala")
    group = roles.holder_group_create(label="a team")
    roles.group_permission_grant(
        actor=admin,
        group=group,
        permission="members.change_member",
        obj=member,
        group_name="Residents' panel",
    )
    client.force_login(admin)
    (entry,) = log_page(Filters(kinds=("object_role",))).entries
    assert entry.subject == (
        "“members.change_member” on Jūrmala given to the group “Residents' panel”"
    )
    assert entry.actor == admin
