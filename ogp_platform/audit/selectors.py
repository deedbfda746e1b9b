"""The audit log: every change to plans, commitments, milestones, responses, moderation
decisions, roles and member statuses, with who made it and when, newest first, in one list.

The changes live in a dozen tables: the historical records django-simple-history keeps, and the
append-only records of the services (plan transitions, member status changes, moderation
actions, platform role changes). They are read as one `UNION ALL` of small `values()` queries,
(kind, row id, date, user id), ordered by date with LIMIT/OFFSET: the database merges the
tables' date indexes, so a page costs the same however long the log. The page's rows are then
read in bulk, one query per kind on the page, so a page costs a constant number of queries.

Like the URL configuration, the audit log sits on top of every app: it reads their models, and
none of them knows it exists.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, CharField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from action_plans.models import ActionPlan, PlanTransition
from commitments.models import Commitment, Milestone
from ogp_platform.history import KIND_LABELS, KINDS
from ogp_platform.members.models import (
    ForumSeat,
    Member,
    MemberRole,
    MemberStatusChange,
    Organisation,
    OrganisationMembership,
    OrganisationRename,
)
from participation.models import Input, ModerationAction

from .models import PlatformRoleChange

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


@dataclass(frozen=True)
class Source:
    """One table the log reads: which of its columns are the date, the person and the row, and
    how to keep only one member's changes (`member`: a function of the `MemberScope` giving a
    filter, or None when the changes belong to no member)."""

    kind: str
    label: str
    rows: Callable[[], QuerySet]
    date: str
    user: str
    member: Callable[["MemberScope"], dict] | None
    historical: bool

    @property
    def row(self) -> str:
        return "history_id" if self.historical else "pk"


@dataclass(frozen=True)
class MemberScope:
    """A member, its plans and every commitment they ever had (removed ones too), by id: read
    beforehand (two small queries), so that each branch of the log filters on a list of ids
    rather than joining its history to the history of another table."""

    member: int
    plans: list[int]
    commitments: list[int]

    @classmethod
    def of(cls, member: Member) -> "MemberScope":
        plans = list(ActionPlan.objects.filter(member=member).values_list("pk", flat=True))
        commitments = list(
            Commitment.history.filter(plan_id__in=plans)
            .order_by()
            .values_list("id", flat=True)
            .distinct()
        )
        return cls(member.pk, plans, commitments)


def _history(model, date="history_date", user="history_user_id"):
    return {"rows": lambda: model.history.all(), "date": date, "user": user, "historical": True}


SOURCES = {
    source.kind: source
    for source in (
        Source(
            "plan",
            gettext_lazy("Action plan"),
            member=lambda scope: {"member_id": scope.member},
            **_history(ActionPlan),
        ),
        Source(
            "transition",
            gettext_lazy("Plan lifecycle"),
            rows=PlanTransition.objects.all,
            date="created_at",
            user="actor_id",
            member=lambda scope: {"plan_id__in": scope.plans},
            historical=False,
        ),
        Source(
            "commitment",
            gettext_lazy("Commitment"),
            member=lambda scope: {"plan_id__in": scope.plans},
            **_history(Commitment),
        ),
        Source(
            "milestone",
            gettext_lazy("Milestone"),
            member=lambda scope: {"commitment_id__in": scope.commitments},
            **_history(Milestone),
        ),
        Source(
            "response",
            gettext_lazy("Response to an input"),
            # The versions of an input from its first response on: the response's changes.
            rows=lambda: Input.history.filter(responded_at__isnull=False),
            date="history_date",
            user="history_user_id",
            member=lambda scope: {"member_id": scope.member},
            historical=True,
        ),
        Source(
            "moderation",
            gettext_lazy("Moderation"),
            rows=ModerationAction.objects.all,
            date="created_at",
            user="moderator_id",
            member=lambda scope: {"comment__consultation__member_id": scope.member},
            historical=False,
        ),
        Source(
            "member_role",
            gettext_lazy("Role on a member"),
            member=lambda scope: {"member_id": scope.member},
            **_history(MemberRole),
        ),
        Source(
            "organisation_membership",
            gettext_lazy("Organisation membership"),
            member=None,
            **_history(OrganisationMembership),
        ),
        Source(
            "organisation_rename",
            gettext_lazy("Organisation rename"),
            member=None,
            **_history(OrganisationRename),
        ),
        Source(
            "forum_seat",
            gettext_lazy("Forum seat"),
            member=lambda scope: {"member_id": scope.member},
            **_history(ForumSeat),
        ),
        Source(
            "platform_role",
            gettext_lazy("Platform role"),
            rows=PlatformRoleChange.objects.all,
            date="changed_at",
            user="changed_by_id",
            member=None,
            historical=False,
        ),
        Source(
            "member_status",
            gettext_lazy("Member status"),
            rows=MemberStatusChange.objects.all,
            date="changed_at",
            user="changed_by_id",
            member=lambda scope: {"member_id": scope.member},
            historical=False,
        ),
    )
}


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
    scope = MemberScope.of(filters.member) if filters.member is not None else None
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


# --- The entries ---------------------------------------------------------------------------


@dataclass
class Entry:
    """One change as the log shows it."""

    kind: str
    date: datetime.datetime
    # Who made the change, by id (None: no signed-in person, e.g. a script); `actor` is the
    # person, filled in once the page's people are read.
    actor_id: int | None
    subject: str
    # The object's page, or its changes page when it keeps one.
    url: str = ""
    # "created", "changed" or "removed", for records of a version; "" for recorded decisions.
    action: str = ""
    # The labels of the fields that changed.
    fields: list[str] = field(default_factory=list)
    # What a recorded decision says (e.g. "Hidden: spam"), or a role given or taken away.
    summary: str = ""
    # The comparison of this version with the one before it, on the object's changes page.
    diff_url: str = ""
    actor: object | None = None

    @property
    def kind_label(self) -> str:
        return str(SOURCES[self.kind].label)

    @property
    def action_label(self) -> str:
        return str(KIND_LABELS[self.action]) if self.action else ""

    @property
    def what(self) -> str:
        """What changed, as one line of text (for the CSV file)."""
        parts = [self.action_label] if self.action else []
        if self.fields:
            parts.append(", ".join(self.fields))
        if self.summary:
            parts.append(self.summary)
        return ": ".join(parts)


def _versions(model, ids) -> list[tuple]:
    """The page's versions of `model`, each with the object's version before it: (record,
    previous or None), in two queries."""
    earlier = model.history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
    records = list(
        model.history.filter(history_id__in=ids).annotate(
            audit_previous=Subquery(earlier.order_by("-history_id").values("history_id")[:1])
        )
    )
    previous = model.history.in_bulk(
        [record.audit_previous for record in records if record.audit_previous is not None]
    )
    return [(record, previous.get(record.audit_previous)) for record in records]


def _changed_fields(record, previous) -> list[str]:
    """The labels of the fields people edit that differ from the previous version."""
    if record.history_type != "~" or previous is None:
        return []
    names = [
        model_field.name
        for model_field in record.tracked_fields
        if model_field.editable and not model_field.primary_key
    ]
    delta = record.diff_against(previous, included_fields=names)
    return [str(record._meta.get_field(change.field).verbose_name) for change in delta.changes]


def _version_entry(kind, record, previous, *, subject, url, diff_base="") -> "Entry":
    """An entry for one historical record. `diff_base` is the object's changes page: the entry
    links to the comparison of this version with the one before."""
    action = KINDS.get(record.history_type, "changed")
    diff_url = ""
    if diff_base and previous is not None and action == "changed":
        diff_url = f"{diff_base}?from={previous.history_id}&to={record.history_id}#comparison"
    return Entry(
        kind=kind,
        date=record.history_date,
        actor_id=record.history_user_id,
        subject=subject,
        url=url,
        action=action,
        fields=_changed_fields(record, previous),
        diff_url=diff_url,
    )


class _Lookup:
    """People, members and organisations the page's entries name, read once for the page."""

    def __init__(self):
        self.wanted: dict = {get_user_model(): set(), Member: set(), Organisation: set()}
        self.found: dict = {}

    def want(self, model, pk) -> None:
        if pk is not None:
            self.wanted[model].add(pk)

    def load(self) -> None:
        self.found = {
            model: model._default_manager.in_bulk(ids) if ids else {}
            for model, ids in self.wanted.items()
        }

    def get(self, model, pk):
        return self.found[model].get(pk)


