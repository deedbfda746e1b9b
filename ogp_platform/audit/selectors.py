"""The audit log: every change to plans, commitments, milestones, responses, moderation
decisions, roles and member statuses, with who made it and when, newest first, in one list.

The changes live in a dozen tables: the historical records django-simple-history keeps, and the
append-only records of the services (plan transitions, member status changes, moderation
actions, platform role changes). They are read as one `UNION ALL` of small `values()` queries,
(kind, row id, date, user id), ordered by date with LIMIT/OFFSET: the database merges the
tables' date indexes, so a page costs the same however long the log. The page's rows are then
read in bulk, one query per kind on the page, so a page costs a constant number of queries.

The log knows the tables only as the sources registered with it (`ogp_platform.audit.sources`):
the core's own below (`register`, called by the audit app), and each app's in its
`AppConfig.ready()`. No app knows the log exists beyond that registration.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, CharField, F, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_platform import roles
from ogp_platform.members.models import (
    ForumSeat,
    Member,
    MemberRole,
    MemberStatusChange,
    Organisation,
    OrganisationMembership,
    OrganisationRename,
)

from .models import ObjectRoleChange, PlatformRoleChange
from .sources import (
    SOURCES,
    Entry,
    Lookup,
    MemberScope,
    Source,
    history_source,
    member_name,
    member_url,
    person,
    removed,
    version_entries,
    version_entry,
    versions,
)
from .sources import register as register_sources

PER_PAGE = 50
MAX_PAGE = 100_000
# Rows of the CSV file resolved together: a few queries per this many rows.
EXPORT_BATCH = 500


@dataclass(frozen=True)
class Filters:
    """What the log is narrowed to; every field optional."""

    kinds: tuple[str, ...] = ()
    member: Member | None = None
    person: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, source.label) for kind, source in SOURCES.items()]


# --- The merged list -----------------------------------------------------------------------


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of the day, in the time zone of the page."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _branch(
    source: Source, filters: Filters, scope: MemberScope | None, people: QuerySet | None
) -> QuerySet | None:
    """The source's changes that pass the filters, as (kind, row, date, user) rows; None when
    no change of the source can pass."""
    rows = source.rows()
    if scope is not None:
        if source.member is None:
            return None
        rows = rows.filter(**source.member(scope))
    if people is not None:
        rows = rows.filter(**{f"{source.user}__in": people})
    if filters.date_from:
        rows = rows.filter(**{f"{source.date}__gte": _start_of(filters.date_from)})
    if filters.date_to:
        next_day = filters.date_to + datetime.timedelta(days=1)
        rows = rows.filter(**{f"{source.date}__lt": _start_of(next_day)})
    # Every branch's columns have the same types (history ids are integers, row ids big
    # integers): PostgreSQL then merges the branches' date indexes instead of sorting them all.
    return rows.order_by().values(
        audit_kind=Cast(Value(source.kind), CharField()),
        audit_row=Cast(source.row, BigIntegerField()),
        audit_date=F(source.date),
        audit_user=F(source.user),
    )


def log_rows(filters: Filters) -> QuerySet | None:
    """Every change passing the filters, newest first, as dicts of `audit_kind`, `audit_row`,
    `audit_date` and `audit_user`: one query, which the caller slices (and two before it to
    scope it to a member). None when nothing can pass (e.g. only kinds that belong to no
    member, for one member)."""
    people = None
    if filters.person:
        people = get_user_model().objects.filter(email__icontains=filters.person).values("pk")
    scope = MemberScope(filters.member.pk) if filters.member is not None else None
    kinds = filters.kinds or tuple(SOURCES)
    branches = [
        branch
        for branch in (_branch(SOURCES[kind], filters, scope, people) for kind in kinds)
        if branch is not None
    ]
    if not branches:
        return None
    first, *others = branches
    merged = first.union(*others, all=True) if others else first
    return merged.order_by("-audit_date", "-audit_row", "audit_kind")


@dataclass
class LogPage:
    """One page of the log: its entries and whether there are pages either side. The log is
    not counted: a count would read every row of every table on each page."""

    entries: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(value) -> int:
    """The page asked for in the query string: 1 unless it is a page number (capped, so that
    no offset overflows the database's integers)."""
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def log_page(filters: Filters, number: int = 1, per_page: int = PER_PAGE) -> LogPage:
    rows = log_rows(filters)
    if rows is None:
        return LogPage([], number, has_next=False)
    start = (number - 1) * per_page
    found = list(rows[start : start + per_page + 1])
    return LogPage(entries(found[:per_page]), number, has_next=len(found) > per_page)


def all_entries(filters: Filters) -> Iterator["Entry"]:
    """Every entry passing the filters, newest first, for the download: the merged rows are
    read with one streamed query and resolved a batch at a time."""
    rows = log_rows(filters)
    if rows is None:
        return
    stream = rows.iterator(chunk_size=EXPORT_BATCH)
    while batch := list(islice(stream, EXPORT_BATCH)):
        yield from entries(batch)


# --- The core's sources ---------------------------------------------------------------------

# Each builder reads the page's rows of one kind in bulk and returns what `entries` needs
# (see `ogp_platform.audit.sources`).


def _member_roles(ids, lookup):
    pairs = versions(MemberRole, ids)
    for record, _previous in pairs:
        lookup.want(Member, record.member_id)
        lookup.want(get_user_model(), record.user_id)

    def build(record, previous):
        subject = _("%(role)s: %(person)s on %(member)s") % {
            "role": record.get_role_display(),
            "person": person(lookup, record.user_id),
            "member": member_name(lookup, record.member_id),
        }
        url = member_url(lookup, record.member_id, "members:team")
        return version_entry("member_role", record, previous, subject=subject, url=url)

    return version_entries(pairs, build)


def _memberships(ids, lookup):
    pairs = versions(OrganisationMembership, ids)
    for record, _previous in pairs:
        lookup.want(Organisation, record.organisation_id)
        lookup.want(get_user_model(), record.user_id)

    def build(record, previous):
        organisation = lookup.get(Organisation, record.organisation_id)
        # Administrators are a role on the organisation (the "object_role" kind), not a kind
        # of membership.
        subject = _("%(role)s of %(organisation)s: %(person)s (%(status)s)") % {
            "role": _("Member"),
            "organisation": organisation.name
            if organisation
            else removed(_("organisation"), record.organisation_id),
            "person": person(lookup, record.user_id),
            "status": record.get_status_display(),
        }
        url = organisation.get_absolute_url() if organisation else ""
        return version_entry("organisation_membership", record, previous, subject=subject, url=url)

    return version_entries(pairs, build)


def _renames(ids, lookup):
    pairs = versions(OrganisationRename, ids)
    for record, _previous in pairs:
        lookup.want(Organisation, record.organisation_id)

    def build(record, previous):
        organisation = lookup.get(Organisation, record.organisation_id)
        subject = _("Rename of %(old)s to %(new)s (%(status)s)") % {
            "old": record.old_name,
            "new": record.new_name,
            "status": record.get_status_display(),
        }
        url = organisation.get_absolute_url() if organisation else ""
        entry = version_entry("organisation_rename", record, previous, subject=subject, url=url)
        # The decision's reason, on the version that records it.
        entry.summary = record.reason
        return entry

    return version_entries(pairs, build)


def _forum_seats(ids, lookup):
    pairs = versions(ForumSeat, ids)
    for record, _previous in pairs:
        lookup.want(Member, record.member_id)

    def build(record, previous):
        subject = _("%(name)s (%(sector)s) on the forum of %(member)s") % {
            "name": record.name,
            "sector": record.get_sector_display(),
            "member": member_name(lookup, record.member_id),
        }
        url = member_url(lookup, record.member_id, "members:forum")
        return version_entry("forum_seat", record, previous, subject=subject, url=url)

    return version_entries(pairs, build)


def _platform_roles(ids, lookup):
    changes = list(PlatformRoleChange.objects.filter(pk__in=ids))
    for change in changes:
        lookup.want(get_user_model(), change.user_id)

    def build(change, _unused):
        values = {"role": change.role, "person": person(lookup, change.user_id)}
        if change.granted:
            subject = _("%(role)s given to %(person)s") % values
        else:
            subject = _("%(role)s taken from %(person)s") % values
        return Entry(
            kind="platform_role",
            date=change.changed_at,
            actor_id=change.changed_by_id,
            subject=subject,
            summary=_("Granted") if change.granted else _("Revoked"),
        )

    return {change.pk: (build, change, None) for change in changes}


def _object_roles(ids, lookup):
    changes = list(ObjectRoleChange.objects.filter(pk__in=ids).select_related("content_type"))
    for change in changes:
        lookup.want(get_user_model(), change.user_id)
    # The objects, for their pages: one query per kind of object on the page.
    wanted: dict = {}
    for change in changes:
        wanted.setdefault(change.content_type, set()).add(change.object_pk)
    objects = {}
    for ctype, pks in wanted.items():
        model = ctype.model_class()
        if model is not None:
            for obj in model._default_manager.filter(pk__in=pks):
                objects[(ctype.pk, str(obj.pk))] = obj

    def build(change, _unused):
        obj = objects.get((change.content_type_id, change.object_pk))
        values = {
            "role": roles.role_label(change.content_type, change.permission),
            "object": obj if obj is not None else change.object_repr,
            # A role given to a group (a team) names the group as its app called it.
            "person": person(lookup, change.user_id)
            if change.user_id is not None
            else _("the group “%(group)s”") % {"group": change.group_name},
        }
        if change.granted:
            subject = _("“%(role)s” on %(object)s given to %(person)s") % values
        else:
            subject = _("“%(role)s” on %(object)s taken from %(person)s") % values
        return Entry(
            kind="object_role",
            date=change.changed_at,
            actor_id=change.changed_by_id,
            subject=subject,
            url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
            summary=_("Granted") if change.granted else _("Revoked"),
        )

    return {change.pk: (build, change, None) for change in changes}


def _member_statuses(ids, lookup):
    changes = list(MemberStatusChange.objects.filter(pk__in=ids).select_related("member"))

    def build(change, _unused):
        return Entry(
            kind="member_status",
            date=change.changed_at,
            actor_id=change.changed_by_id,
            subject=change.member.name,
            url=change.member.get_absolute_url(),
            summary=_("%(old)s → %(new)s: %(reason)s")
            % {
                "old": change.get_from_status_display() or "—",
                "new": change.get_to_status_display(),
                "reason": change.reason,
            },
        )

    return {change.pk: (build, change, None) for change in changes}


def register() -> None:
    """The core's sources: roles on members, organisations, forum seats, platform roles, roles
    on objects and member statuses (the audit app calls it in its `ready()`)."""
    register_sources(
        history_source(
            "member_role",
            gettext_lazy("Role on a member"),
            MemberRole,
            member=lambda scope: {"member_id": scope.member},
            entries=_member_roles,
        ),
        history_source(
            "organisation_membership",
            gettext_lazy("Organisation membership"),
            OrganisationMembership,
            member=None,
            entries=_memberships,
        ),
        history_source(
            "organisation_rename",
            gettext_lazy("Organisation rename"),
            OrganisationRename,
            member=None,
            entries=_renames,
        ),
        history_source(
            "forum_seat",
            gettext_lazy("Forum seat"),
            ForumSeat,
            member=lambda scope: {"member_id": scope.member},
            entries=_forum_seats,
        ),
        Source(
            "platform_role",
            gettext_lazy("Platform role"),
            rows=PlatformRoleChange.objects.all,
            date="changed_at",
            user="changed_by_id",
            member=None,
            historical=False,
            entries=_platform_roles,
        ),
        Source(
            "object_role",
            gettext_lazy("Role on an object"),
            rows=ObjectRoleChange.objects.all,
            date="changed_at",
            user="changed_by_id",
            member=None,
            historical=False,
            entries=_object_roles,
        ),
        Source(
            "member_status",
            gettext_lazy("Member status"),
            rows=MemberStatusChange.objects.all,
            date="changed_at",
            user="changed_by_id",
            member=lambda scope: {"member_id": scope.member},
            historical=False,
            entries=_member_statuses,
        ),
    )


def entries(rows: Iterable[dict]) -> list[Entry]:
    """The entries of merged rows, in their order: one query per kind among them, then one
    each for the people, members and organisations they name."""
    rows = list(rows)
    wanted: dict[str, list] = {}
    for row in rows:
        wanted.setdefault(row["audit_kind"], []).append(row["audit_row"])
    lookup = Lookup()
    found = {kind: SOURCES[kind].entries(ids, lookup) for kind, ids in wanted.items()}
    for row in rows:
        lookup.want(get_user_model(), row["audit_user"])
    lookup.load()
    result = []
    for row in rows:
        item = found[row["audit_kind"]].get(row["audit_row"])
        if item is None:
            # Removed between the two queries (a cascade): nothing left to show.
            continue
        build, obj, previous = item
        entry = build(obj, previous)
        entry.actor = lookup.get(get_user_model(), entry.actor_id)
        result.append(entry)
    return result
