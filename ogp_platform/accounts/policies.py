"""Who may download their data and delete their account. The one place that decides.

Anyone signed in may download what the platform holds about them, and only that. Deleting an
account is refused while someone else depends on it:

- a platform administrator (superuser, staff, or in a group that grants OGP admin rights):
  another administrator removes those rights first, so the platform is never left without one
  by a click, and the act is deliberate;
- the only point of contact of a member: the member would be left with nobody who can invite
  its team; they invite another point of contact (or ask OGP support) first.

Being the last administrator of an organisation does not block: OGP admins can still decide
its membership requests and edit it.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from ogp_platform.members.models import Member, MemberRole
from ogp_platform.members.policies import is_ogp_admin


def can_download_own_data(user) -> bool:
    return user.is_authenticated


def _members_only_in_their_hands(user) -> list[Member]:
    """The members of which the user is the only point of contact, in one query."""
    point_of_contact = MemberRole.Role.POINT_OF_CONTACT
    others = MemberRole.objects.filter(member=OuterRef("pk"), role=point_of_contact).exclude(
        user=user
    )
    return list(
        Member.objects.filter(roles__user=user, roles__role=point_of_contact)
        .exclude(Exists(others))
        .order_by("name")
    )


def account_deletion_blockers(user) -> list[str]:
    """Why the user may not delete their account now, one sentence a reason (empty: they may)."""
    if not user.is_authenticated:
        return [_("Sign in to delete your account.")]
    reasons = []
    if user.is_superuser or user.is_staff or is_ogp_admin(user):
        reasons.append(
            _(
                "Your account has administrator rights on the platform. Ask another "
                "administrator to remove them, then delete your account."
            )
        )
    for member in _members_only_in_their_hands(user):
        reasons.append(
            _(
                "You are the only point of contact of %(member)s. Invite another point of "
                "contact from the member's team page (or ask OGP support), then delete your "
                "account."
            )
            % {"member": member.localised_name}
        )
    return reasons
