"""Writes to consultations: hold one on a space, change it, open and close it by hand, and the
scheduler's tick that opens and closes them on time.

A consultation's state is read from its stamps (`opened_at`, `closed_at`), never stored apart,
and every change of state is a conditional write on those stamps: "open it if nobody opened it
yet". So the tick is idempotent, two workers running it at once open each consultation once,
and an officer's "open now" racing the tick cannot open it twice.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ogp_platform import pagecache
from ogp_platform.services import require

from .. import policies
from ..interface import is_space, space_adapter
from ..models import Consultation
from ..selectors import consultations_of, content_type_of
from . import notifications

# An opening "now" typed into a form is a few seconds or minutes in the past by the time it is
# saved: openings up to this long ago are accepted (and open at the next tick).
OPENING_GRACE = datetime.timedelta(minutes=5)

EDITABLE_FIELDS = {"title", "rules", "questions", "opens_at", "closes_at"}


def normalise_questions(questions: str | Iterable[str]) -> str:
    """One question a line, without blank lines or surrounding spaces."""
    lines = questions.splitlines() if isinstance(questions, str) else questions
    return "\n".join(line.strip() for line in lines if line and line.strip())


def _lock_space(space) -> None:
    """Serialise the writes that check for overlapping consultations on one space."""
    type(space)._default_manager.select_for_update().filter(pk=space.pk).first()


def _overlapping(space, opens_at, closes_at, *, exclude_pk=None):
    """The space's scheduled or open consultations whose window meets [opens_at, closes_at)."""
    return (
        Consultation.objects.filter(
            space_type=content_type_of(space),
            space_id=space.pk,
            closed_at__isnull=True,
            opens_at__lt=closes_at,
            closes_at__gt=opens_at,
        )
        .exclude(pk=exclude_pk)
        .order_by("opens_at")
    )


def _overlap_error(other: Consultation, field: str | None) -> ValidationError:
    message = _(
        "“%(title)s” is already %(state)s from %(opens)s to %(closes)s: a space holds one "
        "consultation at a time. Choose dates outside it, or change that one first."
    ) % {
        "title": other.title,
        "state": other.get_state_display().lower(),
        "opens": _format(other.opens_at),
        "closes": _format(other.closes_at),
    }
    return ValidationError({field: message} if field else message)


