"""Everything the platform holds about one person, as one JSON document ("Download my data").

The core's records are read here; every other app's come from what it declared in
`personal_data` (its sections, and its acts in an official role), so that this module knows no
app above the core. Every foreign key to the user model has a section here or in an app's
declaration, except who hid a comment and who resolved a report: the moderation actions record
both acts. The history's versions are counted, not copied (each record's "Changes" page shows
them).

Query count: one query per section, plus what the apps' sections read (participation: one per
kind of object the person's comments, votes, follows and notifications are about), whatever
the number of records. Secrets are left out: the password hash and the token of the
unsubscribe link.
"""

import json

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Value
from django.utils import timezone
from simple_history.models import HistoricalChanges

from ogp_platform import roles
from ogp_platform.audit.models import ObjectRoleChange, PlatformRoleChange
from ogp_platform.members.models import (
    ContraryToProcess,
    ForumMeeting,
    Invitation,
    MemberRole,
    MemberStatusChange,
    Onboarding,
    OnboardingEvent,
    OrganisationMembership,
    RepositoryDocument,
)

from . import personal_data
from .personal_data import OfficialRecord

FORMAT_VERSION = 1


def export_filename(today) -> str:
    return f"ogp-my-data-{today:%Y-%m-%d}.json"


def export_json(user) -> str:
    return json.dumps(user_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def user_data(user) -> dict:
    """The person's data, section by section, in plain JSON types (dates as ISO strings): the
    core's sections, then each app's (`personal_data`), then the official records and the
    history's counts."""
    data = {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now(),
        "site": settings.SITE_URL,
        "profile": _profile(user),
        "email_addresses": list(
            EmailAddress.objects.filter(user=user)
            .order_by("-primary", "email")
            .values("email", "verified", "primary")
        ),
        "organisation_memberships": personal_data.values(
            OrganisationMembership.objects.filter(user=user).order_by("requested_at", "pk"),
            {
                "organisation_name": "organisation__name",
                "status": "status",
                "message": "message",
                "requested_at": "requested_at",
                "decided_at": "decided_at",
            },
        ),
        "member_roles": personal_data.values(
            MemberRole.objects.filter(user=user).order_by("granted_at", "pk"),
            {
                "member_name": "member__name",
                "role": "role",
                "institution_name": "institution__name",
                "granted_at": "granted_at",
            },
        ),
        "roles_on_objects": _roles_on_objects(user),
    }
    for app in personal_data.registered():
        if app.export is not None:
            _add(data, app.export(user), app.name)
    data["official_records"] = _official_records(user)
    data["changes_recorded_in_history"] = _history_counts(user)
    return data


def _add(data: dict, sections: dict, app: str) -> None:
    clashing = (data.keys() | {"official_records", "changes_recorded_in_history"}) & sections.keys()
    if clashing:
        raise ImproperlyConfigured(
            f"{app}'s personal data repeats sections of the export: {sorted(clashing)}"
        )
    data.update(sections)


def _roles_on_objects(user) -> list[dict]:
    """The roles the person holds on single objects (an organisation's administrator…)."""
    return [
        {
            "role": grant.permission,
            "role_name": grant.label,
            "object_type": str(grant.content_type.model_class()._meta.verbose_name)
            if grant.content_type.model_class()
            else grant.content_type.model,
            "object": grant.object_repr,
        }
        for grant in roles.grants_of(user)
    ]


def _profile(user) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "public_name": user.get_full_name(),
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "groups": list(user.groups.order_by("name").values_list("name", flat=True)),
    }


# --- What the person did in an official role -------------------------------------------------

