"""Who may do what to members, organisations and onboardings. The one place that decides.

Each rule answers for one object (`can_<verb>(user, obj)`) and, where lists need it, for many
(`<things>_visible_to(user)` returns a queryset), so lists and detail pages agree. Platform roles
(OGP admin, moderator) are model permissions held through groups; roles on a member are
`MemberRole` rows and grant nothing on any other member; administering an organisation is a
django-guardian permission on it (`ogp_platform.roles`: a page listing organisations prefetches
it for all of them with `roles.prefetch`).
"""

from django.db.models import Q, QuerySet

from ogp_platform import roles

from .models import Member, MemberRole, Organisation, OrganisationMembership

OGP_ADMINS_GROUP = "OGP admins"
MODERATORS_GROUP = "Moderators"
# The role of an organisation's administrators, granted on the organisation.
ADMINISTER_ORGANISATION = "members.administer_organisation"


def is_ogp_admin(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.has_perm("members.onboard_member")
    )


def is_moderator(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.has_perm("members.moderate_content")
    )


def _roles(user, member: Member) -> set[str]:
    """The user's roles on the member, read once per request and user."""
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_member_roles_cache", {})
    if member.pk not in cache:
        if user.__dict__.get("_member_roles_complete"):
            return set()
        cache[member.pk] = set(
            MemberRole.objects.filter(user=user, member=member).values_list("role", flat=True)
        )
    return cache[member.pk]


def member_roles_of(user) -> dict[int, set[str]]:
    """Every role the user holds, by member id, read in one query once per request and user;
    afterwards, whether the user has a role on any member is answered without a query (a page
    that asks it of many members costs the same as one that asks it of one)."""
    if not user.is_authenticated:
        return {}
    cache = user.__dict__.setdefault("_member_roles_cache", {})
    if not user.__dict__.get("_member_roles_complete"):
        roles: dict[int, set[str]] = {}
        for member_id, role in MemberRole.objects.filter(user=user).values_list(
            "member_id", "role"
        ):
            roles.setdefault(member_id, set()).add(role)
        cache.clear()
        cache.update(roles)
        user.__dict__["_member_roles_complete"] = True
    return {member_id: roles for member_id, roles in cache.items() if roles}


def has_member_role(user, member: Member, *roles: str) -> bool:
    return bool(_roles(user, member) & set(roles))


# --- Members -------------------------------------------------------------------------------


def members_visible_to(user) -> QuerySet[Member]:
    """Activated members are public; members in onboarding only to OGP admins and their team."""
    if is_ogp_admin(user):
        return Member.objects.all()
    public = ~Q(status=Member.Status.ONBOARDING)
    if user.is_authenticated:
        mine = Q(pk__in=MemberRole.objects.filter(user=user).values("member"))
        return Member.objects.filter(public | mine)
    return Member.objects.filter(public)


def can_view_member(user, member: Member) -> bool:
    return member.is_public or is_ogp_admin(user) or bool(_roles(user, member))


def can_onboard(user) -> bool:
    return is_ogp_admin(user)


def can_view_audit_log(user) -> bool:
    """Who changed what, across every member, with their email addresses: OGP admins only."""
    return is_ogp_admin(user)


def can_change_status(user, member: Member) -> bool:
    return is_ogp_admin(user)


def can_manage_institutions(user, member: Member) -> bool:
    return is_ogp_admin(user) or has_member_role(
        user, member, MemberRole.Role.POINT_OF_CONTACT, MemberRole.Role.OFFICER
    )


def can_manage_team(user, member: Member) -> bool:
    """Invite people to roles on the member and remove them."""
    return is_ogp_admin(user) or has_member_role(user, member, MemberRole.Role.POINT_OF_CONTACT)


def can_draft_plans(user, member: Member) -> bool:
    """Points of contact and government officers draft the member's plans."""
    return has_member_role(user, member, MemberRole.Role.POINT_OF_CONTACT, MemberRole.Role.OFFICER)


# --- Organisations -------------------------------------------------------------------------


def can_create_organisation(user) -> bool:
    return user.is_authenticated and user.is_active


def can_request_membership(user, organisation: Organisation) -> bool:
    return user.is_authenticated and user.is_active


def is_organisation_admin(user, organisation: Organisation) -> bool:
    """Whether the user administers the organisation (holds the role on it)."""
    return roles.has_object_permission(user, ADMINISTER_ORGANISATION, organisation)


def organisations_user_administers(user) -> QuerySet[Organisation]:
    """The organisations the user was made an administrator of (an OGP admin administers
    none of them by that: their right comes from their platform role)."""
    return roles.objects_with_permission(user, ADMINISTER_ORGANISATION, Organisation.objects.all())


def can_decide_membership(user, organisation: Organisation) -> bool:
    return is_ogp_admin(user) or is_organisation_admin(user, organisation)


def can_manage_organisation_admins(user, organisation: Organisation) -> bool:
    """Make people who speak for the organisation its administrators, or stop them being."""
    return is_ogp_admin(user) or is_organisation_admin(user, organisation)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    return is_ogp_admin(user) or is_organisation_admin(user, organisation)


def can_verify_organisation(user, organisation: Organisation) -> bool:
    return is_ogp_admin(user)


def can_decide_rename(user, organisation: Organisation | None = None) -> bool:
    """Approve or refuse a verified organisation's new name (any organisation's, when none is
    given): those who verify organisations."""
    return is_ogp_admin(user)


def organisations_user_speaks_for(user) -> QuerySet[Organisation]:
    """Organisations whose approved members may sign what they write with the organisation."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=OrganisationMembership.Status.APPROVED
    )


# --- Forum and repository (OGP Standards 1 and 2) --------------------------------------------


def can_manage_forum(user, member: Member) -> bool:
    """Record the forum's seats, rules and meetings, and add documents to the repository: the
    member's government team and forum members, and OGP admins."""
    return is_ogp_admin(user) or has_member_role(
        user,
        member,
        MemberRole.Role.POINT_OF_CONTACT,
        MemberRole.Role.OFFICER,
        MemberRole.Role.FORUM,
    )
