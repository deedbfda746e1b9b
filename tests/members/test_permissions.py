"""Who may change what in the members app: a permission matrix for every view that accepts POST.

Each rule has a table (actor → expected response), used by the views it governs. Anonymous
visitors are sent to the sign-in page, signed-in users without the right get 403, and those with
it are redirected on success (or see the page again, 200, where the view re-renders). Each test
then reads the database back: a refused request changed nothing, an allowed one made the change.
"""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ogp_platform import roles
from ogp_platform.members import services
from ogp_platform.members.models import (
    Institution,
    Invitation,
    Member,
    MemberRole,
    MemberStatusChange,
    OnboardingEvent,
    Organisation,
    OrganisationMembership,
    OrganisationRename,
)
from ogp_platform.members.policies import ADMINISTER_ORGANISATION
from tests.factories import UserFactory
from tests.members.factories import (
    InstitutionFactory,
    InvitationFactory,
    MemberRoleFactory,
    OnboardingFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from tests.people import (
    ANONYMOUS,
    CSO_MEMBER,
    OFFICER,
    OGP_ADMIN,
    ORG_ADMIN,
    ORG_MEMBER,
    OTHER_OFFICER,
    OTHER_ORG_ADMIN,
    POINT_OF_CONTACT,
    USER,
)

pytestmark = pytest.mark.django_db

# --- Actors (tests/people.py) -------------------------------------------------------------
# "This member" and "this organisation" are those under test (the `member` and `organisation`
# fixtures); a CSO member and another organisation's administrator belong to other ones.

INVITEE = "invitee"  # the owner of the invited email address

# Expected response: LOGIN is a redirect to the sign-in page, anything else a status code.
LOGIN = "login"


def assert_response(response, expected, *, success_url=None):
    """The response is what the table expects; a successful redirect goes to `success_url`."""
    if expected == LOGIN:
        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith("/accounts/login/")
        assert parse_qs(urlsplit(location).query)["next"] == [response.request["PATH_INFO"]]
        return
    assert response.status_code == expected
    if expected == 302 and success_url is not None:
        assert response["Location"] == success_url


def allowed(expected) -> bool:
    return expected == 302


# --- Objects under test --------------------------------------------------------------------


@pytest.fixture
def member(people):
    """An active national member."""
    return people.member


@pytest.fixture
def organisation(people, member):
    """A civil-society organisation, partner of `member` (so "officer of this member" means an
    officer of a government the organisation works with)."""
    organisation = people.organisation
    member.organisations.add(organisation)
    return organisation


@pytest.fixture
def onboarding():
    """The onboarding of a national member."""
    return OnboardingFactory()


@pytest.fixture
def local_onboarding():
    """The onboarding of a local member."""
    return OnboardingFactory(local=True)


def member_url(name, member, **kwargs):
    return reverse(f"members:{name}", kwargs={"slug": member.slug, **kwargs})


def step_url(step, onboarding):
    return reverse(f"members:onboarding_{step}", kwargs={"slug": onboarding.member.slug})


def organisation_url(name, organisation, **kwargs):
    return reverse(f"members:{name}", kwargs={"slug": organisation.slug, **kwargs})


def pdf_upload():
    return SimpleUploadedFile("letter.pdf", b"%PDF-1.4 test", content_type="application/pdf")


# === Member details and team ===============================================================

# Only OGP admins and the member's points of contact edit its details and manage its team
# (invite, remove roles, resend and revoke invitations). Officers draft plans; they do not.
TEAM_MANAGERS = [
    (ANONYMOUS, LOGIN),
    (USER, 403),
    (CSO_MEMBER, 403),
    (OFFICER, 403),
    (OTHER_OFFICER, 403),
    (POINT_OF_CONTACT, 302),
    (OGP_ADMIN, 302),
]


@pytest.mark.parametrize(("actor", "expected"), TEAM_MANAGERS)
def test_edit_member_details(client, people, member, actor, expected):
    """Only OGP admins and the member's points of contact edit the member's details."""
    people.sign_in(client, actor)
    response = client.post(
        member_url("edit", member),
        {
            "name": member.name,
            "region": "europe",
            "cohort": "odd",
            "lead_agency": "State Chancellery",
            "website": "https://gov.example",
        },
    )
    assert_response(response, expected, success_url=member.get_absolute_url())
    member.refresh_from_db()
    if allowed(expected):
        assert (member.lead_agency, member.cohort) == ("State Chancellery", "odd")
    else:
        assert (member.lead_agency, member.cohort, member.website) == ("", "", "")


@pytest.mark.parametrize(("actor", "expected"), TEAM_MANAGERS)
def test_invite_to_the_team(
    client, people, member, actor, expected, django_capture_on_commit_callbacks
):
    """Only OGP admins and the member's points of contact invite people to roles."""
    user = people.sign_in(client, actor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            member_url("team", member),
            {"email": "New.Contact@Example.org", "role": MemberRole.Role.POINT_OF_CONTACT},
        )
    assert_response(response, expected, success_url=member_url("team", member))
    if allowed(expected):
        invitation = Invitation.objects.get()
        assert (invitation.member, invitation.email, invitation.invited_by) == (
            member,
            "new.contact@example.org",
            user,
        )
        assert [message.to for message in mail.outbox] == [["new.contact@example.org"]]
    else:
        assert not Invitation.objects.exists()
        assert mail.outbox == []


@pytest.mark.parametrize(("actor", "expected"), TEAM_MANAGERS)
def test_remove_a_role(client, people, member, actor, expected):
    """Only OGP admins and the member's points of contact remove someone's role."""
    role = MemberRoleFactory(member=member, role=MemberRole.Role.FORUM)
    people.sign_in(client, actor)
    response = client.post(member_url("role_remove", member, pk=role.pk))
    assert_response(response, expected, success_url=member_url("team", member))
    assert MemberRole.objects.filter(pk=role.pk).exists() is not allowed(expected)


@pytest.mark.parametrize(("actor", "expected"), TEAM_MANAGERS)
def test_resend_an_invitation(
    client, people, member, actor, expected, django_capture_on_commit_callbacks
):
    """Only OGP admins and the member's points of contact send an invitation again."""
    invitation = InvitationFactory(member=member)
    old_digest = invitation.token_digest
    people.sign_in(client, actor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(member_url("invitation_resend", member, pk=invitation.pk))
    assert_response(response, expected, success_url=member_url("team", member))
    invitation.refresh_from_db()
    if allowed(expected):
        assert invitation.send_count == 2
        assert invitation.token_digest != old_digest
        assert [message.to for message in mail.outbox] == [[invitation.email]]
    else:
        assert (invitation.send_count, invitation.token_digest) == (1, old_digest)
        assert mail.outbox == []


@pytest.mark.parametrize(("actor", "expected"), TEAM_MANAGERS)
def test_revoke_an_invitation(client, people, member, actor, expected):
    """Only OGP admins and the member's points of contact withdraw an invitation."""
    invitation = InvitationFactory(member=member)
    user = people.sign_in(client, actor)
    response = client.post(member_url("invitation_revoke", member, pk=invitation.pk))
    assert_response(response, expected, success_url=member_url("team", member))
    invitation.refresh_from_db()
    if allowed(expected):
        assert invitation.revoked_at is not None
        assert invitation.revoked_by == user
    else:
        assert (invitation.revoked_at, invitation.revoked_by) == (None, None)
        assert invitation.status == Invitation.Status.PENDING


# === Institutions ==========================================================================

# OGP admins, the member's points of contact and its government officers manage its
# institutions; nobody else, and no officer of another member.
INSTITUTION_MANAGERS = [
    (ANONYMOUS, LOGIN),
    (USER, 403),
    (CSO_MEMBER, 403),
    (OTHER_OFFICER, 403),
    (OFFICER, 302),
    (POINT_OF_CONTACT, 302),
    (OGP_ADMIN, 302),
]


@pytest.mark.parametrize(("actor", "expected"), INSTITUTION_MANAGERS)
def test_add_an_institution(client, people, member, actor, expected):
    """OGP admins, points of contact and officers of the member add its institutions."""
    people.sign_in(client, actor)
    response = client.post(
        member_url("institution_add", member),
        {"name": "Ministry of Justice", "kind": "ministry", "website": "https://tm.gov.example"},
    )
    assert_response(response, expected, success_url=f"{member.get_absolute_url()}#institutions")
    exists = Institution.objects.filter(member=member, name="Ministry of Justice").exists()
    assert exists is allowed(expected)


@pytest.mark.parametrize(("actor", "expected"), INSTITUTION_MANAGERS)
def test_edit_an_institution(client, people, member, actor, expected):
    """OGP admins, points of contact and officers of the member edit its institutions."""
    institution = InstitutionFactory(member=member, name="Ministry of Finance")
    people.sign_in(client, actor)
    response = client.post(
        member_url("institution_edit", member, pk=institution.pk),
        {"name": "Ministry of Finance and Economy", "kind": "ministry", "website": ""},
    )
    assert_response(response, expected, success_url=f"{member.get_absolute_url()}#institutions")
    institution.refresh_from_db()
    if allowed(expected):
        assert institution.name == "Ministry of Finance and Economy"
    else:
        assert institution.name == "Ministry of Finance"


# === Status ================================================================================

# Only OGP admins change a member's status: not even the member's own point of contact.
STATUS_CHANGERS = [
    (ANONYMOUS, LOGIN),
    (USER, 403),
    (CSO_MEMBER, 403),
    (OFFICER, 403),
    (OTHER_OFFICER, 403),
    (POINT_OF_CONTACT, 403),
    (OGP_ADMIN, 302),
]


@pytest.mark.parametrize(("actor", "expected"), STATUS_CHANGERS)
def test_change_the_status(client, people, member, actor, expected):
    """Only OGP admins change a member's status; who, when and why are recorded."""
    user = people.sign_in(client, actor)
    response = client.post(
        member_url("status", member),
        {"status": Member.Status.SUSPENDED, "reason": "Acted contrary to the OGP process."},
    )
    assert_response(response, expected, success_url=member.get_absolute_url())
    member.refresh_from_db()
    if allowed(expected):
        assert member.status == Member.Status.SUSPENDED
        change = MemberStatusChange.objects.get(member=member)
        assert (change.from_status, change.to_status, change.changed_by) == (
            Member.Status.ACTIVE,
            Member.Status.SUSPENDED,
            user,
        )
    else:
        assert (member.status, member.status_reason) == (Member.Status.ACTIVE, "")
        assert not MemberStatusChange.objects.exists()


# === Onboarding ============================================================================

# Only OGP admins onboard members: starting, and every step of the checklist. The officers and
# points of contact below hold their role on the member being onboarded (for `start`: on an
# existing member).
ONBOARDERS = [
    (ANONYMOUS, LOGIN),
    (USER, 403),
    (CSO_MEMBER, 403),
    (OFFICER, 403),
    (OTHER_OFFICER, 403),
    (POINT_OF_CONTACT, 403),
    (OGP_ADMIN, 302),
]


@pytest.mark.parametrize(("actor", "expected"), ONBOARDERS)
def test_start_an_onboarding(client, people, member, actor, expected):
    """Only OGP admins start onboarding a new member."""
    user = people.sign_in(client, actor)
    response = client.post(
        reverse("members:onboarding_start"),
        {"kind": "national", "name": "Moldova", "country": "MD", "region": "europe"},
    )
    assert_response(
        response, expected, success_url=reverse("members:onboarding", kwargs={"slug": "moldova"})
    )
    started = Member.objects.filter(country="MD")
    if allowed(expected):
        moldova = started.get()
        assert moldova.status == Member.Status.ONBOARDING
        assert moldova.onboarding.started_by == user
    else:
        assert not started.exists()


@pytest.mark.parametrize(("actor", "expected"), ONBOARDERS)
def test_record_eligibility(client, people, onboarding, actor, expected):
    """Only OGP admins record the eligibility scores."""
    people.of(member=onboarding.member).sign_in(client, actor)
    response = client.post(
        step_url("eligibility", onboarding),
        {
            "fiscal_transparency": "4",
            "access_to_information": "4",
            "asset_disclosure": "3",
            "citizen_engagement": "3",
        },
    )
    assert_response(response, expected, success_url=onboarding.get_absolute_url())
    onboarding.refresh_from_db()
    if allowed(expected):
        assert list(onboarding.scores.values()) == [4, 4, 3, 3]
        assert onboarding.events.filter(step="eligibility").exists()
    else:
        assert list(onboarding.scores.values()) == [None, None, None, None]
        assert not OnboardingEvent.objects.exists()


@pytest.mark.parametrize(("actor", "expected"), ONBOARDERS)
def test_record_the_values_check(client, people, onboarding, actor, expected):
    """Only OGP admins record the values check of a country."""
    people.of(member=onboarding.member).sign_in(client, actor)
    response = client.post(
        step_url("values", onboarding), {"passed": "pass", "note": "Civic space is open."}
    )
    assert_response(response, expected, success_url=onboarding.get_absolute_url())
    onboarding.refresh_from_db()
    if allowed(expected):
        assert (onboarding.values_passed, onboarding.values_note) == (True, "Civic space is open.")
    else:
        assert (onboarding.values_passed, onboarding.values_note) == (None, "")


def test_the_values_check_does_not_exist_for_a_local_member(client, people, local_onboarding):
    """The values check applies to countries only: 404 for a local member, even to an admin."""
    people.sign_in(client, OGP_ADMIN)
    response = client.post(step_url("values", local_onboarding), {"passed": "pass", "note": ""})
    assert response.status_code == 404
    local_onboarding.refresh_from_db()
    assert local_onboarding.values_passed is None


@pytest.mark.parametrize(("actor", "expected"), ONBOARDERS)
def test_record_the_letter_of_intent(client, people, onboarding, actor, expected):
    """Only OGP admins upload the letter of intent."""
    people.of(member=onboarding.member).sign_in(client, actor)
    response = client.post(
        step_url("letter", onboarding), {"letter_date": "2026-11-02", "letter_file": pdf_upload()}
    )
    assert_response(response, expected, success_url=onboarding.get_absolute_url())
    onboarding.refresh_from_db()
    if allowed(expected):
        assert onboarding.letter_date == datetime.date(2026, 11, 2)
        assert onboarding.letter_file
    else:
        assert onboarding.letter_date is None
        assert not onboarding.letter_file


@pytest.mark.parametrize(("actor", "expected"), ONBOARDERS)
def test_set_the_partners_of_a_local_member(client, people, local_onboarding, actor, expected):
    """Only OGP admins record a local member's non-governmental partners."""
    partner = OrganisationFactory()
    people.of(member=local_onboarding.member).sign_in(client, actor)
    response = client.post(step_url("partners", local_onboarding), {"organisations": [partner.pk]})
    assert_response(response, expected, success_url=local_onboarding.get_absolute_url())
    partners = list(local_onboarding.member.organisations.all())
    assert partners == ([partner] if allowed(expected) else [])


def test_the_partners_step_does_not_exist_for_a_national_member(client, people, onboarding):
    """Partners are a step of local members only: 404 for a country, even to an admin."""
    partner = OrganisationFactory()
    people.sign_in(client, OGP_ADMIN)
    response = client.post(step_url("partners", onboarding), {"organisations": [partner.pk]})
    assert response.status_code == 404
    assert not onboarding.member.organisations.exists()


@pytest.mark.parametrize(("actor", "expected"), ONBOARDERS)
def test_set_the_lead_agency(client, people, onboarding, actor, expected):
    """Only OGP admins record the lead agency during onboarding (the `agency` form)."""
    people.of(member=onboarding.member).sign_in(client, actor)
    response = client.post(
        step_url("contacts", onboarding),
        {"agency-lead_agency": "State Chancellery", "agency": ""},
    )
    assert_response(response, expected, success_url=step_url("contacts", onboarding))
    onboarding.member.refresh_from_db()
    assert onboarding.member.lead_agency == ("State Chancellery" if allowed(expected) else "")


@pytest.mark.parametrize(("actor", "expected"), ONBOARDERS)
def test_invite_a_point_of_contact_during_onboarding(
    client, people, onboarding, actor, expected, django_capture_on_commit_callbacks
):
    """Only OGP admins invite the points of contact during onboarding (the `invite` form)."""
    people.of(member=onboarding.member).sign_in(client, actor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            step_url("contacts", onboarding),
            {
                "invite-email": "poc@gov.example",
                "invite-role": MemberRole.Role.POINT_OF_CONTACT,
                "invite": "",
            },
        )
    assert_response(response, expected, success_url=step_url("contacts", onboarding))
    invitations = Invitation.objects.filter(member=onboarding.member, email="poc@gov.example")
    if allowed(expected):
        assert invitations.count() == 1
        assert [message.to for message in mail.outbox] == [["poc@gov.example"]]
    else:
        assert not Invitation.objects.exists()
        assert mail.outbox == []


@pytest.fixture
def complete_onboarding(onboarding):
    """A national onboarding whose every step before activation is done."""
    admin = onboarding.started_by
    services.onboarding_record_eligibility(
        actor=admin,
        onboarding=onboarding,
        scores={
            "fiscal_transparency": 4,
            "access_to_information": 4,
            "asset_disclosure": 3,
            "citizen_engagement": 3,
        },
    )
    services.onboarding_record_values(actor=admin, onboarding=onboarding, passed=True, note="")
    services.onboarding_record_letter(
        actor=admin,
        onboarding=onboarding,
        letter_date=datetime.date(2026, 11, 2),
        letter_file=pdf_upload(),
    )
    services.onboarding_set_lead_agency(
        actor=admin, onboarding=onboarding, lead_agency="State Chancellery"
    )
    # A point of contact who has accepted their invitation (an invitation sent is not enough).
    contact = MemberRoleFactory(member=onboarding.member, role=MemberRole.Role.POINT_OF_CONTACT)
    InvitationFactory(
        member=onboarding.member,
        email=contact.user.email,
        role=MemberRole.Role.POINT_OF_CONTACT,
        accepted_at=contact.granted_at,
        accepted_by=contact.user,
    )
    return onboarding


@pytest.mark.parametrize(("actor", "expected"), ONBOARDERS)
def test_activate_a_member(client, people, complete_onboarding, actor, expected):
    """Only OGP admins activate a member at the end of its onboarding."""
    onboarding, member = complete_onboarding, complete_onboarding.member
    people.sign_in(client, actor)
    response = client.post(step_url("activation", onboarding))
    assert_response(response, expected, success_url=member.get_absolute_url())
    member.refresh_from_db()
    onboarding.refresh_from_db()
    if allowed(expected):
        assert member.status == Member.Status.ACTIVE
        assert member.date_joined is not None
        assert onboarding.completed_at is not None
    else:
        assert member.status == Member.Status.ONBOARDING
        assert (member.date_joined, onboarding.completed_at) == (None, None)


def test_activating_an_incomplete_onboarding_re_renders_the_step(client, people, onboarding):
    """Even an OGP admin cannot activate before the checklist is done: the page comes back
    (200) with the missing steps, and the member stays in onboarding."""
    people.sign_in(client, OGP_ADMIN)
    response = client.post(step_url("activation", onboarding))
    assert response.status_code == 200
    assert "These steps are not done yet" in response.content.decode()
    onboarding.member.refresh_from_db()
    assert onboarding.member.status == Member.Status.ONBOARDING


# === Organisations =========================================================================

# Everyone signed in may register an organisation or ask to join one.
SIGNED_IN = [
    (ANONYMOUS, LOGIN),
    (USER, 302),
    (CSO_MEMBER, 302),
    (OFFICER, 302),
    (OTHER_OFFICER, 302),
    (OGP_ADMIN, 302),
]

# OGP admins and the organisation's own approved administrators edit it and decide who speaks
# for it; its plain members, the administrators of other organisations and the officers of the
# governments it works with do not.
ORGANISATION_ADMINS = [
    (ANONYMOUS, LOGIN),
    (USER, 403),
    (CSO_MEMBER, 403),
    (OFFICER, 403),
    (OTHER_OFFICER, 403),
    (ORG_MEMBER, 403),
    (OTHER_ORG_ADMIN, 403),
    (ORG_ADMIN, 302),
    (OGP_ADMIN, 302),
]

# Only OGP admins mark an organisation as verified: not even its own administrators.
VERIFIERS = [
    (ANONYMOUS, LOGIN),
    (USER, 403),
    (CSO_MEMBER, 403),
    (OFFICER, 403),
    (OTHER_OFFICER, 403),
    (ORG_MEMBER, 403),
    (ORG_ADMIN, 403),
    (OGP_ADMIN, 302),
]


@pytest.mark.parametrize(("actor", "expected"), SIGNED_IN)
def test_register_an_organisation(client, people, member, actor, expected):
    """Everyone signed in registers organisations, and becomes the new one's administrator."""
    user = people.sign_in(client, actor)
    response = client.post(
        reverse("members:organisation_new"),
        {"name": "Open Data Collective", "kind": "cso", "country": "LV", "website": ""},
    )
    assert_response(
        response,
        expected,
        success_url=reverse("members:organisation", kwargs={"slug": "open-data-collective"}),
    )
    registered = Organisation.objects.filter(name="Open Data Collective")
    if allowed(expected):
        organisation = registered.get()
        membership = OrganisationMembership.objects.get(organisation=organisation)
        assert (membership.user, membership.status) == (
            user,
            OrganisationMembership.Status.APPROVED,
        )
        assert roles.holder_ids(ADMINISTER_ORGANISATION, organisation) == {user.pk}
    else:
        assert not registered.exists()


@pytest.mark.parametrize(("actor", "expected"), ORGANISATION_ADMINS)
def test_edit_an_organisation(client, people, member, organisation, actor, expected):
    """Only OGP admins and the organisation's administrators edit its details."""
    people.sign_in(client, actor)
    response = client.post(
        organisation_url("organisation_edit", organisation),
        {
            "name": organisation.name,
            "kind": "cso",
            "country": "LV",
            "website": "",
            "description": "Watchdog of public procurement.",
        },
    )
    assert_response(response, expected, success_url=organisation.get_absolute_url())
    organisation.refresh_from_db()
    expected_description = "Watchdog of public procurement." if allowed(expected) else ""
    assert organisation.description == expected_description


@pytest.mark.parametrize(("actor", "expected"), SIGNED_IN)
def test_ask_to_join_an_organisation(client, people, member, organisation, actor, expected):
    """Everyone signed in may ask to speak for an organisation; the request waits for approval."""
    user = people.sign_in(client, actor)
    response = client.post(
        organisation_url("organisation_join", organisation),
        {"message": "I lead the open data team."},
    )
    assert_response(response, expected, success_url=organisation.get_absolute_url())
    requests = OrganisationMembership.objects.filter(organisation=organisation)
    if allowed(expected):
        request = requests.get()
        assert (request.user, request.status, request.message) == (
            user,
            OrganisationMembership.Status.PENDING,
            "I lead the open data team.",
        )
    else:
        assert not requests.exists()


@pytest.mark.parametrize(("actor", "expected"), ORGANISATION_ADMINS)
def test_decide_a_membership_request(
    client,
    people,
    member,
    organisation,
    actor,
    expected,
    django_capture_on_commit_callbacks,
):
    """Only OGP admins and the organisation's administrators approve who speaks for it."""
    request = OrganisationMembershipFactory(
        organisation=organisation, status=OrganisationMembership.Status.PENDING
    )
    user = people.sign_in(client, actor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            organisation_url("membership_decide", organisation, pk=request.pk),
            {"decision": "approve"},
        )
    assert_response(response, expected, success_url=organisation.get_absolute_url())
    request.refresh_from_db()
    if allowed(expected):
        assert (request.status, request.decided_by) == (
            OrganisationMembership.Status.APPROVED,
            user,
        )
        assert [message.to for message in mail.outbox] == [[request.user.email]]
    else:
        assert (request.status, request.decided_by) == (
            OrganisationMembership.Status.PENDING,
            None,
        )
        assert mail.outbox == []


def test_an_organisation_admin_refuses_a_request(client, people, organisation):
    """`decision=refuse` refuses the request."""
    request = OrganisationMembershipFactory(
        organisation=organisation, status=OrganisationMembership.Status.PENDING
    )
    people.sign_in(client, ORG_ADMIN)
    response = client.post(
        organisation_url("membership_decide", organisation, pk=request.pk),
        {"decision": "refuse"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == OrganisationMembership.Status.REFUSED


@pytest.mark.parametrize(("actor", "expected"), ORGANISATION_ADMINS)
def test_organisation_administrators_made(client, people, member, organisation, actor, expected):
    """Only OGP admins and the organisation's administrators make someone who speaks for it
    one of its administrators."""
    speaker = OrganisationMembershipFactory(organisation=organisation)
    people.sign_in(client, actor)
    response = client.post(
        organisation_url("organisation_admin", organisation, pk=speaker.pk), {"grant": "1"}
    )
    assert_response(response, expected, success_url=organisation.get_absolute_url())
    admins = roles.holder_ids(ADMINISTER_ORGANISATION, organisation)
    assert (speaker.user_id in admins) is allowed(expected)


@pytest.mark.parametrize(("actor", "expected"), ORGANISATION_ADMINS)
def test_organisation_administrators_removed(client, people, member, organisation, actor, expected):
    """Only OGP admins and the organisation's administrators take the role away; the person
    still speaks for the organisation."""
    OrganisationMembershipFactory(organisation=organisation, admin=True)
    target = OrganisationMembershipFactory(organisation=organisation, admin=True)
    people.sign_in(client, actor)
    response = client.post(
        organisation_url("organisation_admin", organisation, pk=target.pk), {"grant": "0"}
    )
    assert_response(response, expected, success_url=organisation.get_absolute_url())
    admins = roles.holder_ids(ADMINISTER_ORGANISATION, organisation)
    assert (target.user_id in admins) is not allowed(expected)
    target.refresh_from_db()
    assert target.status == OrganisationMembership.Status.APPROVED


@pytest.mark.parametrize(("actor", "expected"), VERIFIERS)
def test_verify_an_organisation(client, people, member, organisation, actor, expected):
    """Only OGP admins mark an organisation as verified."""
    people.sign_in(client, actor)
    response = client.post(organisation_url("organisation_verify", organisation), {"verified": "1"})
    assert_response(response, expected, success_url=organisation.get_absolute_url())
    organisation.refresh_from_db()
    assert organisation.verified is allowed(expected)


def test_an_ogp_admin_withdraws_the_verification(client, people, organisation):
    """`verified=0` removes the mark."""
    Organisation.objects.filter(pk=organisation.pk).update(verified=True)
    people.sign_in(client, OGP_ADMIN)
    response = client.post(organisation_url("organisation_verify", organisation), {"verified": "0"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.verified is False


@pytest.mark.parametrize(("actor", "expected"), VERIFIERS)
def test_decide_a_rename(client, people, member, organisation, actor, expected):
    """Only OGP admins approve a verified organisation's new name: not even its own
    administrators, who asked for it."""
    Organisation.objects.filter(pk=organisation.pk).update(verified=True)
    rename = OrganisationRename.objects.create(
        organisation=organisation,
        old_name=organisation.name,
        new_name="Open Contracting Watch",
        requested_by=OrganisationMembershipFactory(organisation=organisation, admin=True).user,
    )
    user = people.sign_in(client, actor)
    url = organisation_url("organisation_rename", organisation, pk=rename.pk)
    # The page with the decision's form: to OGP admins only.
    assert_response(client.get(url), 200 if allowed(expected) else expected)
    response = client.post(url, {"decision": "approve", "reason": ""})
    assert_response(response, expected, success_url=organisation.get_absolute_url())
    organisation.refresh_from_db()
    rename.refresh_from_db()
    if allowed(expected):
        assert organisation.name == "Open Contracting Watch"
        assert (rename.status, rename.decided_by) == (OrganisationRename.Status.APPROVED, user)
    else:
        assert organisation.name != "Open Contracting Watch"
        assert (rename.status, rename.decided_by) == (OrganisationRename.Status.PENDING, None)


# === Accepting an invitation ===============================================================

INVITED_EMAIL = "new.officer@example.org"

# Only the owner of the invited address accepts an invitation. Anyone else signed in sees the
# page again with an error (200); an anonymous visitor sees the page (200), and a POST from them
# grants nothing.
INVITATION_ACCEPTERS = [
    (ANONYMOUS, 200),
    (USER, 200),
    (CSO_MEMBER, 200),
    (OFFICER, 200),
    (OTHER_OFFICER, 200),
    (POINT_OF_CONTACT, 200),
    (OGP_ADMIN, 200),
    (INVITEE, 302),
]


@pytest.fixture
def invitation_token(member, django_capture_on_commit_callbacks):
    """The token of an open invitation to be officer of `member`, read from the email."""
    inviter = MemberRoleFactory(member=member, role=MemberRole.Role.POINT_OF_CONTACT).user
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=inviter, member=member, email=INVITED_EMAIL, role=MemberRole.Role.OFFICER
        )
    body = mail.outbox[-1].body
    return re.search(r"/invitations/([^/\s]+)/", body).group(1)


@pytest.mark.parametrize(("actor", "expected"), INVITATION_ACCEPTERS)
def test_accept_an_invitation(client, people, member, invitation_token, actor, expected):
    """Only the user who owns the invited address gets the role by accepting."""
    if actor == INVITEE:
        user = UserFactory(email=INVITED_EMAIL)
        client.force_login(user)
    else:
        user = people.sign_in(client, actor)
    roles_before = set(MemberRole.objects.values_list("pk", flat=True))
    response = client.post(reverse("members:invitation", kwargs={"token": invitation_token}))
    assert_response(response, expected, success_url=member.get_absolute_url())
    invitation = Invitation.objects.get(email=INVITED_EMAIL)
    if allowed(expected):
        assert MemberRole.objects.filter(
            member=member, user=user, role=MemberRole.Role.OFFICER
        ).exists()
        assert invitation.accepted_by == user
        assert invitation.status == Invitation.Status.ACCEPTED
    else:
        assert set(MemberRole.objects.values_list("pk", flat=True)) == roles_before
        assert invitation.status == Invitation.Status.PENDING
        assert invitation.accepted_by is None
        page = response.content.decode()
        if not user.is_authenticated:
            assert "To accept it, create your account with this address" in page
        else:
            assert f"This invitation was sent to {INVITED_EMAIL}." in page


# === Objects of another member or organisation =============================================


def test_a_point_of_contact_cannot_remove_a_role_on_another_member(client, people, member):
    """A role is looked up within the member of the URL: another member's role is not found."""
    elsewhere = MemberRoleFactory(role=MemberRole.Role.POINT_OF_CONTACT)
    people.sign_in(client, POINT_OF_CONTACT)
    response = client.post(member_url("role_remove", member, pk=elsewhere.pk))
    assert response.status_code == 404
    assert MemberRole.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.parametrize("action", ["invitation_resend", "invitation_revoke"])
def test_a_point_of_contact_cannot_touch_another_members_invitation(client, people, member, action):
    """An invitation is looked up within the member of the URL."""
    elsewhere = InvitationFactory()
    people.sign_in(client, POINT_OF_CONTACT)
    response = client.post(member_url(action, member, pk=elsewhere.pk))
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert (elsewhere.send_count, elsewhere.revoked_at) == (1, None)


def test_an_officer_cannot_edit_another_members_institution(client, people, member):
    """An institution is looked up within the member of the URL."""
    elsewhere = InstitutionFactory(name="Ministry of Interior")
    people.sign_in(client, OFFICER)
    response = client.post(
        member_url("institution_edit", member, pk=elsewhere.pk),
        {"name": "Renamed", "kind": "ministry", "website": ""},
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.name == "Ministry of Interior"


def test_an_organisation_admin_cannot_decide_for_another_organisation(client, people, organisation):
    """A request is looked up within the organisation of the URL."""
    elsewhere = OrganisationMembershipFactory(status=OrganisationMembership.Status.PENDING)
    people.sign_in(client, ORG_ADMIN)
    response = client.post(
        organisation_url("membership_decide", organisation, pk=elsewhere.pk),
        {"decision": "approve"},
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == OrganisationMembership.Status.PENDING


# === POST-only views =======================================================================

POST_ONLY_VIEWS = [
    "role_remove",
    "invitation_resend",
    "invitation_revoke",
    "organisation_join",
    "membership_decide",
    "organisation_verify",
]


@pytest.mark.parametrize("actor", [ANONYMOUS, OGP_ADMIN])
@pytest.mark.parametrize("view", POST_ONLY_VIEWS)
def test_post_only_views_answer_get_with_405(client, people, member, organisation, view, actor):
    """Views that change something accept POST only: a GET gets 405 and changes nothing."""
    role = MemberRoleFactory(member=member, role=MemberRole.Role.FORUM)
    invitation = InvitationFactory(member=member)
    request = OrganisationMembershipFactory(
        organisation=organisation, status=OrganisationMembership.Status.PENDING
    )
    urls = {
        "role_remove": member_url("role_remove", member, pk=role.pk),
        "invitation_resend": member_url("invitation_resend", member, pk=invitation.pk),
        "invitation_revoke": member_url("invitation_revoke", member, pk=invitation.pk),
        "organisation_join": organisation_url("organisation_join", organisation),
        "membership_decide": organisation_url("membership_decide", organisation, pk=request.pk),
        "organisation_verify": organisation_url("organisation_verify", organisation),
    }
    people.sign_in(client, actor)
    response = client.get(urls[view], {"decision": "approve", "verified": "1"})
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert MemberRole.objects.filter(pk=role.pk).exists()
    invitation.refresh_from_db()
    assert (invitation.send_count, invitation.revoked_at) == (1, None)
    request.refresh_from_db()
    assert request.status == OrganisationMembership.Status.PENDING
    assert OrganisationMembership.objects.filter(organisation=organisation).count() == 1
    organisation.refresh_from_db()
    assert organisation.verified is False