# The core's; the apps declare theirs in `personal_data`. Addresses of other people (whom an
# officer invited) are left out.
OFFICIAL_RECORDS = [
    OfficialRecord(
        "member_status_changes",
        MemberStatusChange,
        person="changed_by",
        values={
            "member_name": "member__name",
            "from_status": "from_status",
            "to_status": "to_status",
            "reason": "reason",
            "at": "changed_at",
        },
        order="changed_at",
    ),
    OfficialRecord(
        "contrary_to_process_records",
        ContraryToProcess,
        person="recorded_by",
        values={
            "member_name": "member__name",
            "plan_identifier": "plan_identifier",
            "at": "recorded_at",
        },
        order="recorded_at",
    ),
    OfficialRecord(
        "onboarding_steps",
        OnboardingEvent,
        person="actor",
        values={"member_name": "onboarding__member__name", "step": "step", "summary": "summary"},
        order="created_at",
    ),
    OfficialRecord(
        "invitations_sent",
        Invitation,
        person="invited_by",
        values={"member_name": "member__name", "role": "role", "at": "created_at"},
        order="created_at",
    ),
    OfficialRecord(
        "invitations_accepted",
        Invitation,
        person="accepted_by",
        values={"member_name": "member__name", "role": "role", "at": "accepted_at"},
        order="accepted_at",
    ),
    OfficialRecord(
        "invitations_withdrawn",
        Invitation,
        person="revoked_by",
        values={"member_name": "member__name", "role": "role", "at": "revoked_at"},
        order="revoked_at",
    ),
    OfficialRecord(
        "roles_granted",
        MemberRole,
        person="granted_by",
        values={"member_name": "member__name", "role": "role", "at": "granted_at"},
        order="granted_at",
    ),
    OfficialRecord(
        "membership_requests_decided",
        OrganisationMembership,
        person="decided_by",
        values={"organisation_name": "organisation__name", "status": "status", "at": "decided_at"},
        order="decided_at",
    ),
    OfficialRecord(
        "platform_roles_received",
        PlatformRoleChange,
        person="user",
        values={"kind": "kind", "role": "role", "granted": "granted", "at": "changed_at"},
        order="changed_at",
    ),
    OfficialRecord(
        "platform_roles_given",
        PlatformRoleChange,
        person="changed_by",
        values={"kind": "kind", "role": "role", "granted": "granted", "at": "changed_at"},
        order="changed_at",
    ),
    OfficialRecord(
        "object_roles_received",
        ObjectRoleChange,
        person="user",
        values={
            "role": "permission",
            "object": "object_repr",
            "granted": "granted",
            "at": "changed_at",
        },
        order="changed_at",
    ),
    OfficialRecord(
        "object_roles_given",
        ObjectRoleChange,
        person="changed_by",
        values={
            "role": "permission",
            "object": "object_repr",
            "granted": "granted",
            "at": "changed_at",
        },
        order="changed_at",
    ),
    OfficialRecord(
        "onboardings_started",
        Onboarding,
        person="started_by",
        values={"member_name": "member__name", "at": "started_at"},
        order="started_at",
    ),
    OfficialRecord(
        "forum_meetings_recorded",
        ForumMeeting,
        person="recorded_by",
        values={"member_name": "member__name", "held_on": "held_on", "title": "title"},
        order="held_on",
    ),
    OfficialRecord(
        "repository_documents_added",
        RepositoryDocument,
        person="added_by",
        values={"member_name": "member__name", "title": "title", "at": "added_at"},
        order="added_at",
    ),
]


def _official_records(user) -> dict[str, list[dict]]:
    """The apps' official records, in the order they registered, then the core's."""
    records = [record for app in personal_data.registered() for record in app.official_records]
    return {record.section: record.rows(user) for record in [*records, *OFFICIAL_RECORDS]}


def _history_counts(user) -> list[dict]:
    """How many versions of each kind of record the history holds as changed by the person
    (the versions themselves are on each record's "Changes" page), in one query."""
    counts = [
        model.objects.filter(history_user=user)
        .order_by()
        .values_list(Value(str(model.instance_type._meta.verbose_name_plural)), Count("pk"))
        for model in apps.get_models()
        # The rows of a many-to-many field's history (`m2m_fields`) belong to a version of
        # their object, counted with it: they name no person of their own.
        if issubclass(model, HistoricalChanges)
        and any(field.name == "history_user" for field in model._meta.fields)
    ]
    if not counts:
        return []
    rows = counts[0].union(*counts[1:], all=True)
    return sorted(({"records": name, "versions": n} for name, n in rows if n), key=str)