def _removed(thing: str, pk) -> str:
    return _("a removed %(thing)s (#%(id)s)") % {"thing": thing, "id": pk}


def _person(lookup: _Lookup, pk) -> str:
    user = lookup.get(get_user_model(), pk)
    return f"{user.get_full_name()} <{user.email}>" if user else _removed(_("person"), pk)


def _member_name(lookup: _Lookup, pk) -> str:
    member = lookup.get(Member, pk)
    return member.name if member else _removed(_("member"), pk)


def _member_url(lookup: _Lookup, pk, name: str = "members:detail") -> str:
    member = lookup.get(Member, pk)
    return reverse(name, args=[member.slug]) if member else ""


# Each builder reads the page's rows of one kind in bulk and returns a function that makes
# each row's entry once the people, members and organisations they name are loaded.


def _plans(ids, lookup):
    versions = _versions(ActionPlan, ids)

    def build(record, previous):
        changes = reverse("action_plans:changes", args=[record.identifier])
        subject = f"{record.identifier} {record.title}"
        return _version_entry(
            "plan", record, previous, subject=subject, url=changes, diff_base=changes
        )

    return {record.history_id: (build, record, previous) for record, previous in versions}


def _commitments(ids, lookup):
    versions = _versions(Commitment, ids)

    def build(record, previous):
        changes = reverse("commitments:changes", args=[record.identifier])
        subject = f"{record.identifier} {record.short_title or record.title}"
        return _version_entry(
            "commitment", record, previous, subject=subject, url=changes, diff_base=changes
        )

    return {record.history_id: (build, record, previous) for record, previous in versions}


