"""Writes to the reasoned-response register (OGP Standard 4): record an input received outside
the platform, and give an input its response.

Every top-level comment enters the register by itself (see `services.comments.comment_post`);
officers add what reached them otherwise (a written submission, a point raised at a forum
meeting, an email). Each input then receives a disposition and, for every disposition but
"pending", a reason (also a database constraint). The author of a comment is notified each
time the response to it changes (`services.notifications`: by email, as they chose).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_platform.services import require

from .. import policies
from ..interface import is_participable, is_space, space_adapter
from ..models import Input
from ..selectors import content_type_of
from . import notifications

OFFLINE_SOURCES = [value for value in Input.Source.values if value != Input.Source.COMMENT]
MAX_TEXT_LENGTH = 20000
MAX_REASON_LENGTH = 5000
# Dispositions under which an input can be said to be taken into one of the space's objects.
TAKEN_INTO_DISPOSITIONS = {Input.Disposition.ACCEPTED, Input.Disposition.PARTIAL}


def _check_space(space) -> None:
    """The register belongs to a space (a plan), not to what the space holds."""
    if not is_space(space):
        raise ValueError(f"{space!r} is not a participation space")


def space_children(space) -> list:
    """What an input on the space can be taken into (a plan's commitments), from the space's
    adapter."""
    return list(space_adapter(space).children(space))


# --- Recording inputs received outside the platform -----------------------------------------


@transaction.atomic
def input_record(
    *,
    actor,
    space,
    source: str,
    text: str,
    received_on: datetime.date,
    author_name: str = "",
    organisation_name: str = "",
    organisation_kind: str = Input.OrganisationKind.INDIVIDUAL,
) -> Input:
    """Enter in the space's register an input received outside the platform: a written
    submission, a point raised at a forum or public meeting, an email, or another channel.
    Those who respond on the space record them (PermissionDenied otherwise). The text is
    required and the date cannot be in the future; the input starts pending."""
    _check_space(space)
    require(policies.can_respond(actor, space))
    text = (text or "").strip()
    author_name = (author_name or "").strip()
    organisation_name = (organisation_name or "").strip()
    errors = {}
    if source not in OFFLINE_SOURCES:
        errors["source"] = _(
            "Choose where the input came from: comments on the platform enter the register "
            "by themselves."
        )
    if not text:
        errors["text"] = _("Write down what was said or submitted.")
    elif len(text) > MAX_TEXT_LENGTH:
        errors["text"] = _("At most %(max)d characters; this text has %(length)d.") % {
            "max": MAX_TEXT_LENGTH,
            "length": len(text),
        }
    if received_on is None:
        errors["received_on"] = _("Give the date the input was received.")
    elif received_on > timezone.localdate():
        errors["received_on"] = _("The date cannot be in the future.")
    for name, value in (("author_name", author_name), ("organisation_name", organisation_name)):
        limit = Input._meta.get_field(name).max_length
        if len(value) > limit:
            errors[name] = _("At most %(max)d characters.") % {"max": limit}
    if organisation_kind not in Input.OrganisationKind.values:
        errors["organisation_kind"] = _("Choose a kind of contributor from the list.")
    if errors:
        raise ValidationError(errors)
    item = Input(
        space_type=content_type_of(space),
        space_id=space.pk,
        member=space_adapter(space).primary_member(space),
        source=source,
        text=text,
        received_on=received_on,
        author_name=author_name,
        organisation_name=organisation_name,
        organisation_kind=organisation_kind,
        recorded_by=actor,
    )
    item._history_user = actor
    item.save()
    return item


@transaction.atomic
def input_submit(
    *,
    actor,
    space,
    text: str,
    organisation_name: str,
    organisation_kind: str = Input.OrganisationKind.PUBLIC,
) -> Input:
    """Enter in the space's register a written submission the actor makes today in the name of
    an organisation or body (a body of a joint plan proposing an action to its plan), to be
    answered there with a reasoned response like any input. Anyone signed in who may read the
    space may submit (PermissionDenied otherwise); the module that calls this checks who may
    speak for the organisation. The text is required; the input starts pending, signed by the
    actor with the organisation's name."""
    _check_space(space)
    require(actor.is_authenticated and actor.is_active and policies.can_read(actor, space))
    text = (text or "").strip()
    organisation_name = " ".join((organisation_name or "").split())
    errors = {}
    if not text:
        errors["text"] = _("Write down what is submitted.")
    elif len(text) > MAX_TEXT_LENGTH:
        errors["text"] = _("At most %(max)d characters; this text has %(length)d.") % {
            "max": MAX_TEXT_LENGTH,
            "length": len(text),
        }
    limit = Input._meta.get_field("organisation_name").max_length
    if len(organisation_name) > limit:
        errors["organisation_name"] = _("At most %(max)d characters.") % {"max": limit}
    if organisation_kind not in Input.OrganisationKind.values:
        errors["organisation_kind"] = _("Choose a kind of contributor from the list.")
    if errors:
        raise ValidationError(errors)
    author_limit = Input._meta.get_field("author_name").max_length
    item = Input(
        space_type=content_type_of(space),
        space_id=space.pk,
        member=space_adapter(space).primary_member(space),
        source=Input.Source.WRITTEN,
        text=text,
        received_on=timezone.localdate(),
        author_name=(actor.get_full_name() or "")[:author_limit],
        organisation_name=organisation_name,
        organisation_kind=organisation_kind,
        recorded_by=actor,
    )
    item._history_user = actor
    item.save()
    return item


# --- Responding -----------------------------------------------------------------------------


def _same_space(item: Input, other: Input) -> bool:
    return other.space_type_id == item.space_type_id and other.space_id == item.space_id


def _check_merge(item: Input, target: Input | None) -> None:
    """A merged input names another input of the same space, and merging makes no cycle."""
    if target is None:
        raise ValidationError({"merged_into": _("Choose the input this one is merged into.")})
    if target.pk == item.pk:
        raise ValidationError({"merged_into": _("An input cannot be merged into itself.")})
    if not _same_space(item, target):
        raise ValidationError({"merged_into": _("Choose an input of the same register.")})
    # Walk the chain from the target, as stored: it must not lead back to this input.
    seen = {item.pk}
    step = Input.objects.only("pk", "merged_into_id").get(pk=target.pk)
    while step is not None:
        if step.pk in seen:
            raise ValidationError(
                {
                    "merged_into": _(
                        "Input %(number)s is itself merged, directly or through others, into "
                        "this one: merging would go round in a circle."
                    )
                    % {"number": target.pk}
                }
            )
        seen.add(step.pk)
        if step.merged_into_id is None:
            break
        step = Input.objects.only("pk", "merged_into_id").get(pk=step.merged_into_id)


def _check_taken_into(space, taken_into) -> None:
    """What an input was taken into is one of the objects its space holds (a commitment of the
    plan), as offered by the space's adapter."""
    offered = {(content_type_of(obj).pk, obj.pk) for obj in space_children(space)}
    if (
        not is_participable(taken_into)
        or (content_type_of(taken_into).pk, taken_into.pk) not in offered
    ):
        raise ValidationError(
            {
                "taken_into": _("Choose one of the %(items)s of this %(space)s.")
                % space_adapter(space).nouns.as_dict()
            }
        )


@transaction.atomic
def input_respond(
    *,
    actor,
    input: Input,
    disposition: str,
    reason: str,
    merged_into: Input | None = None,
    taken_into=None,
) -> Input:
    """Give an input its reasoned response: a disposition, and a reason for every disposition
    but "pending". "Merged" names another input of the same register (never itself, never in a
    circle); "accepted" and "partially accepted" may name what the space holds (a plan's
    commitment) that the input was taken into. Those who respond on the space do it
    (PermissionDenied otherwise); the response is signed and dated, and the history keeps every
    version.

    When the response changes (setting the same response again changes nothing), the author of
    a comment is notified (`notifications.notify_response`: emailed after commit, in their
    preferred language, as their notification setting says). Setting an input back to pending
    withdraws the response and sends nothing."""
    item = Input.objects.select_for_update().get(pk=input.pk)
    space = item.space
    if space is None:
        raise PermissionDenied
    require(policies.can_respond(actor, space))
    reason = (reason or "").strip()
    errors = {}
    if disposition not in Input.Disposition.values:
        errors["disposition"] = _("Choose a disposition from the list.")
    pending = disposition == Input.Disposition.PENDING
    if not pending and not reason:
        errors["reason"] = _("Give the reason for this response: it is published with the input.")
    elif len(reason) > MAX_REASON_LENGTH:
        errors["reason"] = _("At most %(max)d characters; this reason has %(length)d.") % {
            "max": MAX_REASON_LENGTH,
            "length": len(reason),
        }
    if merged_into is not None and disposition != Input.Disposition.MERGED:
        errors["merged_into"] = _(
            "Only an input merged into another names one: choose “Merged into another input”, "
            "or leave this empty."
        )
    if taken_into is not None and disposition not in TAKEN_INTO_DISPOSITIONS:
        errors["taken_into"] = (
            _(
                "Only an accepted or partially accepted input is taken into a %(item)s: leave "
                "this empty."
            )
            % space_adapter(space).nouns.as_dict()
        )
    if errors:
        raise ValidationError(errors)
    if disposition == Input.Disposition.MERGED:
        # Two officers merging a into b and b into a at once would each see no circle:
        # merges on one register wait for each other.
        type(space)._default_manager.select_for_update().filter(pk=space.pk).first()
        _check_merge(item, merged_into)
    if taken_into is not None:
        _check_taken_into(space, taken_into)

    taken_type = content_type_of(taken_into) if taken_into is not None else None
    new = {
        "disposition": disposition,
        "reason": reason,
        "merged_into_id": merged_into.pk if merged_into is not None else None,
        "taken_into_type_id": taken_type.pk if taken_type is not None else None,
        "taken_into_id": taken_into.pk if taken_into is not None else None,
    }
    if all(getattr(item, name) == value for name, value in new.items()):
        return item
    for name, value in new.items():
        setattr(item, name, value)
    if pending:
        item.responded_by = None
        item.responded_at = None
    else:
        item.responded_by = actor
        item.responded_at = timezone.now()
    item._history_user = actor
    item.save(update_fields=[*new, "responded_by", "responded_at"])
    if not pending and item.source == Input.Source.COMMENT:
        notifications.notify_response(actor=actor, input=item)
    return item
