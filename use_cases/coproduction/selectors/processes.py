"""Reads about co-production processes, already filtered to what the person may see and with
what their pages show loaded in a constant number of queries: the list of processes with their
progress, a process's page (its tree rolled up, its teams, its rules, its recent activity) and
one item's page."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _

from ogp_platform.members.models import Member

from .. import policies
from ..models import Governance, Process, Resource, Team, TreeItem
from ..permissions import ItemRights
from ..progress import Tree, build_tree, progress_svg
from .governance import governance_panel
from .teams import teams_of

ACTIVITY_LIMIT = 10


# --- The list -------------------------------------------------------------------------------


def process_list(user, *, status: str = "", member: Member | None = None) -> QuerySet[Process]:
    """The processes the user may see, newest first, filtered by status and by owning member,
    with their primary member read along."""
    processes = policies.processes_visible_to(user).select_related("primary_member")
    if status:
        processes = processes.filter(status=status)
    if member is not None:
        processes = processes.filter(owner_members=member)
    return processes.order_by("-created_at", "-pk")


def process_member_choices(user) -> QuerySet[Member]:
    """The members owning at least one process the user may see (the list's member filter)."""
    return Member.objects.filter(
        pk__in=policies.processes_visible_to(user).values("owner_members")
    ).order_by("name")


@dataclass(frozen=True)
class ListProgress:
    finished: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 0

    @property
    def text(self) -> str:
        if not self.total:
            return _("No task yet")
        return ngettext(
            "%(finished)s of %(total)s task finished",
            "%(finished)s of %(total)s tasks finished",
            self.total,
        ) % {"finished": self.finished, "total": self.total}


def with_progress(processes: list[Process]) -> list[Process]:
    """Set `progress` (tasks finished of all tasks) and `owners` (owning members, primary first)
    on each process of a page: two queries, whatever the number of processes and tasks."""
    by_pk = {process.pk: process for process in processes}
    counts = (
        TreeItem.objects.filter(process__in=by_pk, kind=TreeItem.Kind.TASK)
        .values("process_id")
        .annotate(
            total=Count("pk"), finished=Count("pk", filter=Q(status=TreeItem.Status.FINISHED))
        )
    )
    found = {row["process_id"]: row for row in counts}
    owners = Process.owner_members.through.objects.filter(process_id__in=by_pk).select_related(
        "member"
    )
    for process in processes:
        row = found.get(process.pk, {"total": 0, "finished": 0})
        process.progress = ListProgress(finished=row["finished"], total=row["total"])
        process.owners = []
    for link in owners:
        by_pk[link.process_id].owners.append(link.member)
    for process in processes:
        process.owners.sort(key=lambda member: member.pk != process.primary_member_id)
    return processes


# --- One process ----------------------------------------------------------------------------


def visible_process(user, slug: str) -> Process | None:
    """The process with this address if the user may see it, its owners read along."""
    process = (
        Process.objects.select_related("primary_member", "schema", "created_by")
        .prefetch_related("owner_members", "owner_organisations")
        .filter(slug=slug)
        .first()
    )
    if process is None or not policies.can_view_process(user, process):
        return None
    return process


def _items(process: Process) -> QuerySet[TreeItem]:
    return TreeItem.objects.filter(process=process).select_related("responsible_team")


def prerequisite_pairs(process: Process) -> list[tuple[int, int]]:
    """(item id, prerequisite id) for every prerequisite in the process: one query."""
    through = TreeItem.prerequisites.through
    return list(
        through.objects.filter(from_treeitem__process=process).values_list(
            "from_treeitem_id", "to_treeitem_id"
        )
    )


def resource_counts(process: Process) -> dict[int, int]:
    """The number of resources of each task of the process: one query."""
    rows = (
        Resource.objects.filter(task__process=process)
        .values("task_id")
        .annotate(count=Count("pk"))
        .values_list("task_id", "count")
    )
    return dict(rows)


def process_tree(process: Process, *, user=None, rights: ItemRights | None = None) -> Tree:
    """The process's tree rolled up (three queries): every item with its responsible team, its
    prerequisites and, where the user may see them, the number of its resources (None where
    they may not)."""
    items = list(_items(process))
    for item in items:
        item.process = process  # their addresses name the process: no query each
    tree = build_tree(items, prerequisite_pairs(process), resource_counts(process))
    if rights is None and user is not None:
        rights = ItemRights(user, process, items)
    if rights is not None:
        for node in tree:
            if not rights.can("coproduction.view_resources", node.item):
                node.resource_count = None
    return tree


@dataclass(frozen=True)
class Activity:
    """One change in the process: who, when, what happened (a sentence), where to read it."""

    date: datetime.datetime
    author: str
    kind: str  # created, changed, removed
    sentence: str
    url: str


HISTORY_KINDS = {"+": "created", "~": "changed", "-": "removed"}


def _author(record) -> str:
    return record.history_user.get_full_name() if record.history_user else _("system")


def _latest(history, limit: int):
    return history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]


