"""What participation holds about a person (see `ogp_platform.accounts.personal_data`): their
comments, votes, up-votes, follows, reports and notifications in their data export, with what
each is about; the consultations they held, the inputs they recorded or answered and their
moderation decisions as official records. When they delete their account, what only served them
goes (follows, notifications and their setting); what they said stays, signed "Deleted
participant", and votes and up-votes stay so that tallies do not change after the fact.
Registered in `ParticipationConfig.ready()`.

Query count of the export: one query per section, plus one per kind of object (plan,
commitment, milestone…) that the person's records are about, whatever their number.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import prefetch_related_objects

from ogp_platform.accounts import personal_data
from ogp_platform.accounts.personal_data import OfficialRecord

from . import links
from .interface import is_participable, title_of, url_of
from .models import (
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


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


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
    if is_participable(obj):
        return {"title": title_of(obj), "url": _absolute(url_of(obj))}
    return {"title": str(obj), "url": _absolute(obj.get_absolute_url())}


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
    report = links.report_url_for(item.space_type_id, item.space_id)
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
            # None for feedback written where it is always open, outside any consultation.
            "consultation": comment.consultation.title if comment.consultation_id else None,
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


def export(user) -> dict:
    return {
        "comments": _comments(user),
        "votes": _votes(user),
        "comment_upvotes": _comment_upvotes(user),
        "follows": _follows(user),
        "reports": _reports(user),
        "notification_setting": _notification_setting(user),
        "notifications": _notifications(user),
    }


OFFICIAL_RECORDS = [
    OfficialRecord(
        "consultations_held",
        Consultation,
        person="created_by",
        values={"id": "id", "title": "title", "opens_at": "opens_at", "closes_at": "closes_at"},
        order="opens_at",
    ),
    OfficialRecord(
        "inputs_recorded",
        Input,
        person="recorded_by",
        values={"input_number": "pk", "source": "source", "received_on": "received_on"},
        order="received_on",
    ),
    OfficialRecord(
        "inputs_responded_to",
        Input,
        person="responded_by",
        values={
            "input_number": "pk",
            "disposition": "disposition",
            "reason": "reason",
            "responded_at": "responded_at",
        },
        order="responded_at",
    ),
    OfficialRecord(
        "moderation_actions",
        ModerationAction,
        person="moderator",
        values={
            "comment_id": "comment_id",
            "action": "action",
            "reason": "reason",
            "at": "created_at",
        },
        order="created_at",
    ),
]


def forget(user) -> None:
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    NotificationSetting.objects.filter(user=user).delete()


def register() -> None:
    personal_data.register(
        "participation", export=export, official_records=OFFICIAL_RECORDS, forget=forget
    )
