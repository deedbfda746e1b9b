"""Every write to a process's tree: adding, editing, reordering and removing phases, objectives
and tasks, moving tasks along, and building the tree from a schema.

Each function runs in one transaction with the process row locked (two owners editing at once
take turns), checks the policy (PermissionDenied) and the rules (ValidationError keyed by the
field to fix), and saves history rows attributed to the actor. What was saved before a refused
change stays as it was.

The rules (see `use_cases.coproduction.progress` for how the tree is read):
- a phase sits at the root, an objective in a phase, a task in an objective;
- an item's dates fall inside the dates of every item it is part of, and an item's new dates
  still hold every date inside it;
- prerequisites are items of the same process that neither contain the item, nor are part of
  it, nor already wait for it (no item may end up waiting for itself);
- a task starts (or finishes) only once its prerequisites, and those of the items it is part
  of, have finished.
"""

import datetime
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from ogp_platform import pagecache
from ogp_platform.services import require
from ogp_platform.text import one_line, validate_single_line

from .. import policies
from ..models import ProblemProfile, Process, Resource, Schema, TreeItem, translated
from ..progress import (
    CHILD_KIND,
    build_tree,
    has_cycle,
    impossible_prerequisites,
    quoted_names,
)

Kind = TreeItem.Kind
Status = TreeItem.Status

ITEM_FIELDS = (
    "name",
    "description",
    "start_date",
    "end_date",
    "responsible_team",
    "problem_profiles",
    "prerequisites",
)
M2M_FIELDS = ("problem_profiles", "prerequisites")
NAME_LENGTH = TreeItem._meta.get_field("name").max_length


def _lock(process: Process) -> Process:
    """Lock the process row: changes to one tree are made one after the other."""
    return Process.objects.select_for_update().get(pk=process.pk)