def _milestones(ids, lookup):
    versions = _versions(Milestone, ids)
    # A commitment's id never changes, and its history outlives it: one query finds them all.
    identifiers = dict(
        Commitment.history.filter(id__in={record.commitment_id for record, _prev in versions})
        .order_by()
        .values_list("id", "identifier")
        .distinct()
    )

    def build(record, previous):
        identifier = identifiers.get(record.commitment_id)
        changes = (
            reverse("commitments:milestone_changes", args=[identifier, record.id])
            if identifier
            else ""
        )
        subject = _("%(title)s (milestone of %(commitment)s)") % {
            "title": record.title,
            "commitment": identifier or "?",
        }
        return _version_entry(
            "milestone", record, previous, subject=subject, url=changes, diff_base=changes
        )

    return {record.history_id: (build, record, previous) for record, previous in versions}


def _responses(ids, lookup):
    versions = _versions(Input, ids)
    for record, _previous in versions:
        lookup.want(Member, record.member_id)

    def build(record, previous):
        url = reverse("participation:register", args=[record.space_type_id, record.space_id])
        subject = _("Input %(number)s to %(member)s (%(disposition)s)") % {
            "number": record.id,
            "member": _member_name(lookup, record.member_id),
            "disposition": record.get_disposition_display(),
        }
        return _version_entry("response", record, previous, subject=subject, url=url)

    return {record.history_id: (build, record, previous) for record, previous in versions}


def _member_roles(ids, lookup):
    versions = _versions(MemberRole, ids)
    for record, _previous in versions:
        lookup.want(Member, record.member_id)
        lookup.want(get_user_model(), record.user_id)

    def build(record, previous):
        subject = _("%(role)s: %(person)s on %(member)s") % {
            "role": record.get_role_display(),
            "person": _person(lookup, record.user_id),
            "member": _member_name(lookup, record.member_id),
        }
        url = _member_url(lookup, record.member_id, "members:team")
        return _version_entry("member_role", record, previous, subject=subject, url=url)

    return {record.history_id: (build, record, previous) for record, previous in versions}


def _memberships(ids, lookup):
    versions = _versions(OrganisationMembership, ids)
    for record, _previous in versions:
        lookup.want(Organisation, record.organisation_id)
        lookup.want(get_user_model(), record.user_id)

    def build(record, previous):
        organisation = lookup.get(Organisation, record.organisation_id)
        subject = _("%(role)s of %(organisation)s: %(person)s (%(status)s)") % {
            "role": record.get_role_display(),
            "organisation": organisation.name
            if organisation
            else _removed(_("organisation"), record.organisation_id),
            "person": _person(lookup, record.user_id),
            "status": record.get_status_display(),
        }
        url = organisation.get_absolute_url() if organisation else ""
        return _version_entry("organisation_membership", record, previous, subject=subject, url=url)

    return {record.history_id: (build, record, previous) for record, previous in versions}


