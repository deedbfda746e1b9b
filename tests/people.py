"""People in their roles, for permission matrices and for any test that needs someone who holds
a role. The `people` fixture (tests/conftest.py) gives a `People`.

Each person is made the first time a test asks for them (`people[OFFICER]`), so a matrix test
parametrised by role makes only the person of its row. "This member" and "this organisation" are
`people.member` and `people.organisation`: made on first use, so a test builds its plan with
`member=people.member`; `people.of(member=…)` gives the people of another member.
"""

from django.contrib.auth.models import AnonymousUser, Group

from ogp_platform.members.models import MemberRole
from ogp_platform.members.policies import OGP_ADMINS_GROUP
from tests.factories import UserFactory
from tests.members.factories import (
    MemberFactory,
    MemberRoleFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)

ANONYMOUS = "anonymous"  # not signed in
UNVERIFIED = "unverified"  # signed up, email address not verified yet
USER = "user"  # signed in with a verified email address, no role anywhere
CSO_MEMBER = "cso_member"  # approved member of an organisation (not this organisation)
FORUM = "forum"  # member of this member's multistakeholder forum
OFFICER = "officer"  # government officer of this member
POINT_OF_CONTACT = "point_of_contact"  # point of contact of this member
OTHER_OFFICER = "other_officer"  # government officer of another member
OGP_ADMIN = "ogp_admin"  # in the group "OGP admins"
MODERATOR = "moderator"  # in the group "Moderators"
IRM_ASSESSOR = "irm_assessor"  # in the group "IRM assessors"
ORG_ADMIN = "org_admin"  # approved administrator of this organisation
ORG_MEMBER = "org_member"  # approved member, not administrator, of this organisation
OTHER_ORG_ADMIN = "other_org_admin"  # approved administrator of another organisation

GROUPS = {OGP_ADMIN: OGP_ADMINS_GROUP, MODERATOR: "Moderators", IRM_ASSESSOR: "IRM assessors"}
MEMBER_ROLES = {
    FORUM: MemberRole.Role.FORUM,
    OFFICER: MemberRole.Role.OFFICER,
    POINT_OF_CONTACT: MemberRole.Role.POINT_OF_CONTACT,
}


class People:
    """One person in each role, made on first use and the same for the rest of the test."""

    def __init__(self, *, member=None, organisation=None):
        self._member = member
        self._organisation = organisation
        self._made = {}

    @property
    def member(self):
        """The member whose officers, points of contact and forum are "this member's"."""
        if self._member is None:
            self._member = MemberFactory()
        return self._member

    @property
    def organisation(self):
        """The organisation whose administrators and members are "this organisation's"."""
        if self._organisation is None:
            self._organisation = OrganisationFactory()
        return self._organisation

    def of(self, *, member=None, organisation=None) -> "People":
        """The people of another member or organisation (those of no member are made again)."""
        return People(member=member, organisation=organisation)

    def __getitem__(self, role: str):
        if role not in self._made:
            self._made[role] = self._make(role)
        return self._made[role]

    def sign_in(self, client, role: str):
        """Sign the test client in as the person in `role` (anonymous: not signed in), and
        return them."""
        person = self[role]
        if person.is_authenticated:
            client.force_login(person)
        return person

    def _make(self, role: str):
        if role == ANONYMOUS:
            return AnonymousUser()
        if role == UNVERIFIED:
            return UserFactory(verified=False)
        if role == USER:
            return UserFactory()
        if role == CSO_MEMBER:
            return OrganisationMembershipFactory().user
        if role in MEMBER_ROLES:
            return MemberRoleFactory(member=self.member, role=MEMBER_ROLES[role]).user
        if role == OTHER_OFFICER:
            return MemberRoleFactory(member=MemberFactory(), role=MemberRole.Role.OFFICER).user
        if role in GROUPS:
            user = UserFactory()
            Group.objects.get(name=GROUPS[role]).user_set.add(user)
            return user
        if role == ORG_ADMIN:
            return OrganisationMembershipFactory(organisation=self.organisation, admin=True).user
        if role == ORG_MEMBER:
            return OrganisationMembershipFactory(organisation=self.organisation).user
        if role == OTHER_ORG_ADMIN:
            return OrganisationMembershipFactory(admin=True).user
        raise ValueError(f"unknown role {role!r}")