def _format(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _validate(
    *,
    space,
    title: str,
    rules: str,
    questions: str,
    opens_at,
    closes_at,
    now,
    check_opening: bool,
    exclude_pk=None,
) -> None:
    """Field errors for everything wrong at once; then the overlap with other consultations."""
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the consultation a title.")
    if not rules.strip():
        errors["rules"] = _("Say who may take part and how inputs will be considered.")
    if not questions:
        errors["questions"] = _("Ask at least one question.")
    if check_opening and opens_at < now - OPENING_GRACE:
        errors["opens_at"] = _("The opening cannot be in the past: choose now or a later time.")
    if closes_at <= opens_at:
        errors["closes_at"] = _("The consultation must close after it opens.")
    if errors:
        raise ValidationError(errors)
    other = _overlapping(space, opens_at, closes_at, exclude_pk=exclude_pk).first()
    if other is not None:
        raise _overlap_error(other, "opens_at")


@transaction.atomic
def consultation_create(
    *, actor, space, title: str, rules: str, questions, opens_at, closes_at
) -> Consultation:
    """Schedule a consultation on the space (a plan in co-creation). It opens by itself at
    `opens_at` (or by hand earlier) and closes by itself at `closes_at`."""
    require(policies.can_hold_consultation(actor, space))
    _lock_space(space)
    questions = normalise_questions(questions)
    _validate(
        space=space,
        title=title,
        rules=rules,
        questions=questions,
        opens_at=opens_at,
        closes_at=closes_at,
        now=timezone.now(),
        check_opening=True,
    )
    consultation = Consultation(
        space_type=content_type_of(space),
        space_id=space.pk,
        member=space_adapter(space).primary_member(space),
        title=title.strip(),
        rules=rules.strip(),
        questions=questions,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
    )
    consultation._history_user = actor
    consultation.save()
    return consultation


def _locked(consultation: Consultation) -> Consultation:
    """Re-read the consultation under a row lock, so two people cannot change it at once."""
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _space_of(consultation: Consultation):
    """The consultation's space (the generic relation caches it on the instance)."""
    space = consultation.space
    if space is None:
        raise PermissionDenied
    return space


@transaction.atomic
def consultation_update(*, actor, consultation: Consultation, **fields) -> Consultation:
    """Change a scheduled consultation; of an open one, only the closing time (never to a time
    already past). A closed consultation is on the record and does not change."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"consultation_update cannot change {sorted(unknown)}")
    space = _space_of(consultation)
    _lock_space(space)
    consultation = _locked(consultation)
    require(policies.can_hold_consultation(actor, space))
    if consultation.state == Consultation.State.CLOSED:
        raise ValidationError(_("The consultation is closed: it stays on the record as it was."))
    now = timezone.now()
    if "questions" in fields:
        fields["questions"] = normalise_questions(fields["questions"])
    if consultation.state == Consultation.State.OPEN:
        if set(fields) - {"closes_at"}:
            raise ValidationError(
                _("The consultation is open: only its closing time can change now.")
            )
        closes_at = fields.get("closes_at", consultation.closes_at)
        if closes_at <= now:
            raise ValidationError(
                {"closes_at": _("The closing time cannot be in the past: choose a later time.")}
            )
        other = _overlapping(
            space, consultation.opens_at, closes_at, exclude_pk=consultation.pk
        ).first()
        if other is not None:
            raise _overlap_error(other, "closes_at")
    else:
        merged = {name: fields.get(name, getattr(consultation, name)) for name in EDITABLE_FIELDS}
        _validate(
            space=space,
            **merged,
            now=now,
            check_opening="opens_at" in fields,
            exclude_pk=consultation.pk,
        )
    for name, value in fields.items():
        setattr(consultation, name, value.strip() if name in ("title", "rules") else value)
    if fields:
        consultation._history_user = actor
        consultation.save(update_fields=list(fields))
    return consultation


@transaction.atomic
def consultation_open(*, actor, consultation: Consultation) -> Consultation:
    """Open a scheduled consultation now, ahead of its opening time (those who may hold one
    on the space, while it accepts consultations)."""
    space = _space_of(consultation)
    _lock_space(space)
    consultation = _locked(consultation)
    require(policies.can_hold_consultation(actor, space))
    if consultation.state != Consultation.State.SCHEDULED:
        raise ValidationError(
            _("This consultation is already %(state)s.")
            % {"state": consultation.get_state_display().lower()}
        )
    now = timezone.now()
    if consultation.closes_at <= now:
        raise ValidationError(
            _("Its closing time has passed: set a later closing time before opening it.")
        )
    other = _overlapping(space, now, consultation.closes_at, exclude_pk=consultation.pk).first()
    if other is not None:
        raise _overlap_error(other, None)
    consultation.opened_at = now
    fields = ["opened_at"]
    if consultation.opens_at > now:
        consultation.opens_at = now
        fields.append("opens_at")
    consultation._history_user = actor
    consultation.save(update_fields=fields)
    notifications.notify_consultations(consultations=[consultation], opened=True, actor=actor)
    return consultation


@transaction.atomic
def consultation_close(*, actor, consultation: Consultation) -> Consultation:
    """Close an open consultation now, ahead of its closing time (those who respond on the
    space, whatever its state). Comments and votes stop; everything stays readable."""
    space = _space_of(consultation)
    consultation = _locked(consultation)
    require(policies.can_respond(actor, space))
    if consultation.state != Consultation.State.OPEN:
        raise ValidationError(
            _("Only an open consultation can be closed: this one is %(state)s.")
            % {"state": consultation.get_state_display().lower()}
        )
    now = timezone.now()
    consultation.closed_at = now
    fields = ["closed_at"]
    if consultation.closes_at > now:
        consultation.closes_at = now
        fields.append("closes_at")
    consultation._history_user = actor
    consultation.save(update_fields=fields)
    notifications.notify_consultations(consultations=[consultation], opened=False, actor=actor)
    return consultation


@transaction.atomic
def consultations_end_for_space(*, actor, space) -> int:
    """Close the space's open consultation and cancel its scheduled ones (closed without
    opening), because the space stopped accepting consultations — e.g. its plan was submitted
    or withdrawn. Called by the owner's lifecycle service, which has checked its own policy.
    Returns how many consultations it ended."""
    now = timezone.now()
    ended = 0
    for consultation in consultations_of(space).select_for_update().filter(closed_at__isnull=True):
        consultation.closed_at = now
        fields = ["closed_at"]
        if consultation.closes_at > now:
            consultation.closes_at = now
            fields.append("closes_at")
        if consultation.opens_at > now:
            # Never opened: keep its window valid (it closes after it would have opened).
            consultation.opens_at = now - datetime.timedelta(seconds=1)
            fields.append("opens_at")
        consultation._history_user = actor
        consultation._change_reason = "The space stopped accepting consultations"
        consultation.save(update_fields=fields)
        if consultation.opened_at is not None:
            notifications.notify_consultations(
                consultations=[consultation], opened=False, actor=actor
            )
        ended += 1
    return ended


def _stamp(consultations, due: Q, stamp: str, now, reason: str, *, then=None) -> list[Consultation]:
    """Set `stamp` = now on each consultation with a conditional UPDATE (`... WHERE pk = %s AND
    <due>`), and return those this run changed: when two workers race, each row's update
    succeeds in exactly one of them, and a row nobody needs to change any more is left alone.
    `then(changed)` runs in the same transaction (the notifications of the change)."""
    changed = []
    with transaction.atomic():
        for consultation in consultations:
            if Consultation.objects.filter(due, pk=consultation.pk).update(**{stamp: now}):
                setattr(consultation, stamp, now)
                changed.append(consultation)
        if changed:
            pagecache.objects_changed(*changed)
            Consultation.history.bulk_history_create(
                changed, update=True, default_change_reason=reason, default_date=now
            )
            if then is not None:
                then(changed)
    return changed


def _accepts_consultation(space) -> bool:
    return is_space(space) and space_adapter(space).accepts_consultation(space)


def consultations_tick(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Open the scheduled consultations whose opening time has come and close the open ones
    whose closing time has come; return how many were (opened, closed). Running it again
    changes nothing; a consultation due both to open and to close is opened, then closed.

    A consultation due to open on a space that no longer accepts one (the plan left
    co-creation meanwhile) is closed without opening, and counted as closed."""
    now = now or timezone.now()
    due_to_open = Q(opened_at__isnull=True, closed_at__isnull=True, opens_at__lte=now)
    due = list(Consultation.objects.filter(due_to_open).prefetch_related("space").order_by("pk"))
    opened = _stamp(
        [c for c in due if _accepts_consultation(c.space)],
        due_to_open,
        "opened_at",
        now,
        "Opened on schedule",
        then=lambda changed: notifications.notify_consultations(consultations=changed, opened=True),
    )
    dropped = _stamp(
        [c for c in due if not _accepts_consultation(c.space)],
        due_to_open,
        "closed_at",
        now,
        "Closed without opening: its space no longer accepts consultations",
    )
    due_to_close = Q(opened_at__isnull=False, closed_at__isnull=True, closes_at__lte=now)
    closed = _stamp(
        Consultation.objects.filter(due_to_close).order_by("pk"),
        due_to_close,
        "closed_at",
        now,
        "Closed on schedule",
        then=lambda changed: notifications.notify_consultations(
            consultations=changed, opened=False
        ),
    )
    return len(opened), len(closed) + len(dropped)
