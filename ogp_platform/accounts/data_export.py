"""Everything the platform holds about one person, as one JSON document ("Download my data").

Like the URL wiring, this module reads across the apps: it is the one place that knows every
record tied to a person, and nothing imports it but the account views. Every foreign key to the
user model has a section here, except who hid a comment and who resolved a report: the
moderation actions record both acts. The history's versions are counted, not copied (each
record's "Changes" page shows them).

Query count: one query per section, plus one per kind of object (plan, commitment, milestone)
that the person's comments, votes, follows and notifications are about, whatever their number.
Secrets are left out: the password hash and the token of the unsubscribe link.
"""

import json

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F, Value, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalChanges

from action_plans.models import ActionPlan, PlanTransition
from commitments.models import Assessment, CommitmentImport, ProgressReport
from ogp_platform.audit.models import PlatformRoleChange
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
from participation.interface import adapter_for, is_participable
from participation.models import (
    Comment,
    CommentVote,
    Consultation,
    Follow,
    Input,
    ModerationAction,
    Notification,
    NotificationSetting,
    Report,
    Vote,
)

FORMAT_VERSION = 1


def export_filename(today) -> str:
    return f"ogp-my-data-{today:%Y-%m-%d}.json"


def export_json(user) -> str:
    return json.dumps(user_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def user_data(user) -> dict:
    """The person's data, section by section, in plain JSON types (dates as ISO strings)."""
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now(),
        "site": settings.SITE_URL,
        "profile": _profile(user),
        "email_addresses": list(
            EmailAddress.objects.filter(user=user)
            .order_by("-primary", "email")
            .values("email", "verified", "primary")
        ),
        "organisation_memberships": _values(
            OrganisationMembership.objects.filter(user=user).order_by("requested_at", "pk"),
            {
                "organisation_name": "organisation__name",
                "role": "role",
                "status": "status",
                "message": "message",
                "requested_at": "requested_at",
                "decided_at": "decided_at",
            },
        ),
        "member_roles": _values(
            MemberRole.objects.filter(user=user).order_by("granted_at", "pk"),
            {
                "member_name": "member__name",
                "role": "role",
                "institution_name": "institution__name",
                "granted_at": "granted_at",
            },
        ),
        "comments": _comments(user),
        "votes": _votes(user),
        "comment_upvotes": _comment_upvotes(user),
        "follows": _follows(user),
        "reports": _reports(user),
        "notification_setting": _notification_setting(user),
        "notifications": _notifications(user),
        "official_records": _official_records(user),
        "changes_recorded_in_history": _history_counts(user),
    }


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


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


# --- What the person's records are about (generic relations) ---------------------------------


def _fetch(objects) -> None:
    """Fetch the `target` of each of `objects` (a generic relation), one query per kind of
    object. Each is read with its non-null relations (a milestone with its commitment), which
    its URL needs."""
    models = {ContentType.objects.get_for_id(obj.target_type_id).model_class() for obj in objects}
    querysets = [model._default_manager.select_related() for model in models if model]
    if objects:
        prefetch_related_objects(objects, GenericPrefetch("target", querysets))


def _about(obj) -> dict | None:
    """Title and address of what a record is about (None when it no longer exists)."""
    if obj is None:
        return None
    title = adapter_for(obj).title(obj) if is_participable(obj) else str(obj)
    return {"title": title, "url": _absolute(obj.get_absolute_url())}


# --- Participation ---------------------------------------------------------------------------


def _comment_status(comment: Comment) -> str:
    if comment.is_deleted:
        return "deleted"
    if comment.is_hidden:
        return "hidden"
    return "published"


def _response(item: Input | None) -> dict | None:
    """The register's response to a top-level comment (None for replies)."""
    if item is None:
        return None
    report = reverse("participation:register_report", args=[item.space_type_id, item.space_id])
    return {
        "input_number": item.pk,
        "disposition": item.disposition,
        "reason": item.reason if item.responded_at else "",
        "responded_at": item.responded_at,
        "url": _absolute(f"{report}#input-{item.pk}"),
    }


