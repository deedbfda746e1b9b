"""A person's own data: "Download my data" (everything the platform holds about them, as JSON,
in a constant number of queries) and "Delete my account" (the person leaves; what they wrote
stays on the public record, signed "Deleted participant", on every page, file and email).

The permission matrices of both URLs are here: `test_data_download_permissions` and
`test_delete_permissions`.
"""

import datetime
import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ogp_platform import roles
from ogp_platform.accounts import services
from ogp_platform.audit.models import ObjectRoleChange
from ogp_platform.members.models import Invitation, MemberRole, OrganisationMembership
from ogp_platform.members.policies import ADMINISTER_ORGANISATION
from participation.links import args_of
from participation.models import (
    Comment,
    CommentVote,
    Consultation,
    Follow,
    Notification,
    NotificationSetting,
    Report,
    Vote,
)
from participation.selectors import content_type_of
from participation.services import notification_emails
from participation.services.notifications import notification_settings_update
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.members.factories import (
    MemberRoleFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from tests.opendata.helpers import csv_records, json_file
from tests.participation.factories import CommentFactory
from tests.participation.test_register import (
    officer_of,
    quick_comment_input,
    ready_plan,
    respond,
)
from tests.plans.factories import CommitmentFactory, MilestoneFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("accounts:data_download")
DELETE = reverse("accounts:delete")
DELETED = "Deleted participant"


# --- A participant's world ------------------------------------------------------------------


def on(target) -> dict:
    return {"target_type": content_type_of(target), "target_id": target.pk}


def write_comment(plan, author, target=None, body="Publish the contracts.", **fields):
    """A comment written directly (no rate limit), in the plan's open consultation."""
    return CommentFactory(
        target=target or plan, consultation=plan.consultation, author=author, body=body, **fields
    )


def take_part(plan, user, *, times: int = 1) -> None:
    """`times` of each thing a participant does: comments on the plan, a commitment and a
    milestone (a new commitment and milestone each time), votes, up-votes, follows, reports,
    notifications."""
    other = UserFactory()
    for _ in range(times):
        commitment = CommitmentFactory(plan=plan)
        milestone = MilestoneFactory(commitment=commitment)
        for target in (plan, commitment, milestone):
            write_comment(plan, user, target)
            Follow.objects.get_or_create(**on(target), user=user)
        Vote.objects.create(**on(commitment), user=user, value=Vote.Value.SUPPORT)
        theirs = write_comment(plan, other, commitment, body="Another view.")
        CommentVote.objects.create(comment=theirs, user=user)
        Report.objects.create(comment=theirs, reporter=user, reason=Report.Reason.OFF_TOPIC)
        Notification.objects.create(
            user=user,
            kind=Notification.Kind.COMMENT,
            key=f"comment-{theirs.pk}",
            comment=theirs,
            **on(commitment),
        )


@pytest.fixture
def plan():
    """A plan in co-creation with one commitment and milestone, and an open consultation."""
    plan = ready_plan()
    plan.consultation = Consultation.objects.get(space_id=plan.pk)
    return plan


@pytest.fixture
def person(plan):
    """Anna, who took part in the plan's consultation, speaks for an organisation and holds a
    role on another member."""
    user = UserFactory(email="anna@example.org", display_name="Anna Bērziņa")
    EmailAddress.objects.create(user=user, email="anna.old@example.org", verified=False)
    OrganisationMembershipFactory(
        user=user, status=OrganisationMembership.Status.APPROVED, message="I work there."
    )
    MemberRoleFactory(user=user, role=MemberRole.Role.FORUM)
    notification_settings_update(user=user, frequency=NotificationSetting.Frequency.DAILY)
    item = quick_comment_input(plan, author=user, body="Publish contracts within a week.")
    respond(officer_of(plan), item, reason="Taken into commitment 1.")
    return user


# --- Download my data -----------------------------------------------------------------------


def download(client, user) -> dict:
    client.force_login(user)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_download_is_a_dated_json_attachment_never_cached(client, person):
    client.force_login(person)
    response = client.get(DOWNLOAD)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="ogp-my-data-{today}.json"'
    assert "no-store" in response["Cache-Control"]


def test_the_download_holds_everything_about_the_person(client, plan, person):
    take_part(plan, person)
    data = download(client, person)

    assert data["profile"]["email"] == "anna@example.org"
    assert data["profile"]["display_name"] == "Anna Bērziņa"
    assert {a["email"] for a in data["email_addresses"]} == {
        "anna@example.org",
        "anna.old@example.org",
    }
    (membership,) = data["organisation_memberships"]
    assert (membership["status"], membership["message"]) == ("approved", "I work there.")
    assert [r["role"] for r in data["member_roles"]] == ["forum"]
    assert data["notification_setting"]["frequency"] == "daily"

    comments = data["comments"]
    assert len(comments) == 4
    answered = comments[0]
    assert answered["body"] == "Publish contracts within a week."
    assert answered["status"] == "published"
    assert answered["about"]["title"] == f"{plan.identifier} {plan.title}"
    assert answered["about"]["url"].endswith(plan.get_absolute_url())
    assert answered["response"]["disposition"] == "accepted"
    assert answered["response"]["reason"] == "Taken into commitment 1."
    milestone = plan.commitments.order_by("pk").last().milestones.get()
    assert comments[-1]["about"]["title"] == milestone.title
    assert comments[-1]["about"]["url"] == f"{settings.SITE_URL}{milestone.get_absolute_url()}"

    assert [v["value"] for v in data["votes"]] == ["support"]
    assert len(data["comment_upvotes"]) == len(data["reports"]) == 1
    assert data["reports"][0]["reason"] == "off_topic"
    assert len(data["follows"]) == 3
    assert [n["kind"] for n in data["notifications"]] == ["response", "comment"]
    # Nothing secret, and nobody else's words.
    text = json.dumps(data)
    assert "Another view." not in text
    assert person.password not in text
    assert NotificationSetting.objects.get(user=person).unsubscribe_token not in text


def test_the_download_lists_an_officers_official_records(client, plan):
    officer = officer_of(plan)
    item = quick_comment_input(plan, body="A remark.")
    respond(officer, item, reason="Noted.")
    data = download(client, officer)
    (responded,) = data["official_records"]["inputs_responded_to"]
    assert (responded["input_number"], responded["reason"]) == (item.pk, "Noted.")
    assert {"records": "inputs", "versions": 1} in data["changes_recorded_in_history"]


def test_the_download_lists_the_roles_held_on_single_objects(client):
    """An organisation's administrator finds the role, and its record, in their data."""
    admin = OrganisationMembershipFactory(
        organisation=OrganisationFactory(name="Delna"), admin=True
    ).user
    data = download(client, admin)
    assert data["roles_on_objects"] == [
        {
            "role": "members.administer_organisation",
            "role_name": "Administer the organisation",
            "object_type": "organisation",
            "object": "Delna",
        }
    ]
    (received,) = data["official_records"]["object_roles_received"]
    assert (received["role"], received["object"], received["granted"]) == (
        "members.administer_organisation",
        "Delna",
        True,
    )


def test_the_download_costs_the_same_queries_for_few_and_many_records(client, plan):
    few, many = UserFactory(), UserFactory()
    take_part(plan, few, times=1)
    take_part(plan, many, times=12)

    downloads = []

    def signed_in(user):
        def setup():
            client.force_login(user)

        return setup

    def download(_):
        downloads.append(json.loads(get_ok(client, DOWNLOAD).content))

    count = assert_queries_constant(download, signed_in(few), signed_in(many))
    few_data, many_data = downloads
    assert (len(few_data["comments"]), len(many_data["comments"])) == (3, 36)
    # The session and the user, one query a section (each app's, the co-production core's six
    # included), one per kind of object commented on.
    assert count <= 60


def test_data_download_permissions(client, person):
    """Anonymous visitors are sent to sign in; a signed-in user gets their own data only (the
    URL names nobody); it is a GET: a POST is refused."""
    response = client.get(DOWNLOAD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    someone = UserFactory(display_name="Someone Else")
    data = download(client, someone)
    assert data["profile"]["email"] == someone.email
    assert data["comments"] == []
    assert "anna@example.org" not in json.dumps(data)
    assert client.post(DOWNLOAD).status_code == 405


def test_the_profile_page_links_to_both(client, person):
    client.force_login(person)
    html = client.get(reverse("profile")).content.decode()
    assert f'href="{DOWNLOAD}"' in html
    assert f'href="{DELETE}"' in html


# --- Delete my account: who may ----------------------------------------------------------


def ask_to_delete(client, user, password=DEFAULT_PASSWORD, **extra):
    client.force_login(user)
    return client.post(DELETE, {"password": password, **extra})


def assert_kept(user):
    user.refresh_from_db()
    assert user.is_active and user.deleted_at is None
    assert user.check_password(DEFAULT_PASSWORD)


def test_delete_permissions(client, plan):
    """Anonymous: sent to sign in, GET and POST. The owner: GET shows the form and deletes
    nothing; POST with the password deletes. Administrators and the only point of contact of
    a member are refused (page with the reason, 403 on POST); a point of contact with a
    colleague may leave."""
    for method in (client.get, client.post):
        response = method(DELETE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    user = UserFactory()
    client.force_login(user)
    page = client.get(DELETE)
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()
    assert_kept(user)
    assert ask_to_delete(client, user).status_code == 302
    user.refresh_from_db()
    assert user.deleted_at is not None

    ogp_admin = UserFactory()
    Group.objects.get(name="OGP admins").user_set.add(ogp_admin)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    only_contact = MemberRoleFactory(member=plan.member, role="point_of_contact").user
    for refused in (ogp_admin, superuser, only_contact):
        client.force_login(refused)
        page = client.get(DELETE).content.decode()
        assert "cannot be deleted yet" in page
        assert 'name="password"' not in page
        assert ask_to_delete(client, refused).status_code == 403
        assert_kept(refused)
    assert f"the only point of contact of {plan.member.name}" in client.get(DELETE).content.decode()

    colleague = MemberRoleFactory(member=plan.member, role="point_of_contact").user
    assert ask_to_delete(client, colleague).status_code == 302
    assert ask_to_delete(client, only_contact).status_code == 403  # the last one again


def test_a_wrong_password_keeps_the_account(client):
    user = UserFactory()
    response = ask_to_delete(client, user, password="not-my-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "This is not your password." in html
    assert_kept(user)
    assert client.session["_auth_user_id"] == str(user.pk)


def test_deleting_needs_the_csrf_token(person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.post(DELETE, {"password": DEFAULT_PASSWORD}).status_code == 403
    assert_kept(person)


def test_an_account_without_password_confirms_with_its_address(client):
    user = UserFactory(email="nopass@example.org")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert 'name="email"' in client.get(DELETE).content.decode()
    assert client.post(DELETE, {"email": "other@example.org"}).status_code == 200
    assert get_user_model().objects.get(pk=user.pk).deleted_at is None
    assert client.post(DELETE, {"email": "NoPass@Example.org"}).status_code == 302
    assert get_user_model().objects.get(pk=user.pk).deleted_at is not None


def test_attempts_to_delete_are_rate_limited(client):
    user = UserFactory()
    statuses = [ask_to_delete(client, user, password="wrong").status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    assert_kept(user)


# --- Delete my account: what happens ---------------------------------------------------------


def test_deletion_removes_the_person_and_keeps_their_words(
    client, plan, person, django_capture_on_commit_callbacks
):
    take_part(plan, person)
    comment_ids = set(Comment.objects.filter(author=person).values_list("pk", flat=True))
    other_session = Client()
    other_session.force_login(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = ask_to_delete(client, person)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session
    assert "Your account has been deleted." in client.get(reverse("home")).content.decode()
    # Every other session ends too.
    assert other_session.get(reverse("profile")).status_code == 302

    person.refresh_from_db()
    assert person.email == f"deleted-{person.pk}@deleted.invalid"
    assert (person.display_name, person.is_active, person.is_staff) == ("", False, False)
    assert not person.has_usable_password()
    assert person.deleted_at is not None and person.last_login is None
    assert person.get_full_name() == str(person) == DELETED

    assert not EmailAddress.objects.filter(user=person).exists()
    assert not OrganisationMembership.objects.filter(user=person).exists()
    assert not OrganisationMembership.history.filter(user_id=person.pk).exclude(message="")
    assert not MemberRole.objects.filter(user=person).exists()
    assert not Follow.objects.filter(user=person).exists()
    assert not Notification.objects.filter(user=person).exists()
    assert not NotificationSetting.objects.filter(user=person).exists()
    # The public record stays: the comments, with their text, and the votes.
    assert set(Comment.objects.filter(author=person).values_list("pk", flat=True)) == comment_ids
    assert Comment.objects.filter(author=person, body="Publish contracts within a week.").exists()
    assert Vote.objects.filter(user=person).count() == 1
    assert CommentVote.objects.filter(user=person).count() == 1

    # A last email, to the old address, says what was removed and what stays.
    (message,) = mail.outbox
    assert message.to == ["anna@example.org"]
    assert "has been deleted" in message.subject
    assert "Hello Anna Bērziņa" in message.body
    assert DELETED in message.body


def test_deletion_takes_the_roles_on_single_objects_with_their_record(client):
    """A deleted account administers nothing any more; the audit log says the person gave the
    role up, and the organisation keeps its other administrators."""
    organisation = OrganisationFactory()
    other = OrganisationMembershipFactory(organisation=organisation, admin=True).user
    person = OrganisationMembershipFactory(organisation=organisation, admin=True).user

    assert ask_to_delete(client, person).status_code == 302

    assert roles.holder_ids(ADMINISTER_ORGANISATION, organisation) == {other.pk}
    revoked = ObjectRoleChange.objects.get(user=person, granted=False)
    assert (revoked.changed_by, revoked.permission) == (person, ADMINISTER_ORGANISATION)


def test_the_accepted_invitations_forget_the_address(client, plan):
    user = UserFactory(email="officer@example.org")
    invitation = Invitation.objects.create(
        member=plan.member,
        email="officer@example.org",
        role=MemberRole.Role.OFFICER,
        token_digest=Invitation.digest("token"),
        invited_by=plan.created_by,
        expires_at=timezone.now() + datetime.timedelta(days=14),
        accepted_at=timezone.now(),
        accepted_by=user,
    )
    services.account_delete(user=user)
    invitation.refresh_from_db()
    assert invitation.email == f"deleted-{user.pk}@deleted.invalid"
    assert not Invitation.history.filter(email="officer@example.org").exists()


def test_a_deleted_user_cannot_sign_in(client, person):
    ask_to_delete(client, person)
    client.logout()
    for login in ("anna@example.org", f"deleted-{person.pk}@deleted.invalid"):
        response = client.post(
            reverse("account_login"), {"login": login, "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 200
        assert "The email address and/or password you specified are not correct." in (
            response.content.decode()
        )
        assert "_auth_user_id" not in client.session


def test_the_address_is_free_to_sign_up_again(client, person, django_capture_on_commit_callbacks):
    ask_to_delete(client, person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "anna@example.org",
                "display_name": "Anna again",
                "password1": "a-long-and-unusual-passphrase",
                "password2": "a-long-and-unusual-passphrase",
            },
        )
    again = get_user_model().objects.get(email="anna@example.org")
    assert again.pk != person.pk and again.display_name == "Anna again"
    # A confirmation link, not allauth's "you already have an account" notice.
    (message,) = mail.outbox
    assert "/accounts/confirm-email/" in message.body


# --- "Deleted participant" wherever comments are shown ---------------------------------------


@pytest.fixture
def deleted_author(client, plan, person):
    """Anna's comment on a commitment, then her account deleted."""
    commitment = plan.commitments.get()
    write_comment(plan, person, commitment, body="Name the contracting authority.")
    services.account_delete(user=person)
    person.refresh_from_db()
    return person


def assert_anonymous(text: str):
    assert DELETED in text
    assert "Bērziņa" not in text and "anna@example.org" not in text


def test_pages_sign_the_comments_deleted_participant(client, plan, person):
    """Also on a page read (and so cached for visitors) before the deletion."""
    commitment = plan.commitments.get()
    write_comment(plan, person, commitment, body="Name the contracting authority.")
    assert "Anna Bērziņa" in client.get(commitment.get_absolute_url()).content.decode()
    services.account_delete(user=person)
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Name the contracting authority." in page
    assert_anonymous(page)
    assert_anonymous(client.get(plan.get_absolute_url()).content.decode())
    report = reverse("participation:register_report", args=args_of(plan))
    assert_anonymous(client.get(report).content.decode())


def test_open_data_signs_the_comments_deleted_participant(client, plan, deleted_author):
    csv_url = reverse("commitments:plan_register", args=[plan.identifier, "csv"])
    rows = csv_records(client.get(csv_url))
    assert [r["contributor_name"] for r in rows if r["comment_status"]] == [DELETED]
    assert_anonymous(json.dumps(rows, ensure_ascii=False))
    json_url = reverse("commitments:plan_register", args=[plan.identifier, "json"])
    data = json_file(client.get(json_url))
    assert_anonymous(json.dumps(data, ensure_ascii=False))


def test_notification_emails_sign_the_comments_deleted_participant(
    plan, deleted_author, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    commitment = plan.commitments.get()
    comment = Comment.objects.get(author=deleted_author, body__startswith="Name")
    notification = Notification.objects.create(
        user=follower, kind=Notification.Kind.COMMENT, key="k", **on(commitment), comment=comment
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_emails.notification_send(notification_id=notification.pk)
    (message,) = mail.outbox
    assert_anonymous(message.subject + message.body)
    assert re.search(rf"{DELETED}\b", message.subject)


def test_a_deleted_author_is_never_notified(plan, deleted_author):
    """Replies to a deleted person's comments tell nobody: the account is inactive and has no
    address left."""
    from participation.services.comments import comment_post

    comment = Comment.objects.get(author=deleted_author, body__startswith="Name")
    comment_post(
        actor=UserFactory(), target=plan.commitments.get(), body="I agree.", parent=comment
    )
    assert not Notification.objects.filter(user=deleted_author).exists()