def _date(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _outline(process: Process) -> dict[int, TreeItem]:
    """Every item of the process with what the rules read (one query)."""
    items = TreeItem.objects.filter(process=process).only(
        "pk", "parent_id", "kind", "name", "start_date", "end_date"
    )
    return {item.pk: item for item in items}


def _pairs(process: Process) -> list[tuple[int, int]]:
    """(item id, prerequisite id) of the process (one query)."""
    through = TreeItem.prerequisites.through
    return list(
        through.objects.filter(from_treeitem__process=process).values_list(
            "from_treeitem_id", "to_treeitem_id"
        )
    )


def language_of(process: Process) -> str:
    """The process's first language: the one its records and schema texts are written in."""
    return (process.languages or ["en"])[0]


def _profile_label(profile: ProblemProfile, language: str) -> str:
    return f"{profile.key} {translated(profile.name_translations, language)}".strip()


def _records(item: TreeItem, m2m: dict, language: str) -> None:
    """Write the chosen prerequisites and problem profiles into their text records, one a line
    and sorted, so that each change is a version in the item's history."""
    if "prerequisites" in m2m:
        item.prerequisites_record = "\n".join(sorted(p.name for p in m2m["prerequisites"]))
    if "problem_profiles" in m2m:
        item.problem_profiles_record = "\n".join(
            sorted(_profile_label(p, language) for p in m2m["problem_profiles"])
        )


# --- The rules ------------------------------------------------------------------------------


def _ancestors(outline: dict[int, TreeItem], parent_id: int | None) -> list[TreeItem]:
    found = []
    while parent_id is not None and parent_id in outline:
        found.append(outline[parent_id])
        parent_id = outline[parent_id].parent_id
    return found


def _descendants(outline: dict[int, TreeItem], item_id: int) -> list[TreeItem]:
    children: dict[int, list[TreeItem]] = {}
    for other in outline.values():
        children.setdefault(other.parent_id, []).append(other)
    found, stack = [], [item_id]
    while stack:
        for child in children.get(stack.pop(), ()):
            found.append(child)
            stack.append(child.pk)
    return found


def _outside(value, start, end) -> bool:
    return bool(value) and bool((start and value < start) or (end and value > end))


def _bounds_message(container: TreeItem) -> str:
    start, end = container.start_date, container.end_date
    if start and end:
        return _("Choose a date inside the dates of “%(item)s”: from %(start)s to %(end)s.") % {
            "item": container.name,
            "start": _date(start),
            "end": _date(end),
        }
    if start:
        return _("Choose a date on or after %(start)s, when “%(item)s” starts.") % {
            "item": container.name,
            "start": _date(start),
        }
    return _("Choose a date on or before %(end)s, when “%(item)s” ends.") % {
        "item": container.name,
        "end": _date(end),
    }


def _check_dates(errors: dict, item: TreeItem, outline: dict[int, TreeItem]) -> None:
    """In order, inside every item it is part of (the nearest one refusing is named), and
    holding the dates of every item inside it."""
    start, end = item.start_date, item.end_date
    if start and end and end < start:
        errors.setdefault("end_date", []).append(
            _("The end date must not be before the start date.")
        )
    for name, value in (("start_date", start), ("end_date", end)):
        for container in _ancestors(outline, item.parent_id):
            if _outside(value, container.start_date, container.end_date):
                errors.setdefault(name, []).append(_bounds_message(container))
                break
    if item.pk is None:
        return
    for inner in _descendants(outline, item.pk):
        for name, value in (("start_date", inner.start_date), ("end_date", inner.end_date)):
            if _outside(value, start, end):
                errors.setdefault(name, []).append(
                    _(
                        "“%(item)s”, inside this one, runs from %(start)s to %(end)s: these "
                        "dates would leave it outside. Change its dates first."
                    )
                    % {
                        "item": inner.name,
                        "start": _date(inner.start_date) if inner.start_date else "…",
                        "end": _date(inner.end_date) if inner.end_date else "…",
                    }
                )
                break


def allowed_prerequisites(
    *, process: Process, item: TreeItem | None = None, parent: TreeItem | None = None
) -> list[TreeItem]:
    """The items of the process that `item` (or a new item under `parent`) may wait for, in
    tree order: not itself, not an item it is part of or that is part of it, not one that
    already waits for it. Two queries."""
    items = list(
        TreeItem.objects.filter(process=process).only("pk", "parent_id", "kind", "name", "position")
    )
    refused = _impossible(item, parent, {i.pk: i for i in items}, _pairs(process))
    tree = build_tree(items)
    return [node.item for node in tree if node.pk not in refused]


def _impossible(item, parent, outline, pairs) -> set[int]:
    parent_id = item.parent_id if item is not None else (parent.pk if parent else None)
    kind = item.kind if item is not None else CHILD_KIND[parent.kind if parent else None]
    return impossible_prerequisites(
        item.pk if item is not None else None,
        parent_id,
        kind,
        {pk: other.parent_id for pk, other in outline.items()},
        {pk: other.kind for pk, other in outline.items()},
        pairs,
    )


def _check_prerequisites(
    errors: dict, item: TreeItem, chosen, outline: dict[int, TreeItem], pairs
) -> None:
    parent = outline.get(item.parent_id) if item.parent_id else None
    refused = _impossible(item if item.pk else None, parent, outline, pairs)
    ancestors = {other.pk for other in _ancestors(outline, item.parent_id)}
    inside = {other.pk for other in _descendants(outline, item.pk)} if item.pk else set()
    problems = []
    for prerequisite in chosen:
        if prerequisite.pk not in outline:
            problems.append(
                _("“%(item)s” is not part of this process.") % {"item": prerequisite.name}
            )
        elif prerequisite.pk == item.pk:
            problems.append(_("An item cannot be its own prerequisite."))
        elif prerequisite.pk in ancestors:
            problems.append(
                _(
                    "This item is part of “%(item)s”, which finishes only when this item has: "
                    "it cannot be a prerequisite."
                )
                % {"item": prerequisite.name}
            )
        elif prerequisite.pk in inside:
            problems.append(
                _("“%(item)s” is part of this item: it cannot be one of its prerequisites.")
                % {"item": prerequisite.name}
            )
        elif prerequisite.pk in refused:
            problems.append(
                _(
                    "“%(item)s” already waits for this item to start: if this item waited for "
                    "it too, neither could ever start."
                )
                % {"item": prerequisite.name}
            )
    if problems:
        errors.setdefault("prerequisites", []).extend(problems)


def _validate(item: TreeItem, process: Process, m2m: dict, outline, pairs) -> None:
    errors: dict[str, list] = {}
    item.name = (item.name or "").strip()
    if not item.name:
        errors["name"] = [_("Give it a name.")]
    else:
        try:
            validate_single_line(item.name)
        except ValidationError as error:
            errors["name"] = list(error.messages)
        if len(item.name) > NAME_LENGTH:
            errors.setdefault("name", []).append(
                _("Keep the name under %(limit)s characters.") % {"limit": NAME_LENGTH}
            )
    _check_dates(errors, item, outline)
    team = item.responsible_team
    if team is not None and team.process_id != process.pk:
        errors["responsible_team"] = [_("Choose one of this process's teams.")]
    if "prerequisites" in m2m:
        _check_prerequisites(errors, item, m2m["prerequisites"], outline, pairs)
    if errors:
        raise ValidationError(errors)


def _apply(item: TreeItem, fields: dict) -> dict:
    """Set the item's own fields; return the many-to-many ones."""
    m2m = {}
    for name, value in fields.items():
        if name not in ITEM_FIELDS:
            raise TypeError(f"A process item has no editable field {name!r}")
        if name in M2M_FIELDS:
            m2m[name] = list(value or ())
        elif name == "description":
            setattr(item, name, (value or "").strip())
        else:
            setattr(item, name, value)
    return m2m


# --- Items ----------------------------------------------------------------------------------


@transaction.atomic
def item_create(*, actor, process: Process, parent: TreeItem | None = None, **fields) -> TreeItem:
    """Add a phase (no parent), an objective (in a phase) or a task (in an objective) at the
    end of its siblings."""
    process = _lock(process)
    require(policies.can_manage_process(actor, process))
    if parent is not None and (parent.process_id != process.pk or parent.kind == Kind.TASK):
        raise ValidationError(_("A task holds no items: add it to a phase or an objective."))
    item = TreeItem(
        process=process,
        parent=parent,
        kind=CHILD_KIND[parent.kind if parent is not None else None],
    )
    m2m = _apply(item, fields)
    outline = _outline(process)
    pairs = _pairs(process)
    _validate(item, process, m2m, outline, pairs)
    nodes = {pk: other.parent_id for pk, other in outline.items()}
    kinds = {pk: other.kind for pk, other in outline.items()}
    nodes[0], kinds[0] = item.parent_id, item.kind
    new_pairs = [(0, prerequisite.pk) for prerequisite in m2m.get("prerequisites", ())]
    if has_cycle(nodes, kinds, [*pairs, *new_pairs]):
        raise ValidationError(
            _(
                "Added here, this item would wait for itself through the prerequisites of the "
                "items around it. Change those prerequisites first."
            )
        )
    siblings = TreeItem.objects.filter(process=process, parent=parent)
    item.position = (siblings.aggregate(last=Max("position"))["last"] or 0) + 1
    _records(item, m2m, language_of(process))
    item._history_user = actor
    item.save()
    for name, values in m2m.items():
        getattr(item, name).set(values)
    return item


@transaction.atomic
def item_update(*, actor, item: TreeItem, **fields) -> TreeItem:
    """Change an item's name, description, dates, responsible team, problem profiles or
    prerequisites. Only the fields given change."""
    process = _lock(item.process)
    require(policies.can_manage_process(actor, process))
    item.process = process
    m2m = _apply(item, fields)
    outline = _outline(process)
    pairs = _pairs(process)
    _validate(item, process, m2m, outline, pairs)
    _records(item, m2m, language_of(process))
    item._history_user = actor
    item.save()
    for name, values in m2m.items():
        getattr(item, name).set(values)
    return item


@transaction.atomic
def item_move(*, actor, item: TreeItem, direction: str) -> None:
    """Move an item one place up or down among its siblings (its children move with it)."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    process = _lock(item.process)
    require(policies.can_manage_process(actor, process))
    siblings = list(
        TreeItem.objects.filter(process=process, parent_id=item.parent_id).order_by(
            "position", "pk"
        )
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        return
    # Positions 1, 2, 3… first (an item removed before leaves a gap), without a version each;
    # then the two that trade places are saved, each a version in its history.
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    TreeItem.objects.bulk_update(siblings, ["position"])
    moved, other = siblings[index], siblings[target]
    moved.position, other.position = other.position, moved.position
    for changed in (moved, other):
        changed._history_user = actor
        changed.save(update_fields=["position"])


def removal_summary(item: TreeItem) -> dict:
    """What removing the item takes with it, for the confirmation page: the items inside it by
    kind, the resources of its tasks, and the items outside it that will stop waiting for it
    (or for an item inside it). Three queries."""
    outline = _outline(item.process)
    inside = _descendants(outline, item.pk)
    removed = {item.pk, *(other.pk for other in inside)}
    waiting = {
        item_id
        for item_id, prerequisite_id in _pairs(item.process)
        if prerequisite_id in removed and item_id not in removed
    }
    return {
        "objectives": sum(1 for other in inside if other.kind == Kind.OBJECTIVE),
        "tasks": sum(1 for other in inside if other.kind == Kind.TASK),
        "resources": Resource.objects.filter(task_id__in=removed).count(),
        "waiting": sorted((outline[pk] for pk in waiting), key=lambda other: other.name),
    }


@transaction.atomic
def item_delete(*, actor, item: TreeItem) -> int:
    """Remove an item with everything inside it: its objectives, tasks and their resources.
    Each removed row keeps its history, attributed to the actor; the items that waited for a
    removed one stop waiting for it (a new version of theirs says so). Returns how many items
    were removed."""
    process = _lock(item.process)
    require(policies.can_manage_process(actor, process))
    outline = _outline(process)
    inside = _descendants(outline, item.pk)
    removed_ids = {item.pk, *(other.pk for other in inside)}
    waiting_ids = {
        item_id
        for item_id, prerequisite_id in _pairs(process)
        if prerequisite_id in removed_ids and item_id not in removed_ids
    }
    for resource in Resource.objects.filter(task_id__in=removed_ids):
        if resource.file:
            # The file goes once the removal is committed (a rollback keeps it in use).
            storage, name = resource.file.storage, resource.file.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        resource._history_user = actor
        resource.delete()
    # Deepest first, so that no row is removed by the database's cascade (which would leave
    # no history user on its last version).
    depth = {Kind.TASK: 0, Kind.OBJECTIVE: 1, Kind.PHASE: 2}
    for row in sorted(TreeItem.objects.filter(pk__in=removed_ids), key=lambda row: depth[row.kind]):
        row._history_user = actor
        row.delete()
    language = language_of(process)
    for waiting in TreeItem.objects.filter(pk__in=waiting_ids).prefetch_related("prerequisites"):
        _records(waiting, {"prerequisites": list(waiting.prerequisites.all())}, language)
        waiting._history_user = actor
        waiting.save(update_fields=["prerequisites_record"])
    return len(removed_ids)


@transaction.atomic
def task_set_status(*, actor, task: TreeItem, status: str) -> TreeItem:
    """Move a task to awaiting, in progress or finished. It starts (or finishes) only once its
    prerequisites, and those of the objective and phase it is part of, have finished. The
    tasks of a finished process stay as they are until it is reopened."""
    process = _lock(task.process)
    require(policies.can_work_on_process(actor, process))
    task.process = process
    if task.kind != Kind.TASK:
        raise ValidationError(
            _("Only tasks are moved along: a phase or an objective follows its tasks.")
        )
    if status not in Status.values:
        raise ValidationError({"status": _("Choose awaiting, in progress or finished.")})
    if process.status == Process.Status.FINISHED:
        raise ValidationError(
            _("The process has finished: its owners reopen it before its tasks change.")
        )
    if status != Status.AWAITING:
        items = TreeItem.objects.filter(process=process).only(
            "pk", "parent_id", "kind", "name", "position", "status"
        )
        node = build_tree(items, _pairs(process)).get(task.pk)
        waiting = node.waiting_for + [
            prerequisite for prerequisite, _ in node.inherited_waiting_for
        ]
        if waiting:
            raise ValidationError(
                ngettext(
                    "“%(task)s” cannot start before %(items)s finishes.",
                    "“%(task)s” cannot start before %(items)s finish.",
                    len(waiting),
                )
                % {"task": task.name, "items": quoted_names(waiting)}
            )
    if task.status == status:
        return task
    if task.status == Status.FINISHED:
        _refuse_unfinishing(process, task, status)
    task.status = status
    task._history_user = actor
    task.save(update_fields=["status"])
    return task


def _refuse_unfinishing(process: Process, task: TreeItem, status: str) -> None:
    """A finished task goes back only while nothing that waits for it (or for an item it is
    part of) has started: those would be under way before what they wait for."""
    items = list(
        TreeItem.objects.filter(process=process).only(
            "pk", "parent_id", "kind", "name", "position", "status"
        )
    )
    for item in items:
        if item.pk == task.pk:
            item.status = status
    started = [
        node
        for node in build_tree(items, _pairs(process))
        if node.is_task and node.pk != task.pk and node.status != Status.AWAITING and node.blocked
    ]
    if started:
        raise ValidationError(
            ngettext(
                "%(items)s has started, and it waits for “%(task)s”: move it back to awaiting "
                "first.",
                "%(items)s have started, and they wait for “%(task)s”: move them back to "
                "awaiting first.",
                len(started),
            )
            % {"items": quoted_names(started), "task": task.name}
        )


# --- From a schema --------------------------------------------------------------------------


def _ordered_phases(phases: list[dict]) -> list[dict]:
    """The schema's phases in the order their prerequisites give (the source lists them in
    any order: engage → design → build → sustain), otherwise as listed."""
    keys = {phase.get("id") for phase in phases}
    placed: list[dict] = []
    done: set = set()
    remaining = list(phases)
    while remaining:
        for phase in remaining:
            needs = {
                p.get("item") for p in phase.get("prerequisites") or () if p.get("item") in keys
            }
            if needs <= done:
                break
        else:
            phase = remaining[0]  # a cycle in the source: keep its order
        placed.append(phase)
        done.add(phase.get("id"))
        remaining.remove(phase)
    return placed


def _schema_name(entry: dict, language: str) -> str:
    name = one_line(translated(entry.get("name_translations") or {}, language)).strip()
    return (name or entry.get("id") or "?")[:NAME_LENGTH]


def _schema_entries(phases: list[dict]):
    """(entry, kind, parent entry) of every phase, objective and task of the schema."""
    for phase in phases:
        yield phase, Kind.PHASE, None
        for objective in phase.get("objectives") or ():
            yield objective, Kind.OBJECTIVE, phase
            for task in objective.get("tasks") or ():
                yield task, Kind.TASK, objective


def _possible_prerequisites(phases: list[dict]) -> dict[str, list[str]]:
    """The prerequisites of each item of the schema (by identifier) that the rules of a
    prerequisite chosen on the site allow, in the order listed: one that goes round in a circle
    with those kept already, or points into or around the item, is left out (the item would
    wait for ever)."""
    entries = list(_schema_entries(phases))
    number = {entry.get("id"): n for n, (entry, _kind, _parent) in enumerate(entries, 1)}
    outline = {
        n: SimpleNamespace(
            pk=n, kind=kind, parent_id=number.get(parent.get("id")) if parent else None
        )
        for n, (entry, kind, parent) in enumerate(entries, 1)
    }
    pairs: list[tuple[int, int]] = []
    kept: dict[str, list[str]] = {}
    for n, (entry, _kind, _parent) in enumerate(entries, 1):
        key = entry.get("id")
        if not key or number.get(key) != n:
            continue
        item = outline[n]
        for prerequisite in entry.get("prerequisites") or ():
            other = number.get(prerequisite.get("item"))
            if other is None or other == n or (n, other) in pairs:
                continue
            if other not in _impossible(item, outline.get(item.parent_id), outline, pairs):
                pairs.append((n, other))
                kept.setdefault(key, []).append(prerequisite.get("item"))
    return kept


def tree_from_schema(*, actor, process: Process, schema: Schema) -> list[TreeItem]:
    """Build the process's tree from the schema: its phases, objectives and tasks in the
    process's first language, with their prerequisites and problem profiles. Called by
    `process_create` inside its transaction; rows are written in bulk, level by level (a few
    queries whatever the size of the schema), each with its first version."""
    language = language_of(process)
    profiles = {profile.key: profile for profile in ProblemProfile.objects.all()}
    phases = _ordered_phases(list(schema.phases or ()))
    names = {
        entry.get("id"): _schema_name(entry, language)
        for entry, _kind, _parent in _schema_entries(phases)
        if entry.get("id")
    }

    kept = _possible_prerequisites(phases)

    def make(entry, kind, parent, position) -> TreeItem:
        key = entry.get("id") or ""
        prerequisites = kept.get(key, ())
        return TreeItem(
            process=process,
            parent=parent,
            kind=kind,
            key=key[:120],
            name=_schema_name(entry, language),
            description=translated(entry.get("description_translations") or {}, language),
            position=position,
            prerequisites_record="\n".join(sorted(names[k] for k in prerequisites if k in names)),
            problem_profiles_record="\n".join(
                sorted(
                    _profile_label(profiles[k], language)
                    for k in dict.fromkeys(entry.get("problemprofiles") or ())
                    if k in profiles
                )
            ),
        )

    created: list[tuple[TreeItem, dict]] = []
    level = [(make(phase, Kind.PHASE, None, n), phase) for n, phase in enumerate(phases, 1)]
    for children_of, child_kind in (
        ("objectives", Kind.OBJECTIVE),
        ("tasks", Kind.TASK),
        (None, None),
    ):
        bulk_create_with_history([item for item, _entry in level], TreeItem, default_user=actor)
        created += level
        if children_of is None:
            break
        level = [
            (make(child, child_kind, parent, n), child)
            for parent, entry in level
            for n, child in enumerate(entry.get(children_of) or (), 1)
        ]

    by_key = {entry["id"]: item for item, entry in created if entry.get("id")}
    prerequisite_rows, profile_rows = {}, {}
    for item, entry in created:
        for key in kept.get(entry.get("id") or "", ()):
            other = by_key.get(key)
            if other is not None and other.pk != item.pk:
                prerequisite_rows[(item.pk, other.pk)] = None
    for item, entry in created:
        for key in entry.get("problemprofiles") or ():
            if key in profiles:
                profile_rows[(item.pk, profiles[key].pk)] = None
    through = TreeItem.prerequisites.through
    through.objects.bulk_create(
        through(from_treeitem_id=a, to_treeitem_id=b) for a, b in prerequisite_rows
    )
    profile_through = TreeItem.problem_profiles.through
    profile_through.objects.bulk_create(
        profile_through(treeitem_id=a, problemprofile_id=b) for a, b in profile_rows
    )
    pagecache.objects_changed(process)
    return [item for item, _entry in created]
