"""Which cached pages a change to each model of the core touches (see `ogp_platform.pagecache`).

The core's models only: the apps above it declare theirs in their own `AppConfig.ready()`
(`action_plans.page_scopes`, `commitments.page_scopes`, `participation.page_scopes`). A model of
the project that nobody declares refreshes every cached page when it changes.
"""

from .accounts.models import User
from .audit.models import ObjectRoleChange, PlatformRoleChange
from .members.models import (
    ContraryToProcess,
    ForumMeeting,
    ForumSeat,
    Institution,
    Invitation,
    Member,
    MemberRole,
    MemberStatusChange,
    Onboarding,
    OrganisationRename,
    OrganisationUserObjectPermission,
    RepositoryDocument,
)
from .outbox.models import OutboundEmail
from .pagecache import DIRECTORY, EPOCH, EXPLORER, ignore, member_scope, own_member, track

# What a user changes about themselves that no page shows.
PRIVATE_USER_FIELDS = {"last_login", "password", "preferred_language"}


def register() -> None:
    track(Member, lambda m: (member_scope(m.pk), member_scope(m.parent_id), DIRECTORY))
    track(Institution, lambda i: (*own_member(i), EXPLORER))
    for model in (
        MemberRole,
        MemberStatusChange,
        ContraryToProcess,
        Onboarding,
        Invitation,
        ForumSeat,
        ForumMeeting,
        RepositoryDocument,
    ):
        track(model, own_member)
    # A name shows wherever the person commented, across members; a new account shows nowhere.
    track(User, lambda u: (EPOCH,), private_fields=PRIVATE_USER_FIELDS, unseen_when_created=True)

    ignore(
        PlatformRoleChange,
        ObjectRoleChange,
        OutboundEmail,
        # Who administers an organisation shows on its page (not cached) and on pages for
        # signed-in people (never cached) only.
        OrganisationUserObjectPermission,
        # A rename waiting for approval shows only on the organisation's page, which is not
        # cached; its approval saves the organisation, which refreshes every page.
        OrganisationRename,
    )