def _comments(user) -> list[dict]:
    comments = list(
        Comment.objects.filter(author=user)
        .select_related("consultation", "organisation", "input")
        .order_by("created_at", "pk")
    )
    _fetch(comments)
    return [
        {
            "id": comment.pk,
            "about": _about(comment.target),
            "consultation": comment.consultation.title,
            "in_reply_to": comment.parent_id,
            "speaking_for": comment.organisation.name if comment.organisation else None,
            "body": comment.body,
            "status": _comment_status(comment),
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
            "deleted_at": comment.deleted_at,
            "hidden_at": comment.hidden_at,
            "hidden_reason": comment.hidden_reason,
            "response": _response(getattr(comment, "input", None)),
        }
        for comment in comments
    ]


def _votes(user) -> list[dict]:
    votes = list(Vote.objects.filter(user=user).order_by("created_at", "pk"))
    _fetch(votes)
    return [
        {
            "about": _about(vote.target),
            "value": "support" if vote.value == Vote.Value.SUPPORT else "oppose",
            "created_at": vote.created_at,
            "updated_at": vote.updated_at,
        }
        for vote in votes
    ]


def _comment_upvotes(user) -> list[dict]:
    upvotes = list(
        CommentVote.objects.filter(user=user).select_related("comment").order_by("created_at", "pk")
    )
    _fetch([upvote.comment for upvote in upvotes])
    return [
        {
            "comment_id": upvote.comment_id,
            "about": _about(upvote.comment.target),
            "created_at": upvote.created_at,
        }
        for upvote in upvotes
    ]


def _follows(user) -> list[dict]:
    follows = list(Follow.objects.filter(user=user).order_by("created_at", "pk"))
    _fetch(follows)
    return [{"about": _about(f.target), "created_at": f.created_at} for f in follows]


def _reports(user) -> list[dict]:
    reports = list(
        Report.objects.filter(reporter=user).select_related("comment").order_by("created_at", "pk")
    )
    _fetch([report.comment for report in reports])
    return [
        {
            "comment_id": report.comment_id,
            "about": _about(report.comment.target),
            "reason": report.reason,
            "note": report.note,
            "created_at": report.created_at,
            "resolved_at": report.resolved_at,
        }
        for report in reports
    ]


def _notification_setting(user) -> dict | None:
    setting = NotificationSetting.objects.filter(user=user).values("frequency", "updated_at")
    return setting.first()


def _notifications(user) -> list[dict]:
    notifications = list(Notification.objects.filter(user=user).order_by("created_at", "pk"))
    _fetch(notifications)
    return [
        {
            "kind": n.kind,
            "about": _about(n.target),
            "comment_id": n.comment_id,
            "created_at": n.created_at,
            "sent_at": n.sent_at,
            "skipped": n.skipped,
        }
        for n in notifications
    ]


# --- What the person did in an official role -------------------------------------------------

