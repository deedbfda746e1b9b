"""Who wrote it, as readers see it (issue 13, point 2): what a member's officers write carries
the member's official mark, which nobody else can get; what people write for an organisation
says whether OGP verified it. In the thread, the register, the public report and its files."""

import re

import pytest
from django.urls import reverse

from participation.links import args_of
from participation.models import Comment
from tests.factories import UserFactory
from tests.members.factories import (
    LocalMemberFactory,
    MemberFactory,
    MemberRoleFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from tests.opendata.helpers import csv_records
from tests.participation.factories import ConsultationFactory
from tests.participation.test_comments import post
from tests.participation.test_register import respond
from tests.plans.factories import ActionPlanFactory

pytestmark = pytest.mark.django_db

OFFICER_NAME = "Inese Kalniņa"


@pytest.fixture
def latvia():
    return MemberFactory(country="LV", name="Latvia")


@pytest.fixture
def plan(latvia):
    plan = ActionPlanFactory(member=latvia, status="cocreation", published=True)
    ConsultationFactory(space=plan)
    return plan


def officer_of(member, role="officer"):
    return MemberRoleFactory(member=member, role=role, user__display_name=OFFICER_NAME).user


def thread(client, target) -> str:
    url = reverse("participation:comments_discussion", args=args_of(target))
    return client.get(url).content.decode()


def author_line(page: str, comment: Comment) -> str:
    """The header of one comment in the thread: who wrote it, and when."""
    match = re.search(
        rf'<header class="comment__meta" id="comment-{comment.pk}-meta">(.*?)</header>',
        page,
        re.S,
    )
    assert match, f"comment {comment.pk} is not in the page"
    return re.sub(rf"comment-{comment.pk}\b|\d{{1,2}}:\d\d|<time[^>]*>", "", match.group(1))


def official_marks(html: str) -> list[str]:
    return re.findall(
        r'<span class="official-mark"><span class="visually-hidden">Official: </span>'
        r"<bdi>(.*?)</bdi></span>",
        html,
    )


@pytest.mark.parametrize("role", ["officer", "point_of_contact"])
def test_an_officers_reply_carries_the_official_mark(client, plan, latvia, role):
    """The member's officers (those who respond to inputs) write with its official mark."""
    top = post(UserFactory(), plan, "When will the register be open?")
    reply = post(officer_of(latvia, role), plan, "In March.", parent=top)
    assert reply.official_member == latvia
    assert official_marks(thread(client, plan)) == ["Government of Latvia"]


def test_a_citizen_with_the_officers_name_does_not_look_like_the_officer(client, plan, latvia):
    """The review's case: a citizen took the display name of Latvia's officer. Their reply is
    not marked, and its author line differs from the officer's."""
    top = post(UserFactory(), plan, "When will the register be open?")
    official = post(officer_of(latvia), plan, "In March.", parent=top)
    impostor = post(UserFactory(display_name=OFFICER_NAME), plan, "Never.", parent=top)
    assert impostor.official_member is None
    page = thread(client, plan)
    assert author_line(page, official) != author_line(page, impostor)
    assert official_marks(author_line(page, official)) == ["Government of Latvia"]
    assert official_marks(author_line(page, impostor)) == []


def test_nobody_can_ask_for_the_mark(client, plan, latvia):
    """The mark comes from the author's roles, never from what the request says."""
    client.force_login(UserFactory())
    response = client.post(
        reverse("participation:comment_post", args=args_of(plan)),
        {"body": "I speak for the government.", "official_member": latvia.pk, "next": "/"},
    )
    assert response.status_code == 302
    assert Comment.objects.get().official_member is None


def test_an_officer_of_another_member_writes_as_anyone(plan):
    """An officer of Estonia commenting on Latvia's plan speaks for no government here."""
    other = officer_of(MemberFactory(country="EE"))
    assert post(other, plan).official_member is None


def test_a_forum_member_is_not_an_officer(plan, latvia):
    assert post(officer_of(latvia, "forum"), plan).official_member is None


def test_the_mark_stays_on_what_an_officer_wrote_after_they_leave(client, plan, latvia):
    """Decided when the comment is written, and stored: the role may end, the record stays."""
    officer = officer_of(latvia)
    comment = post(officer, plan, "We will publish it.")
    officer.member_roles.all().delete()
    comment.refresh_from_db()
    assert comment.official_member == latvia
    assert official_marks(thread(client, plan)) == ["Government of Latvia"]
    # A new request reads the roles again: the former officer now writes as anyone.
    former = type(officer).objects.get(pk=officer.pk)
    assert post(former, plan, "Now I write as myself.").official_member is None


def test_a_local_members_mark_names_its_local_government(client):
    madrid = LocalMemberFactory(name="Madrid")
    plan = ActionPlanFactory(member=madrid, status="cocreation", published=True)
    ConsultationFactory(space=plan)
    post(officer_of(madrid), plan)
    assert official_marks(thread(client, plan)) == ["Local government of Madrid"]


def test_the_register_the_report_and_their_files_show_the_mark(client, plan, latvia):
    """An officer's comment is an input like any other, and says who wrote it there too; every
    response carries the member's mark, since only its officers give them."""
    officer = officer_of(latvia)
    official = post(officer, plan, "Our own proposal.")
    citizen = post(UserFactory(display_name=OFFICER_NAME), plan, "A proposal.")
    respond(officer, citizen.input, reason="Taken into commitment 1.")
    space = args_of(plan)
    client.force_login(officer)
    for name in ("participation:register", "participation:register_report"):
        page = client.get(reverse(name, args=space)).content.decode()
        official_input = page.split(f'id="input-{official.input.pk}"')[1].split("</li>")[0]
        citizen_input = page.split(f'id="input-{citizen.input.pk}"')[1].split("</li>")[0]
        assert official_marks(official_input) == ["Government of Latvia"], name
        # The citizen's input: no mark on its author; the mark on the government's response.
        assert official_marks(citizen_input.split("register-input__response")[0]) == [], name
        assert official_marks(citizen_input.split("register-input__response")[1]) == [
            "Government of Latvia"
        ], name
    rows = {
        int(row["input_number"]): row
        for row in csv_records(
            client.get(reverse("commitments:plan_register", args=[plan.identifier, "csv"]))
        )
    }
    assert rows[official.input.pk]["official_member"] == "Latvia"
    assert rows[citizen.input.pk]["official_member"] == ""


# --- Organisations: verified or not ----------------------------------------------------------


def speaking_for(organisation):
    return OrganisationMembershipFactory(organisation=organisation).user


def test_comments_for_an_organisation_say_whether_it_is_verified(client, plan):
    """The review's case: a copy of a verified CSO (registered before names were unique) and
    the CSO itself comment; readers tell them apart, in the thread, the register and its file."""
    real = OrganisationFactory(name="Delna", verified=True)
    copy = OrganisationFactory(name="Delna copy", verified=False)
    genuine = post(speaking_for(real), plan, "For.", organisation=real)
    fake = post(speaking_for(copy), plan, "For!", organisation=copy)
    page = thread(client, plan)
    assert "Verified organisation" in author_line(page, genuine)
    assert "Not verified" in author_line(page, fake)
    assert "Verified organisation" not in author_line(page, fake)
    report = client.get(
        reverse("participation:register_report", args=args_of(plan))
    ).content.decode()
    assert (
        "Verified organisation"
        in report.split(f'id="input-{genuine.input.pk}"')[1].split("</li>")[0]
    )
    assert "Not verified" in report.split(f'id="input-{fake.input.pk}"')[1].split("</li>")[0]
    rows = {
        int(row["input_number"]): row
        for row in csv_records(
            client.get(reverse("commitments:plan_register", args=[plan.identifier, "csv"]))
        )
    }
    assert rows[genuine.input.pk]["organisation_verified"] == "true"
    assert rows[fake.input.pk]["organisation_verified"] == "false"
