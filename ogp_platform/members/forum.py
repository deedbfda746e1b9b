"""The multistakeholder forum and the repository of a member (OGP Participation and Co-Creation
Standards 1 and 2): writes and reads. Writes run in a transaction and attribute history rows to
the actor; the reads compute the warnings the member page shows."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_platform.services import require

from . import policies
from .models import ForumMeeting, ForumSeat, Member, RepositoryDocument

# The standards expect the forum to meet, and the repository to be updated, at least this often.
ACTIVITY_WINDOW = datetime.timedelta(days=183)


@transaction.atomic
def forum_rules_update(*, actor, member: Member, forum_rules: str) -> Member:
    require(policies.can_manage_forum(actor, member))
    member.forum_rules = forum_rules.strip()
    member._history_user = actor
    member.save(update_fields=["forum_rules"])
    return member


@transaction.atomic
def forum_seat_save(*, actor, member: Member, seat: ForumSeat | None = None, **fields) -> ForumSeat:
    """Add a seat, or change one (e.g. record that its holder left)."""
    require(policies.can_manage_forum(actor, member))
    seat = seat or ForumSeat(member=member)
    for name, value in fields.items():
        setattr(seat, name, value.strip() if isinstance(value, str) else value)
    if seat.left_on and seat.left_on < seat.joined_on:
        raise ValidationError({"left_on": _("Someone leaves the forum after joining it.")})
    seat._history_user = actor
    seat.save()
    return seat


@transaction.atomic
def forum_meeting_save(
    *, actor, member: Member, meeting: ForumMeeting | None = None, **fields
) -> ForumMeeting:
    """Record a meeting of the forum, or correct its record."""
    require(policies.can_manage_forum(actor, member))
    if fields.get("held_on") and fields["held_on"] > timezone.localdate():
        raise ValidationError(
            {"held_on": _("Record meetings once they have taken place: the date is in the future.")}
        )
    meeting = meeting or ForumMeeting(member=member, recorded_by=actor)
    for name, value in fields.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    meeting._history_user = actor
    meeting.save()
    return meeting


@transaction.atomic
def document_add(*, actor, member: Member, title, kind, dated, url="", file=None):
    """Add a document (a link or a PDF) to the member's repository."""
    require(policies.can_manage_forum(actor, member))
    if bool(url) == bool(file):
        raise ValidationError(_("Give either a link or a PDF file, not both."))
    document = RepositoryDocument(
        member=member, title=title.strip(), kind=kind, dated=dated, url=url, added_by=actor
    )
    if file:
        document.file = file
    document.full_clean(exclude=["member"])
    document.save()
    return document


@transaction.atomic
def document_remove(*, actor, document: RepositoryDocument) -> None:
    require(policies.can_manage_forum(actor, document.member))
    if document.file:
        document.file.delete(save=False)
    document.delete()


@dataclass
class Activity:
    """When the forum last met and the repository last grew, and whether that is too long ago."""

    last_meeting: datetime.date | None
    last_document: datetime.datetime | None
    government_seats: int
    civil_society_seats: int
    other_seats: int

    @property
    def meeting_overdue(self) -> bool:
        cutoff = timezone.localdate() - ACTIVITY_WINDOW
        return self.last_meeting is None or self.last_meeting < cutoff

    @property
    def repository_stale(self) -> bool:
        cutoff = timezone.now() - ACTIVITY_WINDOW
        return self.last_document is None or self.last_document < cutoff

    @property
    def balanced(self) -> bool:
        """OGP asks for civil society to hold at least as many seats as government."""
        return self.civil_society_seats >= self.government_seats > 0


def member_activity(member: Member) -> Activity:
    """One query, whatever the size of the forum and the repository."""
    today = timezone.localdate()
    current = ForumSeat.objects.filter(member=OuterRef("pk")).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )

    def seats(sector):
        counted = current.filter(sector=sector).values("member").annotate(n=Count("pk"))
        return Coalesce(Subquery(counted.values("n")), 0)

    row = (
        Member.objects.filter(pk=member.pk)
        .annotate(
            last_meeting=Subquery(
                ForumMeeting.objects.filter(member=OuterRef("pk"))
                .order_by("-held_on")
                .values("held_on")[:1]
            ),
            last_document=Subquery(
                RepositoryDocument.objects.filter(member=OuterRef("pk"))
                .order_by("-added_at")
                .values("added_at")[:1]
            ),
            government=seats(ForumSeat.Sector.GOVERNMENT),
            civil_society=seats(ForumSeat.Sector.CIVIL_SOCIETY),
            other=seats(ForumSeat.Sector.OTHER),
        )
        .values("last_meeting", "last_document", "government", "civil_society", "other")
        .get()
    )
    return Activity(
        last_meeting=row["last_meeting"],
        last_document=row["last_document"],
        government_seats=row["government"],
        civil_society_seats=row["civil_society"],
        other_seats=row["other"],
    )