# (section, model, the foreign key to the person, the values listed as {key: field path}, their
# order). Values only: one query each, no objects built. Addresses of other people (whom an
# officer invited) are left out.
OFFICIAL_RECORDS = [
    (
        "consultations_held",
        Consultation,
        "created_by",
        {"id": "id", "title": "title", "opens_at": "opens_at", "closes_at": "closes_at"},
        "opens_at",
    ),
    (
        "inputs_recorded",
        Input,
        "recorded_by",
        {"input_number": "pk", "source": "source", "received_on": "received_on"},
        "received_on",
    ),
    (
        "inputs_responded_to",
        Input,
        "responded_by",
        {
            "input_number": "pk",
            "disposition": "disposition",
            "reason": "reason",
            "responded_at": "responded_at",
        },
        "responded_at",
    ),
    (
        "moderation_actions",
        ModerationAction,
        "moderator",
        {"comment_id": "comment_id", "action": "action", "reason": "reason", "at": "created_at"},
        "created_at",
    ),
    (
        "action_plans_started",
        ActionPlan,
        "created_by",
        {"plan_identifier": "identifier", "title": "title"},
        "identifier",
    ),
    (
        "plan_lifecycle_steps",
        PlanTransition,
        "actor",
        {
            "plan_identifier": "plan__identifier",
            "from_status": "from_status",
            "to_status": "to_status",
            "reason": "reason",
            "at": "created_at",
        },
        "created_at",
    ),
    (
        "progress_reports",
        ProgressReport,
        "reported_by",
        {
            "commitment_identifier": "commitment__identifier",
            "milestone_title": "milestone__title",
            "level": "level",
            "narrative": "narrative",
            "at": "reported_at",
        },
        "reported_at",
    ),
    (
        "assessments",
        Assessment,
        "assessed_by",
        {"commitment_identifier": "commitment__identifier", "at": "assessed_at"},
        "assessed_at",
    ),
    (
        "commitment_imports",
        CommitmentImport,
        "created_by",
        {
            "file_name": "original_name",
            "dry_run": "dry_run",
            "status": "status",
            "at": "created_at",
        },
        "created_at",
    ),
    (
        "member_status_changes",
        MemberStatusChange,
        "changed_by",
        {
            "member_name": "member__name",
            "from_status": "from_status",
            "to_status": "to_status",
            "reason": "reason",
            "at": "changed_at",
        },
        "changed_at",
    ),
    (
        "contrary_to_process_records",
        ContraryToProcess,
        "recorded_by",
        {"member_name": "member__name", "plan_identifier": "plan_identifier", "at": "recorded_at"},
        "recorded_at",
    ),
    (
        "onboarding_steps",
        OnboardingEvent,
        "actor",
        {"member_name": "onboarding__member__name", "step": "step", "summary": "summary"},
        "created_at",
    ),
    (
        "invitations_sent",
        Invitation,
        "invited_by",
        {"member_name": "member__name", "role": "role", "at": "created_at"},
        "created_at",
    ),
    (
        "invitations_accepted",
        Invitation,
        "accepted_by",
        {"member_name": "member__name", "role": "role", "at": "accepted_at"},
        "accepted_at",
    ),
    (
        "invitations_withdrawn",
        Invitation,
        "revoked_by",
        {"member_name": "member__name", "role": "role", "at": "revoked_at"},
        "revoked_at",
    ),
    (
        "roles_granted",
        MemberRole,
        "granted_by",
        {"member_name": "member__name", "role": "role", "at": "granted_at"},
        "granted_at",
    ),
    (
        "membership_requests_decided",
        OrganisationMembership,
        "decided_by",
        {"organisation_name": "organisation__name", "status": "status", "at": "decided_at"},
        "decided_at",
    ),
    (
        "platform_roles_received",
        PlatformRoleChange,
        "user",
        {"kind": "kind", "role": "role", "granted": "granted", "at": "changed_at"},
        "changed_at",
    ),
    (
        "platform_roles_given",
        PlatformRoleChange,
        "changed_by",
        {"kind": "kind", "role": "role", "granted": "granted", "at": "changed_at"},
        "changed_at",
    ),
    (
        "onboardings_started",
        Onboarding,
        "started_by",
        {"member_name": "member__name", "at": "started_at"},
        "started_at",
    ),
    (
        "forum_meetings_recorded",
        ForumMeeting,
        "recorded_by",
        {"member_name": "member__name", "held_on": "held_on", "title": "title"},
        "held_on",
    ),
    (
        "repository_documents_added",
        RepositoryDocument,
        "added_by",
        {"member_name": "member__name", "title": "title", "at": "added_at"},
        "added_at",
    ),
]


def _values(queryset, values: dict[str, str]):
    """`queryset.values()` under the keys given, in their order (a key may not rename a field
    to another field's name: Django refuses it)."""
    same = [path for key, path in values.items() if key == path]
    renamed = {key: F(path) for key, path in values.items() if key != path}
    return [{key: row[key] for key in values} for row in queryset.values(*same, **renamed)]


def _official_records(user) -> dict[str, list[dict]]:
    return {
        section: _values(model.objects.filter(**{person: user}).order_by(order, "pk"), values)
        for section, model, person, values, order in OFFICIAL_RECORDS
    }


def _history_counts(user) -> list[dict]:
    """How many versions of each kind of record the history holds as changed by the person
    (the versions themselves are on each record's "Changes" page), in one query."""
    counts = [
        model.objects.filter(history_user=user)
        .order_by()
        .values_list(Value(str(model.instance_type._meta.verbose_name_plural)), Count("pk"))
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
    ]
    if not counts:
        return []
    rows = counts[0].union(*counts[1:], all=True)
    return sorted(({"records": name, "versions": n} for name, n in rows if n), key=str)
