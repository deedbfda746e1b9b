"""Factories for members, their institutions and roles, organisations and onboardings.

They respect the constraints of `ogp_platform.members.models`: a national member has no parent
and an empty local code, and is the only national member of its country; a local member has a
unique three-letter local code.
"""

import datetime
import secrets
import string

import factory
from django.utils import timezone
from django.utils.text import slugify

from ogp_platform import roles
from ogp_platform.members import countries
from ogp_platform.members.models import (
    Institution,
    Invitation,
    Member,
    MemberRole,
    Onboarding,
    Organisation,
    OrganisationMembership,
)
from ogp_platform.members.policies import ADMINISTER_ORGANISATION
from tests.factories import UserFactory

# National members take their country from this list in turn, so that each member of a test has
# its own country (one national member per country). A test that creates a national member with
# an explicit country should pick one that is not in the list (e.g. MD, which it leaves free).
NATIONAL_COUNTRIES = [
    "LV",
    "EE",
    "LT",
    "FI",
    "SE",
    "NO",
    "DK",
    "IE",
    "PT",
    "ES",
    "FR",
    "BE",
    "NL",
    "LU",
    "DE",
    "AT",
    "CH",
    "IT",
    "MT",
    "GR",
    "CY",
    "SI",
    "HR",
    "BA",
    "RS",
    "ME",
    "AL",
    "MK",
    "BG",
    "RO",
    "HU",
    "SK",
    "CZ",
    "PL",
    "UA",
    "GE",
    "AM",
    "AZ",
    "IS",
    "GB",
]


def _letters(n: int) -> str:
    """0 → AAA, 1 → AAB, …: a distinct three-letter code for each of the first 26³ numbers."""
    return "".join(string.ascii_uppercase[(n // 26**power) % 26] for power in (2, 1, 0))


class MemberFactory(factory.django.DjangoModelFactory):
    """An active national member, each with a country of its own."""

    class Meta:
        model = Member

    kind = Member.Kind.NATIONAL
    country = factory.Iterator(NATIONAL_COUNTRIES)
    country_alpha3 = factory.LazyAttribute(lambda o: countries.alpha3(o.country))
    name = factory.LazyAttribute(lambda o: countries.name(o.country, "en"))
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    region = "europe"
    status = Member.Status.ACTIVE
    local_code = ""
    parent = None


class LocalMemberFactory(MemberFactory):
    """An active local member (OGP Local), of the parent's country when it has a parent."""

    kind = Member.Kind.LOCAL
    local_code = factory.Sequence(_letters)
    country = factory.LazyAttribute(lambda o: o.parent.country if o.parent else "ES")
    name = factory.LazyAttribute(lambda o: f"Local government {o.local_code}")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Ministry of Public Administration {n}")
    kind = Institution.Kind.MINISTRY
    website = ""


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Civic Watch {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.CSO
    country = "LV"
    website = ""
    description = ""
    verified = False


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    """An approved member of an organisation (pass `status` for others); with `admin=True`,
    also one of its administrators (granted as the platform grants it, with its record)."""

    class Meta:
        model = OrganisationMembership
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    status = OrganisationMembership.Status.APPROVED

    @factory.post_generation
    def admin(self, create, extracted, **kwargs):
        if create and extracted:
            roles.object_permission_grant(
                actor=None,
                user=self.user,
                permission=ADMINISTER_ORGANISATION,
                obj=self.organisation,
            )


class MemberRoleFactory(factory.django.DjangoModelFactory):
    """A government officer of a member (pass `role` for a point of contact or forum member)."""

    class Meta:
        model = MemberRole

    member = factory.SubFactory(MemberFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.Role.OFFICER


class OnboardingFactory(factory.django.DjangoModelFactory):
    """The onboarding of a national member; `OnboardingFactory(local=True)` for a local one."""

    class Meta:
        model = Onboarding

    class Params:
        local = factory.Trait(
            member=factory.SubFactory(LocalMemberFactory, status=Member.Status.ONBOARDING)
        )

    member = factory.SubFactory(MemberFactory, status=Member.Status.ONBOARDING)
    started_by = factory.SubFactory(UserFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation to be point of contact of a member.

    The token is thrown away: to follow the link, create the invitation with
    `services.invitation_create` and read the token in the email instead.
    """

    class Meta:
        model = Invitation

    member = factory.SubFactory(MemberFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = MemberRole.Role.POINT_OF_CONTACT
    token_digest = factory.LazyFunction(lambda: Invitation.digest(secrets.token_urlsafe(32)))
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