def _renames(ids, lookup):
    versions = _versions(OrganisationRename, ids)
    for record, _previous in versions:
        lookup.want(Organisation, record.organisation_id)

    def build(record, previous):
        organisation = lookup.get(Organisation, record.organisation_id)
        subject = _("Rename of %(old)s to %(new)s (%(status)s)") % {
            "old": record.old_name,
            "new": record.new_name,
            "status": record.get_status_display(),
        }
        url = organisation.get_absolute_url() if organisation else ""
        entry = _version_entry("organisation_rename", record, previous, subject=subject, url=url)
        # The decision's reason, on the version that records it.
        entry.summary = record.reason
        return entry

    return {record.history_id: (build, record, previous) for record, previous in versions}


def _forum_seats(ids, lookup):
    versions = _versions(ForumSeat, ids)
    for record, _previous in versions:
        lookup.want(Member, record.member_id)

    def build(record, previous):
        subject = _("%(name)s (%(sector)s) on the forum of %(member)s") % {
            "name": record.name,
            "sector": record.get_sector_display(),
            "member": _member_name(lookup, record.member_id),
        }
        url = _member_url(lookup, record.member_id, "members:forum")
        return _version_entry("forum_seat", record, previous, subject=subject, url=url)

    return {record.history_id: (build, record, previous) for record, previous in versions}


def _moderation(ids, lookup):
    actions = ModerationAction.objects.filter(pk__in=ids)

    def build(action, _unused):
        summary = action.get_action_display()
        if action.reason:
            summary = f"{summary}: {action.reason}"
        return Entry(
            kind="moderation",
            date=action.created_at,
            actor_id=action.moderator_id,
            subject=_("Comment %(number)s") % {"number": action.comment_id},
            url=reverse("participation:moderation_comment", args=[action.comment_id]),
            summary=summary,
        )

    return {action.pk: (build, action, None) for action in actions}


def _platform_roles(ids, lookup):
    changes = list(PlatformRoleChange.objects.filter(pk__in=ids))
    for change in changes:
        lookup.want(get_user_model(), change.user_id)

    def build(change, _unused):
        values = {"role": change.role, "person": _person(lookup, change.user_id)}
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


def _transitions(ids, lookup):
    transitions = list(
        PlanTransition.objects.filter(pk__in=ids)
        .select_related("plan")
        .only("pk", "from_status", "to_status", "reason", "actor", "created_at", "plan__identifier")
    )

    def build(transition, _unused):
        summary = _("%(old)s → %(new)s") % {
            "old": transition.get_from_status_display() or "—",
            "new": transition.get_to_status_display(),
        }
        if transition.reason:
            summary = f"{summary}: {transition.reason}"
        return Entry(
            kind="transition",
            date=transition.created_at,
            actor_id=transition.actor_id,
            subject=transition.plan.identifier,
            url=reverse("action_plans:detail", args=[transition.plan.identifier]),
            summary=summary,
        )

    return {transition.pk: (build, transition, None) for transition in transitions}


BUILDERS = {
    "plan": _plans,
    "transition": _transitions,
    "commitment": _commitments,
    "milestone": _milestones,
    "response": _responses,
    "moderation": _moderation,
    "member_role": _member_roles,
    "organisation_membership": _memberships,
    "organisation_rename": _renames,
    "forum_seat": _forum_seats,
    "platform_role": _platform_roles,
    "member_status": _member_statuses,
}


def entries(rows: Iterable[dict]) -> list[Entry]:
    """The entries of merged rows, in their order: one query per kind among them, then one
    each for the people, members and organisations they name."""
    rows = list(rows)
    wanted: dict[str, list] = {}
    for row in rows:
        wanted.setdefault(row["audit_kind"], []).append(row["audit_row"])
    lookup = _Lookup()
    found = {kind: BUILDERS[kind](ids, lookup) for kind, ids in wanted.items()}
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
