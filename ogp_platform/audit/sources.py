"""What the audit log reads: the sources apps register, and the pieces they build entries with.

The log (`ogp_platform.audit.selectors`) merges the changes of many tables without knowing
them: each app registers the sources of its models in its `AppConfig.ready()`,

    audit_sources.register(
        audit_sources.history_source(
            "commitment",
            gettext_lazy("Commitment"),
            Commitment,
            member=lambda scope: {"plan_id__in": plan_ids(scope)},
            entries=commitment_entries,
        )
    )

A source names a table (`rows`: historical records of django-simple-history, or an append-only
record of a service), its date, person and row columns, how to narrow it to one member (a
filter built from the `MemberScope`, or None when its changes belong to no member), and
`entries(ids, lookup)`: reads the page's rows of the source in bulk (a query or two, whatever
their number) and returns, by row id, `(build, row, previous)`, where `build(row, previous)`
makes the row's `Entry` once the people, members and organisations the rows named through
`lookup.want` are read. Kinds are listed in the order they were registered (the core's first,
then the apps' in the order of INSTALLED_APPS); registering a kind again replaces it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from ogp_platform.history import KIND_LABELS, KINDS
from ogp_platform.members.models import Member, Organisation


class MemberScope:
    """The member the log is narrowed to, by id, with the ids its sources read beforehand
    (its plans, every commitment they ever had…): read once for every branch of the log, so
    that each branch filters on a list of ids rather than joining its history to the history
    of another table."""

    def __init__(self, member_id: int):
        self.member = member_id
        self._ids: dict[str, list] = {}

    def ids(self, name: str, read: Callable[[int], object]) -> list:
        """`read(member id)` (an iterable of ids), read once per scope and kept by `name`."""
        if name not in self._ids:
            self._ids[name] = list(read(self.member))
        return self._ids[name]


@dataclass(frozen=True)
class Source:
    """One table the log reads: which of its columns are the date, the person and the row, how
    to keep only one member's changes (`member`: a function of the `MemberScope` giving a
    filter, or None when the changes belong to no member), and how its rows become entries
    (`entries`, see the module's docstring)."""

    kind: str
    label: str
    rows: Callable[[], QuerySet]
    date: str
    user: str
    member: Callable[[MemberScope], dict] | None
    historical: bool
    entries: Callable[[list, "Lookup"], dict]

    @property
    def row(self) -> str:
        return "history_id" if self.historical else "pk"


SOURCES: dict[str, Source] = {}


def register(*sources: Source) -> None:
    """Add sources to the log (a kind registered again is replaced: `ready()` may run twice)."""
    for source in sources:
        SOURCES[source.kind] = source


def history_source(kind: str, label, model, *, member, entries, rows=None) -> Source:
    """A source reading the versions django-simple-history keeps of `model` (all of them, or
    those of `rows()`, a queryset of its historical records)."""
    return Source(
        kind=kind,
        label=label,
        rows=rows or (lambda: model.history.all()),
        date="history_date",
        user="history_user_id",
        member=member,
        historical=True,
        entries=entries,
    )


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


class Lookup:
    """People, members and organisations the page's entries name, read once for the page:
    a source's `entries` asks for them with `want`, its builders read them with `get`."""

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


# --- Building entries ------------------------------------------------------------------------


def versions(model, ids) -> list[tuple]:
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


def version_entry(kind, record, previous, *, subject, url, diff_base="") -> Entry:
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


def version_entries(pairs, build) -> dict:
    """What a source of versions' `entries` returns: each (record, previous) of `pairs` (see
    `versions`) to be built by `build(record, previous)`, by history id."""
    return {record.history_id: (build, record, previous) for record, previous in pairs}


def removed(thing: str, pk) -> str:
    return _("a removed %(thing)s (#%(id)s)") % {"thing": thing, "id": pk}


def person(lookup: Lookup, pk) -> str:
    user = lookup.get(get_user_model(), pk)
    return f"{user.get_full_name()} <{user.email}>" if user else removed(_("person"), pk)


def member_name(lookup: Lookup, pk) -> str:
    member = lookup.get(Member, pk)
    return member.name if member else removed(_("member"), pk)


def member_url(lookup: Lookup, pk, name: str = "members:detail") -> str:
    member = lookup.get(Member, pk)
    return reverse(name, args=[member.slug]) if member else ""
