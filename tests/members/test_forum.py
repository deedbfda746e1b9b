"""The multistakeholder forum and the repository (OGP Standards 1 and 2): who records them, the
balance between government and civil society, and the warnings after six months of silence."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ogp_platform.members import forum
from ogp_platform.members.models import ForumMeeting, ForumSeat, RepositoryDocument
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
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = [ANONYMOUS, USER, CSO_MEMBER, OTHER_OFFICER, FORUM, OFFICER, POINT_OF_CONTACT, OGP_ADMIN]
MANAGERS = {FORUM, OFFICER, POINT_OF_CONTACT, OGP_ADMIN}


@pytest.fixture
def member(people):
    return people.member


def meeting(member, actor, days_ago):
    return forum.forum_meeting_save(
        actor=actor,
        member=member,
        held_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        title="Forum meeting",
        agenda="Draft commitments",
        attendance_government=3,
        attendance_civil_society=4,
    )


@pytest.mark.parametrize("role", ROLES)
def test_recording_a_meeting(client, member, people, role):
    """The member's team, its forum members and OGP admins record meetings; no one else."""
    people.sign_in(client, role)
    url = reverse("members:forum_meeting_add", args=[member.slug])
    response = client.post(
        url,
        {
            "held_on": timezone.localdate().isoformat(),
            "title": "Sesija",
            "agenda": "Plāna projekts",
            "attendance_government": 2,
            "attendance_civil_society": 3,
            "attendance_other": 0,
        },
    )
    recorded = ForumMeeting.objects.filter(member=member).exists()
    assert recorded is (role in MANAGERS)
    if role == ANONYMOUS:
        assert "/accounts/login/" in response["Location"]
    elif role not in MANAGERS:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_document(client, member, people, role):
    people.sign_in(client, role)
    client.post(
        reverse("members:document_add", args=[member.slug]),
        {
            "title": "Minutes",
            "kind": "minutes",
            "dated": "2026-10-01",
            "file": SimpleUploadedFile("minutes.pdf", PDF, "application/pdf"),
        },
    )
    assert RepositoryDocument.objects.filter(member=member).exists() is (role in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_seats_and_rules(client, member, people, role):
    people.sign_in(client, role)
    client.post(
        reverse("members:forum_seat_add", args=[member.slug]),
        {"name": "Anna", "sector": "civil_society", "joined_on": "2026-01-01"},
    )
    client.post(reverse("members:forum_rules", args=[member.slug]), {"forum_rules": "Monthly."})
    member.refresh_from_db()
    assert ForumSeat.objects.filter(member=member).exists() is (role in MANAGERS)
    assert (member.forum_rules == "Monthly.") is (role in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_changing_and_removing_forum_records(client, member, people, role):
    """Changing a seat or a meeting and removing a document: the member's team, its forum
    members and OGP admins; anonymous visitors are sent to sign in, others refused."""
    seat = ForumSeat.objects.create(
        member=member, name="Anna", sector="civil_society", joined_on=datetime.date(2026, 1, 1)
    )
    recorded = meeting(member, people[OFFICER], days_ago=5)
    document = RepositoryDocument.objects.create(
        member=member,
        title="Minutes",
        kind="minutes",
        dated=datetime.date(2026, 1, 1),
        url="https://gov.example/minutes",
        added_by=people[OFFICER],
    )
    people.sign_in(client, role)
    responses = [
        client.post(
            reverse("members:forum_seat_edit", args=[member.slug, seat.pk]),
            {"name": "Anna B.", "sector": "civil_society", "joined_on": "2026-01-01"},
        ),
        client.post(
            reverse("members:forum_meeting_edit", args=[member.slug, recorded.pk]),
            {
                "held_on": recorded.held_on.isoformat(),
                "title": "Renamed",
                "agenda": "Draft commitments",
                "attendance_government": 3,
                "attendance_civil_society": 4,
                "attendance_other": 0,
            },
        ),
        client.post(reverse("members:document_remove", args=[member.slug, document.pk])),
    ]
    seat.refresh_from_db()
    recorded.refresh_from_db()
    allowed = role in MANAGERS
    assert (seat.name == "Anna B.") is allowed
    assert (recorded.title == "Renamed") is allowed
    assert RepositoryDocument.objects.filter(pk=document.pk).exists() is not allowed
    for response in responses:
        if allowed:
            assert response.status_code == 302
        elif role == ANONYMOUS:
            assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403


def test_the_forum_page_is_public_and_shows_the_balance(client, member, people):
    for name, sector in (("A", "government"), ("B", "civil_society"), ("C", "civil_society")):
        ForumSeat.objects.create(
            member=member, name=name, sector=sector, joined_on=datetime.date(2026, 1, 1)
        )
    ForumSeat.objects.create(
        member=member,
        name="Gone",
        sector="government",
        joined_on=datetime.date(2024, 1, 1),
        left_on=datetime.date(2025, 1, 1),
    )
    response = client.get(reverse("members:forum", args=[member.slug]))
    html = response.content.decode()
    assert "Government: 1 · Civil society: 2 · Other: 0" in html
    assert "Balanced" in html
    assert "Former members" in html


def test_warnings_after_six_months_without_a_meeting_or_a_document(client, member, people):
    """The member page warns when the forum has not met, or the repository has not grown, in
    the last six months; recent activity clears the warnings."""
    meeting(member, people[OFFICER], days_ago=200)
    page = client.get(member.get_absolute_url()).content.decode()
    assert "has not met in the last six months" in page
    assert "The repository holds no document yet." in page

    meeting(member, people[OFFICER], days_ago=10)
    forum.document_add(
        actor=people[OFFICER],
        member=member,
        title="Draft",
        kind="draft",
        dated=datetime.date(2026, 11, 1),
        url="https://example.org/draft.pdf",
    )
    page = client.get(member.get_absolute_url()).content.decode()
    assert "has not met" not in page and "repository holds no document" not in page


def test_a_meeting_in_the_future_is_refused(member, people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        meeting(member, people[OFFICER], days_ago=-3)
    assert "held_on" in error.value.message_dict


def test_a_document_needs_a_link_or_a_pdf(client, member, people):
    people.sign_in(client, OFFICER)
    url = reverse("members:document_add", args=[member.slug])
    response = client.post(url, {"title": "T", "kind": "report", "dated": "2026-10-01"})
    assert "either a link or a PDF" in response.content.decode()
    fake = SimpleUploadedFile("report.pdf", b"<html>", "application/pdf")
    response = client.post(
        url, {"title": "T", "kind": "report", "dated": "2026-10-01", "file": fake}
    )
    assert "not a PDF" in response.content.decode()
    assert not RepositoryDocument.objects.exists()


def test_forum_page_queries_do_not_grow(client, member, people):
    def more():
        for days in range(6, 16):
            meeting(member, people[OFFICER], days_ago=days)
            ForumSeat.objects.create(
                member=member, name=f"P{days}", sector="other", joined_on=datetime.date(2026, 1, 1)
            )

    meeting(member, people[OFFICER], days_ago=5)
    forum_page = reverse("members:forum", args=[member.slug])
    assert_queries_constant(lambda _: get_ok(client, forum_page), None, more)
