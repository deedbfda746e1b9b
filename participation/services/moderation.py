"""Reports on comments, and what moderators do about them.

Anyone verified may report someone else's comment (once); moderators hide a comment with a
reason that is shown in its place, restore it, or dismiss the reports. Every moderator action
is written twice on purpose: in the comment's history (field by field, with the moderator as
the history user) and as a `ModerationAction`, the record the moderation page shows.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_platform.services import require

from .. import policies
from ..models import Comment, ModerationAction, Report

# simple_history's change reason is a CharField(max_length=100).
_CHANGE_REASON_LENGTH = 100


def _locked(comment: Comment) -> Comment:
    """The comment's current row, locked against a second moderator acting at the same time."""
    return Comment.objects.select_for_update().get(pk=comment.pk)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; it stays on record.")})
    return reason


def _change_reason(label: str, reason: str) -> str:
    text = f"{label}: {reason}"
    if len(text) > _CHANGE_REASON_LENGTH:
        text = text[: _CHANGE_REASON_LENGTH - 1] + "…"
    return text


def _resolve_reports(comment: Comment, actor, now) -> int:
    return comment.reports.filter(resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor
    )


@transaction.atomic
def comment_report(*, actor, comment: Comment, reason: str, note: str = "") -> Report:
    """Report someone else's comment to the moderators, with one of `Report.Reason` and an
    optional note. One report per person and comment: a second one is refused."""
    require(
        policies.can_report_comment(actor, comment) and policies.can_read(actor, comment.target)
    )
    errors = {}
    if reason not in Report.Reason.values:
        errors["reason"] = _("Choose why you report this comment.")
    note = (note or "").strip()
    max_note = Report._meta.get_field("note").max_length
    if len(note) > max_note:
        errors["note"] = _("Keep the note under %(count)d characters.") % {"count": max_note}
    if errors:
        raise ValidationError(errors)
    already = _("You have already reported this comment; the moderators will look at it.")
    if Report.objects.filter(comment=comment, reporter=actor).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            return Report.objects.create(comment=comment, reporter=actor, reason=reason, note=note)
    except IntegrityError:
        # The same person reporting from two tabs at once: the constraint decides.
        raise ValidationError(already) from None


@transaction.atomic
def comment_hide(*, actor, comment: Comment, reason: str) -> Comment:
    """Hide a comment (moderators): the reason is shown in its place and kept on record, and
    its open reports are resolved."""
    require(policies.can_moderate(actor))
    reason = _reason(reason)
    comment = _locked(comment)
    if comment.is_hidden:
        raise ValidationError(_("This comment is hidden already."))
    if comment.is_deleted:
        raise ValidationError(
            _("Its author has deleted this comment; dismiss the reports instead.")
        )
    now = timezone.now()
    comment.hidden_at = now
    comment.hidden_by = actor
    comment.hidden_reason = reason
    comment._history_user = actor
    comment._change_reason = _change_reason("Hidden by a moderator", reason)
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _resolve_reports(comment, actor, now)
    ModerationAction.objects.create(
        comment=comment,
        action=ModerationAction.Action.HIDE,
        reason=reason,
        moderator=actor,
        created_at=now,
    )
    return comment


@transaction.atomic
def comment_restore(*, actor, comment: Comment, reason: str) -> Comment:
    """Show a hidden comment again (moderators), with the reason for restoring it. The reason
    it was hidden stays in the comment's history and in the moderation record."""
    require(policies.can_moderate(actor))
    reason = _reason(reason)
    comment = _locked(comment)
    if not comment.is_hidden:
        raise ValidationError(_("This comment is not hidden."))
    comment.hidden_at = None
    comment.hidden_by = None
    comment.hidden_reason = ""
    comment._history_user = actor
    comment._change_reason = _change_reason("Restored by a moderator", reason)
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    ModerationAction.objects.create(
        comment=comment,
        action=ModerationAction.Action.RESTORE,
        reason=reason,
        moderator=actor,
        created_at=timezone.now(),
    )
    return comment


@transaction.atomic
def comment_reports_dismiss(*, actor, comment: Comment, reason: str = "") -> int:
    """Close the open reports on a comment that stays as it is (moderators). Returns how many
    reports were closed; with none open, nothing is recorded."""
    require(policies.can_moderate(actor))
    comment = _locked(comment)
    now = timezone.now()
    resolved = _resolve_reports(comment, actor, now)
    if resolved:
        ModerationAction.objects.create(
            comment=comment,
            action=ModerationAction.Action.DISMISS,
            reason=(reason or "").strip(),
            moderator=actor,
            created_at=now,
        )
    return resolved
