"""The suite's own tools hold what the other tests rely on: the people in their roles
(tests/people.py), the factories of consultations and comments
(tests/participation/factories.py), the constant-queries check (tests/queries.py), and the
record of the URLs each test requests (tests/url_requests.py)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ogp_platform.members.models import MemberRole
from ogp_platform.members.policies import ADMINISTER_ORGANISATION
from ogp_platform.roles import holder_ids
from participation.services.comments import comment_post
from tests import url_requests
from tests.factories import UserFactory
from tests.members.factories import MemberFactory
from tests.participation.factories import CommentFactory, ConsultationFactory
from tests.people import (
    ANONYMOUS,
    CSO_MEMBER,
    FORUM,
    IRM_ASSESSOR,
    MODERATOR,
    OFFICER,
    OGP_ADMIN,
    ORG_ADMIN,
    ORG_MEMBER,
    OTHER_OFFICER,
    OTHER_ORG_ADMIN,
    POINT_OF_CONTACT,
    UNVERIFIED,
    USER,
)
from tests.plans.factories import CommitmentFactory
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db


# --- People -----------------------------------------------------------------------------------


def roles_on(user, member) -> set[str]:
    return set(MemberRole.objects.filter(user=user, member=member).values_list("role", flat=True))


def test_each_person_holds_their_role_and_only_it(people):
    """Officers, points of contact and forum members are this member's; the other officer is
    another member's; the groups' people are in their group; organisation roles are on this
    organisation, or on another one."""
    member = people.member
    assert roles_on(people[OFFICER], member) == {MemberRole.Role.OFFICER}
    assert roles_on(people[POINT_OF_CONTACT], member) == {MemberRole.Role.POINT_OF_CONTACT}
    assert roles_on(people[FORUM], member) == {MemberRole.Role.FORUM}
    assert roles_on(people[OTHER_OFFICER], member) == set()
    assert MemberRole.objects.get(user=people[OTHER_OFFICER]).member != member
    for role, group in ((OGP_ADMIN, "OGP admins"), (MODERATOR, "Moderators")):
        assert list(people[role].groups.values_list("name", flat=True)) == [group]
    assessor = people[IRM_ASSESSOR]
    assert Group.objects.get(name="IRM assessors").user_set.get() == assessor
    for role in (USER, UNVERIFIED, CSO_MEMBER):
        assert not people[role].groups.exists() and not roles_on(people[role], member)
    assert people[UNVERIFIED].emailaddress_set.get().verified is False
    assert people[USER].emailaddress_set.get().verified is True
    org_admin, other_org_admin = people[ORG_ADMIN], people[OTHER_ORG_ADMIN]
    admins = holder_ids(ADMINISTER_ORGANISATION, people.organisation)
    assert admins == {org_admin.pk}
    assert people[ORG_MEMBER].organisation_memberships.get().organisation == people.organisation
    assert other_org_admin.pk not in admins
    assert holder_ids(
        ADMINISTER_ORGANISATION, other_org_admin.organisation_memberships.get().organisation
    ) == {other_org_admin.pk}
    assert people[CSO_MEMBER].organisation_memberships.get().organisation != people.organisation


def test_people_are_made_once_on_first_use(people, django_user_model):
    """A matrix test parametrised by role makes only its row's person, the same each time."""
    assert django_user_model.objects.count() == 0
    officer = people[OFFICER]
    assert people[OFFICER] == officer
    assert django_user_model.objects.count() == 1


def test_the_people_of_another_member(people):
    other = MemberFactory()
    theirs = people.of(member=other)
    assert roles_on(theirs[OFFICER], other) == {MemberRole.Role.OFFICER}
    assert theirs[OFFICER] != people[OFFICER]


def test_signing_in(client, people):
    """The anonymous visitor stays signed out; anyone else is signed in."""
    assert people.sign_in(client, ANONYMOUS).is_authenticated is False
    assert "_auth_user_id" not in client.session
    officer = people.sign_in(client, OFFICER)
    assert client.session["_auth_user_id"] == str(officer.pk)


# --- Consultations and comments --------------------------------------------------------------


@pytest.mark.parametrize("state", ["scheduled", "open", "closed"])
def test_a_consultation_is_in_the_state_asked_for(state):
    assert ConsultationFactory(state=state).state == state


def test_a_comment_is_filed_as_the_comment_service_files_it():
    """Under its consultation's space and member, or, as open feedback, its target's."""
    consultation = ConsultationFactory()
    commitment = CommitmentFactory(plan=consultation.space)
    posted = comment_post(actor=UserFactory(), target=commitment, body="Publish the contracts.")
    for made in (
        CommentFactory(target=commitment, consultation=consultation),
        CommentFactory(target=commitment, consultation=None),
    ):
        filed = (made.space_type_id, made.space_id, made.member_id)
        assert filed == (posted.space_type_id, posted.space_id, posted.member_id)
        assert made.target == commitment
    assert CommentFactory(body="*Yes*").body_html == "<p><em>Yes</em></p>"


# --- Constant queries -------------------------------------------------------------------------


def test_queries_that_grow_with_the_data_fail_with_both_lists(django_user_model):
    """The message lists the queries of both counts, so the one made per row shows."""

    def page(size):
        for user in django_user_model.objects.all()[:size]:
            user.emailaddress_set.count()

    for number in range(3):
        user = django_user_model.objects.create(email=f"person{number}@example.org")
        user.emailaddress_set.create(email=user.email)
    with pytest.raises(AssertionError) as failure:
        assert_queries_constant(page, 1, 3)
    message = str(failure.value)
    assert "small (2 queries)" in message and "large (4 queries)" in message
    assert message.count('FROM "account_emailaddress"') == 1 + 3


def test_queries_that_do_not_grow_pass_and_are_counted(django_user_model):
    built = []

    def page(_):
        return list(django_user_model.objects.all())

    def more():
        built.append(django_user_model.objects.create(email="late@example.org"))

    assert assert_queries_constant(page, None, more) == 1
    assert built, "the large setup ran before its count"


# --- The record of requested URLs -------------------------------------------------------------


def test_the_test_client_records_each_url_this_test_requests_with_its_method(client):
    client.get(reverse("home"))
    client.post(reverse("set_language"), {"language": "lv", "next": "/"})
    client.get("/no-such-page/")
    requested = url_requests.REQUESTED[
        "tests/platform/test_test_tools.py",
        "test_the_test_client_records_each_url_this_test_requests_with_its_method",
    ]
    assert requested == {("home", "GET"), ("set_language", "POST")}
    assert url_requests.changing_requests(
        "tests/platform/test_test_tools.py", "test_the_test_client_records", "set_language"
    ) == ["test_the_test_client_records_each_url_this_test_requests_with_its_method"]
    assert not url_requests.changing_requests(
        "tests/platform/test_test_tools.py", "test_the_test_client_records", "home"
    )
