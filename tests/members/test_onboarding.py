"""The onboarding of a new member, end to end through the web client, as an OGP admin does it."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ogp_platform.members import policies
from ogp_platform.members.models import (
    Invitation,
    Member,
    MemberRole,
    MemberStatusChange,
    Onboarding,
    Organisation,
    OrganisationMembership,
)
from ogp_platform.members.selectors import onboarding_checklist
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def admin(client):
    user = UserFactory(display_name="Ada Admin")
    Group.objects.get(name=policies.OGP_ADMINS_GROUP).user_set.add(user)
    return user


@pytest.fixture
def admin_client(admin):
    client = Client()
    client.force_login(admin)
    return client


def start(client, **overrides):
    data = {
        "kind": "national",
        "name": "Moldova",
        "country": "MD",
        "region": "europe",
        "cohort": "even",
        "website": "https://gov.md",
        **overrides,
    }
    return client.post(reverse("members:onboarding_start"), data)


def step_url(name, slug="moldova"):
    return reverse(f"members:onboarding_{name}", kwargs={"slug": slug})


def invitation_link():
    return re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)


def send_invitation(client, capture, email, slug="moldova", role="point_of_contact"):
    with capture(execute=True):
        return client.post(
            step_url("contacts", slug),
            {"invite-email": email, "invite-role": role, "invite": ""},
        )


def complete_national(client, capture):
    """Every step before activation, with valid input."""
    start(client)
    client.post(
        step_url("eligibility"),
        {
            "fiscal_transparency": "4",
            "access_to_information": "4",
            "asset_disclosure": "2",
            "citizen_engagement": "2",
        },
    )
    client.post(step_url("values"), {"passed": "pass", "note": ""})
    client.post(
        step_url("letter"),
        {
            "letter_date": "2026-11-02",
            "letter_file": SimpleUploadedFile("l.pdf", PDF, "application/pdf"),
        },
    )
    client.post(step_url("contacts"), {"agency-lead_agency": "State Chancellery", "agency": ""})
    send_invitation(client, capture, "poc@gov.md")
    return Member.objects.get(slug="moldova")


def test_starting_creates_a_hidden_member_with_a_checklist(admin_client, client):
    response = start(admin_client)
    assert response.status_code == 302
    member = Member.objects.get(slug="moldova")
    assert (member.status, member.country_alpha3, member.kind) == ("onboarding", "MDA", "national")
    assert response["Location"] == reverse("members:onboarding", kwargs={"slug": "moldova"})
    page = admin_client.get(response["Location"]).content.decode()
    assert "Eligibility" in page and "Values check" in page and "Non-governmental" not in page
    assert client.get(member.get_absolute_url()).status_code == 404
    assert "Moldova" not in client.get(reverse("members:directory")).content.decode()


def test_start_form_errors_change_nothing(admin_client):
    response = start(admin_client, kind="local", local_code="", country="XX")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "A local member needs a three-letter code." in html
    assert not Member.objects.exists()


def test_eligibility_rejects_a_score_of_5_and_keeps_what_was_saved(admin_client):
    start(admin_client)
    ok = {
        "fiscal_transparency": "3",
        "access_to_information": "3",
        "asset_disclosure": "3",
        "citizen_engagement": "",
    }
    admin_client.post(step_url("eligibility"), ok)
    response = admin_client.post(step_url("eligibility"), {**ok, "fiscal_transparency": "5"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    onboarding = Onboarding.objects.get()
    assert onboarding.scores == {
        "fiscal_transparency": 3,
        "access_to_information": 3,
        "asset_disclosure": 3,
        "citizen_engagement": None,
    }
    assert onboarding.events.filter(step="eligibility").count() == 1


def test_eligibility_preview_applies_the_rule_live(admin_client):
    start(admin_client)
    response = admin_client.get(
        step_url("eligibility"),
        {
            "preview": "1",
            "fiscal_transparency": "4",
            "access_to_information": "4",
            "asset_disclosure": "",
            "citizen_engagement": "",
        },
    )
    assert response.json()["outcome"] == "not_enough_data"
    response = admin_client.get(
        step_url("eligibility"),
        {
            "preview": "1",
            "fiscal_transparency": "4",
            "access_to_information": "4",
            "asset_disclosure": "2",
            "citizen_engagement": "1",
        },
    )
    assert response.json() == {
        "outcome": "not_eligible",
        "label": "Not eligible",
        "points": 11,
        "available": 16,
    }
    assert not Onboarding.objects.get().events.filter(step="eligibility").exists()


def test_not_eligible_blocks_the_checklist(admin_client):
    start(admin_client)
    admin_client.post(
        step_url("eligibility"),
        {
            "fiscal_transparency": "0",
            "access_to_information": "1",
            "asset_disclosure": "1",
            "citizen_engagement": "1",
        },
    )
    page = admin_client.get(reverse("members:onboarding", kwargs={"slug": "moldova"}))
    assert "Blocked" in page.content.decode()


def test_failed_values_check_needs_a_note(admin_client):
    start(admin_client)
    response = admin_client.post(step_url("values"), {"passed": "fail", "note": " "})
    assert "Explain why the values check failed." in response.content.decode()
    assert Onboarding.objects.get().values_passed is None


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Upload the letter of intent as a PDF."),
        (
            SimpleUploadedFile("letter.pdf", b"<html>not a pdf</html>", "application/pdf"),
            "The file is not a PDF document.",
        ),
        (SimpleUploadedFile("letter.exe", PDF, "application/pdf"), "File extension"),
    ],
)
def test_letter_must_be_a_pdf(admin_client, upload, message):
    start(admin_client)
    data = {"letter_date": "2026-11-02"}
    if upload is not None:
        data["letter_file"] = upload
    response = admin_client.post(step_url("letter"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Onboarding.objects.get().letter_file


def test_letter_over_10_mb_is_refused(admin_client, settings):
    start(admin_client)
    big = SimpleUploadedFile("letter.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
    response = admin_client.post(
        step_url("letter"), {"letter_date": "2026-11-02", "letter_file": big}
    )
    assert "the limit is 10.0" in response.content.decode()


def test_letter_is_kept_and_downloadable_by_admins_only(admin_client, client):
    start(admin_client)
    admin_client.post(
        step_url("letter"),
        {
            "letter_date": "2026-11-02",
            "letter_file": SimpleUploadedFile("l.pdf", PDF, "application/pdf"),
        },
    )
    # Changing only the date keeps the file on record.
    response = admin_client.post(step_url("letter"), {"letter_date": "2026-11-03"})
    assert response.status_code == 302
    onboarding = Onboarding.objects.get()
    assert onboarding.letter_date == datetime.date(2026, 11, 3) and onboarding.letter_file
    download = admin_client.get(step_url("letter_file"))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    other = UserFactory()
    client.force_login(other)
    assert client.get(step_url("letter_file")).status_code == 403


def test_activation_needs_every_step(admin_client):
    start(admin_client)
    response = admin_client.post(step_url("activation"))
    assert response.status_code == 200
    assert "These steps are not done yet" in response.content.decode()
    assert Member.objects.get().status == "onboarding"


def test_whole_onboarding_and_a_new_user_accepting(
    admin_client, client, admin, django_capture_on_commit_callbacks
):
    member = complete_national(admin_client, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["poc@gov.md"]
    link = invitation_link()

    # The point of contact opens the link, signs up with the invited address and lands on the
    # member's page with the right to draft: no second confirmation email is needed.
    assert client.get(link).status_code == 200
    response = client.post(
        reverse("account_signup") + f"?next={link}",
        {
            "email": "poc@gov.md",
            "display_name": "Ion Popescu",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
            "next": link,
        },
    )
    assert response.status_code == 302 and response["Location"] == link
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    poc = MemberRole.objects.get(member=member, role="point_of_contact").user
    assert poc.email == "poc@gov.md" and poc.emailaddress_set.get().verified
    assert policies.can_draft_plans(poc, member)
    page = client.get(member.get_absolute_url()).content.decode()
    assert "You may draft this member" in page and "Ion Popescu" in page
    assert "poc@gov.md" not in page  # private email addresses are never shown

    # Accepting twice does nothing more.
    assert client.post(link).status_code == 302
    assert MemberRole.objects.filter(member=member).count() == 1
    assert Invitation.objects.get().status == "accepted"

    # With a point of contact in place, the member can be activated.
    response = admin_client.post(step_url("activation"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "active"
    assert member.date_joined == timezone.localdate()
    change = MemberStatusChange.objects.get(member=member)
    assert (change.from_status, change.to_status, change.changed_by) == (
        "onboarding",
        "active",
        admin,
    )
    steps = {e.step for e in member.onboarding.events.all()}
    assert {"eligibility", "values", "letter", "contacts", "activation"} <= steps


def _contacts_done(member) -> bool:
    return {s.key: s.done for s in onboarding_checklist(member.onboarding)}["contacts"]


def test_contacts_step_waits_for_a_point_of_contact_to_accept(
    admin_client, client, django_capture_on_commit_callbacks
):
    """A sent invitation, an expired one, or an officer who accepted theirs leaves the contacts
    step to do and activation refused; the step is done once an invited point of contact has
    accepted, and to do again if their role is removed."""
    capture = django_capture_on_commit_callbacks
    member = complete_national(admin_client, capture)
    poc_link = invitation_link()
    assert not _contacts_done(member)
    page = admin_client.get(step_url("contacts")).content.decode()
    assert "A sent invitation is not enough." in page
    response = admin_client.post(step_url("activation"))
    assert "These steps are not done yet: Lead agency and points of contact." in (
        response.content.decode()
    )

    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert not _contacts_done(member)
    Invitation.objects.update(expires_at=timezone.now() + datetime.timedelta(days=1))

    send_invitation(admin_client, capture, "officer@gov.md", role="officer")
    client.force_login(UserFactory(email="officer@gov.md"))
    client.post(invitation_link())
    assert MemberRole.objects.filter(member=member, role="officer").exists()
    assert not _contacts_done(member)

    poc = UserFactory(email="poc@gov.md")
    client.force_login(poc)
    client.post(poc_link)
    assert _contacts_done(member)
    assert "A sent invitation is not enough." not in (
        admin_client.get(step_url("contacts")).content.decode()
    )

    MemberRole.objects.get(member=member, user=poc).delete()
    assert Invitation.objects.get(email="poc@gov.md").status == "accepted"
    assert not _contacts_done(member)
    assert admin_client.post(step_url("activation")).status_code == 200
    member.refresh_from_db()
    assert member.status == "onboarding"


def test_partner_picker_tells_organisations_of_similar_names_apart(admin_client):
    """Each choice names the organisation's country, whether it is verified and how many people
    speak for it, in the same number of queries however many organisations there are."""
    start(admin_client, kind="local", name="Chișinău", local_code="chi", country="MD")
    latvian = Organisation.objects.create(
        name="Open Data Watch", slug="odw-lv", country="LV", verified=True
    )
    for status in ("approved", "approved", "pending"):
        OrganisationMembership.objects.create(
            organisation=latvian, user=UserFactory(), status=status
        )
    # Names that differ only in a hyphen: the same to the eye, both allowed.
    Organisation.objects.create(name="Open-Data Watch", slug="odw-md", country="MD")
    url = step_url("partners", "chisinau")
    page = admin_client.get(url).content.decode()
    assert "Open Data Watch (Latvia · verified · 2 people)" in page
    assert "Open-Data Watch (Moldova · not verified · 0 people)" in page

    def more():
        for i in range(10):
            organisation = Organisation.objects.create(
                name=f"Org {i}", slug=f"org-{i}", country="MD"
            )
            OrganisationMembership.objects.create(
                organisation=organisation, user=UserFactory(), status="approved"
            )

    assert_queries_constant(lambda _: get_ok(admin_client, url), None, more)
    page = admin_client.get(url).content.decode()
    assert "Org 9 (Moldova · not verified · 1 person)" in page


def test_an_existing_user_accepts_and_gets_the_role_on_this_member_only(
    admin_client, client, django_capture_on_commit_callbacks
):
    start(admin_client)
    existing = UserFactory(email="officer@gov.md")
    send_invitation(
        admin_client, django_capture_on_commit_callbacks, "officer@gov.md", role="officer"
    )
    link = invitation_link()
    response = client.post(
        reverse("account_login") + f"?next={link}",
        {"login": "officer@gov.md", "password": DEFAULT_PASSWORD, "next": link},
    )
    assert response["Location"] == link
    client.post(link)
    assert MemberRole.objects.filter(user=existing, role="officer").count() == 1
    other = Member.objects.create(
        kind="national",
        name="Other",
        slug="other",
        country="FI",
        country_alpha3="FIN",
        region="europe",
        status="active",
    )
    assert policies.can_draft_plans(existing, Member.objects.get(slug="moldova"))
    assert not policies.can_draft_plans(existing, other)


def test_someone_else_cannot_use_the_link(admin_client, client, django_capture_on_commit_callbacks):
    start(admin_client)
    send_invitation(admin_client, django_capture_on_commit_callbacks, "poc@gov.md")
    link = invitation_link()
    client.force_login(UserFactory(email="intruder@example.org"))
    response = client.post(link, follow=True)
    assert "Sign in with that address to accept it." in response.content.decode()
    assert not MemberRole.objects.exists()


def test_expired_invitation(admin_client, client, django_capture_on_commit_callbacks):
    start(admin_client)
    send_invitation(admin_client, django_capture_on_commit_callbacks, "poc@gov.md")
    link = invitation_link()
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(UserFactory(email="poc@gov.md"))
    response = client.get(link)
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    client.post(link)
    assert not MemberRole.objects.exists()


def test_resend_replaces_the_link(admin_client, client, django_capture_on_commit_callbacks):
    start(admin_client)
    send_invitation(admin_client, django_capture_on_commit_callbacks, "poc@gov.md")
    old_link = invitation_link()
    invitation = Invitation.objects.get()
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("members:invitation_resend", args=["moldova", invitation.pk]))
    new_link = invitation_link()
    assert new_link != old_link and len(mail.outbox) == 2
    invitation.refresh_from_db()
    assert invitation.status == "pending" and invitation.send_count == 2
    assert client.get(old_link).status_code == 404
    client.force_login(UserFactory(email="poc@gov.md"))
    client.post(new_link)
    assert MemberRole.objects.filter(role="point_of_contact").exists()


def test_revoked_invitation(admin_client, client, django_capture_on_commit_callbacks):
    start(admin_client)
    send_invitation(admin_client, django_capture_on_commit_callbacks, "poc@gov.md")
    link = invitation_link()
    invitation = Invitation.objects.get()
    admin_client.post(reverse("members:invitation_revoke", args=["moldova", invitation.pk]))
    client.force_login(UserFactory(email="poc@gov.md"))
    assert client.get(link).status_code == 410
    client.post(link)
    assert not MemberRole.objects.exists()
    # A revoked invitation no longer blocks inviting the same address again.
    response = send_invitation(admin_client, django_capture_on_commit_callbacks, "poc@gov.md")
    assert response.status_code == 302


def test_invalid_address_and_duplicate_invitation(admin_client, django_capture_on_commit_callbacks):
    start(admin_client)
    response = send_invitation(admin_client, django_capture_on_commit_callbacks, "not-an-address")
    assert "Enter a valid email address." in response.content.decode()
    send_invitation(admin_client, django_capture_on_commit_callbacks, "poc@gov.md")
    response = send_invitation(admin_client, django_capture_on_commit_callbacks, "POC@gov.md")
    assert "already has an open invitation" in response.content.decode()
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_unknown_token(client):
    response = client.get(reverse("members:invitation", args=["no-such-token"]))
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_local_member_names_a_partner_and_skips_the_values_check(
    admin_client, django_capture_on_commit_callbacks
):
    start(admin_client, kind="local", name="Chișinău", local_code="chi", country="MD")
    member = Member.objects.get()
    assert (member.slug, member.local_code, member.commitment_prefix) == ("chisinau", "CHI", "CHI")
    assert admin_client.get(step_url("values", "chisinau")).status_code == 404
    response = admin_client.post(step_url("partners", "chisinau"), {})
    assert response.status_code == 200 and not member.organisations.exists()
    partner = Organisation.objects.create(
        name="Asociația Promo-LEX", slug="promo-lex", country="MD"
    )
    admin_client.post(step_url("partners", "chisinau"), {"organisations": [partner.pk]})
    assert list(member.organisations.all()) == [partner]
    steps = {s.key: s.done for s in onboarding_checklist(member.onboarding)}
    assert steps["partners"] is True and "values" not in steps


def test_admin_can_leave_and_resume(admin_client):
    """Each step saves on its own; the dashboard shows where each onboarding waits."""
    start(admin_client)
    admin_client.post(
        step_url("eligibility"),
        {
            "fiscal_transparency": "4",
            "access_to_information": "4",
            "asset_disclosure": "4",
            "citizen_engagement": "4",
        },
    )
    dashboard = admin_client.get(reverse("members:onboarding_dashboard")).content.decode()
    assert "Moldova" in dashboard and "Values check" in dashboard
    assert "1/5" in dashboard