def _sentence(kind: str, subject: str, title: str) -> str:
    values = {"subject": subject, "title": title}
    return {
        "created": _("Added the %(subject)s “%(title)s”"),
        "changed": _("Changed the %(subject)s “%(title)s”"),
        "removed": _("Removed the %(subject)s “%(title)s”"),
    }[kind] % values


def process_activity(process: Process, *, limit: int = ACTIVITY_LIMIT) -> list[Activity]:
    """The latest changes to the process, its items, teams, resources and rules, newest first
    (at most `limit`), removed things included: five queries, whatever the history's size."""
    slug = process.slug
    page = reverse("coproduction:process", args=[slug])
    entries: list[Activity] = []

    def add(record, sentence: str, url: str) -> None:
        entries.append(
            Activity(
                record.history_date,
                _author(record),
                HISTORY_KINDS[record.history_type],
                sentence,
                url,
            )
        )

    process_changes = reverse("coproduction:process_changes", args=[slug])
    for record in _latest(Process.history.filter(id=process.pk), limit):
        kind = HISTORY_KINDS[record.history_type]
        sentence = (
            _("Started the process") if kind == "created" else _("Changed the process's details")
        )
        add(record, sentence, process_changes)
    nouns = dict(TreeItem.Kind.choices)
    for record in _latest(TreeItem.history.filter(process_id=process.pk), limit):
        noun = str(nouns.get(record.kind, record.kind)).lower()
        add(
            record,
            _sentence(HISTORY_KINDS[record.history_type], noun, record.name),
            reverse("coproduction:item_changes", args=[slug, record.id]),
        )
    for record in _latest(Team.history.filter(process_id=process.pk), limit):
        add(
            record,
            _sentence(HISTORY_KINDS[record.history_type], _("team"), record.name),
            f"{page}#teams",
        )
    task_ids = TreeItem.history.filter(process_id=process.pk).values("id")
    for record in _latest(Resource.history.filter(task_id__in=task_ids), limit):
        add(
            record,
            _sentence(HISTORY_KINDS[record.history_type], _("resource"), record.title),
            reverse("coproduction:item", args=[slug, record.task_id]),
        )
    for record in _latest(Governance.history.filter(process_id=process.pk), limit):
        sentence = (
            _("Set the rules of the process")
            if record.history_type == "+"
            else _("Changed the rules of the process")
        )
        add(record, sentence, f"{page}#governance")
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries[:limit]


def process_page(user, process: Process) -> dict:
    """What the process page shows: the tree rolled up with its drawing, the teams, the rules,
    the recent activity, and what the user may do. A constant number of queries, whatever the
    number of items, resources, teams and changes."""
    tree = process_tree(process, user=user)
    governance = governance_panel(process)
    languages = [get_language_info(code)["name_translated"] for code in process.languages]
    return {
        "process": process,
        "owners": owner_members(process),
        "owner_organisations": list(process.owner_organisations.all()),
        "languages": languages,
        "tree": tree,
        "progress_svg": progress_svg(tree, labelled_by="progress-summary"),
        "teams": teams_of(process),
        "governance": governance["governance"],
        "amendments": governance["amendments"],
        "activity": process_activity(process),
        "can_manage": policies.can_manage_process(user, process),
        "can_work": policies.can_work_on_process(user, process),
    }


# --- One item -------------------------------------------------------------------------------


def visible_item(user, process: Process, pk: int) -> TreeItem | None:
    """The item of the process, read with its parent and grandparent and its responsible team,
    or None."""
    item = (
        TreeItem.objects.select_related("parent__parent", "responsible_team")
        .filter(process=process, pk=pk)
        .first()
    )
    if item is None:
        return None
    for current in (item, item.parent, item.parent.parent if item.parent else None):
        if current is not None:
            current.process = process
    return item


def owner_members(process: Process) -> list:
    """The owning members, the primary one first."""
    return sorted(process.owner_members.all(), key=lambda m: m.pk != process.primary_member_id)


def items_ever(process: Process, *, inside: int | None = None) -> list[dict]:
    """Every item the process ever had (or that was ever inside the item `inside`), from its
    latest version, removed ones too, each linking to its changes: what a changes page lists
    below its own history."""
    versions = TreeItem.history.filter(process_id=process.pk)
    if inside is not None:
        versions = versions.filter(parent_id=inside)
    latest = versions.values("id").annotate(last=Max("history_id")).values("last")
    records = (
        TreeItem.history.filter(history_id__in=latest)
        .order_by(*(("position", "id") if inside is not None else ("id",)))
        .only("id", "name", "kind", "history_type")
    )
    kinds = dict(TreeItem.Kind.choices)
    return [
        {
            "identifier": str(kinds.get(record.kind, record.kind)),
            "title": record.name,
            "removed": record.history_type == "-",
            "changes_url": reverse("coproduction:item_changes", args=[process.slug, record.id]),
        }
        for record in records
    ]
