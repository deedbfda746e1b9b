"""The tree of a process as people read it: phases → objectives → tasks, each with its status
and progress rolled up from its children, its prerequisites and what still keeps it from
starting, plus a small SVG drawing of the progress with its text equivalent.

Everything here is computed in Python from what `selectors.processes` reads in a fixed number
of queries (the items, the prerequisite pairs, the resource counts), so a tree of 200 items
costs what a tree of 10 costs.

The rules:
- a task's status is what the team set; a phase's or an objective's is computed: finished when
  it has children and all of them have finished, in progress when any of them has started
  (is in progress or finished), awaiting otherwise;
- progress counts tasks: "3 of 7 tasks finished" under a phase or an objective;
- an item waits for its own prerequisites and for those of every item it is part of (a task of
  the design phase waits for the engage phase when the design phase does): it cannot start
  before each of them has finished.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import TreeItem

Status = TreeItem.Status
Kind = TreeItem.Kind

# What a parent holds, by kind; tasks hold nothing.
CHILD_KIND = {None: Kind.PHASE, Kind.PHASE: Kind.OBJECTIVE, Kind.OBJECTIVE: Kind.TASK}


@dataclass(eq=False)
class Node:
    """One item of the tree with what is computed about it."""

    item: TreeItem
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    status: str = Status.AWAITING
    finished_tasks: int = 0
    total_tasks: int = 0
    started_tasks: int = 0
    # Its own prerequisites (items of the same process), in tree order.
    prerequisites: list[Node] = field(default_factory=list)
    resource_count: int = 0

    @property
    def pk(self) -> int:
        return self.item.pk

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def is_task(self) -> bool:
        return self.item.kind == Kind.TASK

    @property
    def depth(self) -> int:
        return {Kind.PHASE: 1, Kind.OBJECTIVE: 2, Kind.TASK: 3}[self.item.kind]

    @property
    def heading_level(self) -> int:
        """h3 for phases, h4 for objectives, h5 for tasks (the tree's section is an h2)."""
        return self.depth + 2

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def ancestors(self) -> list[Node]:
        """Its parent, the parent's parent…: nearest first."""
        found, node = [], self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found

    @property
    def waiting_for(self) -> list[Node]:
        """Its own prerequisites that have not finished."""
        return [node for node in self.prerequisites if node.status != Status.FINISHED]

    @property
    def inherited_waiting_for(self) -> list[tuple[Node, Node]]:
        """(prerequisite, the item it is a prerequisite of) for each unfinished prerequisite
        of the items this one is part of."""
        return [
            (prerequisite, ancestor)
            for ancestor in self.ancestors
            for prerequisite in ancestor.waiting_for
        ]

    @property
    def blocked(self) -> bool:
        """Whether it cannot start yet: a prerequisite of its own or of an item it is part of
        has not finished."""
        return bool(self.waiting_for or self.inherited_waiting_for)

    @property
    def waiting_text(self) -> str:
        """ "Cannot start before “Engage” finishes." for its own unfinished prerequisites."""
        return _waiting_sentence(self.waiting_for)

    @property
    def inherited_waiting_text(self) -> str:
        """The same for the prerequisites of the items it is part of."""
        return _waiting_sentence(
            [prerequisite for prerequisite, _item in self.inherited_waiting_for]
        )

    @property
    def percent(self) -> int:
        if self.is_task:
            return 100 if self.status == Status.FINISHED else 0
        if not self.total_tasks:
            return 0
        return round(100 * self.finished_tasks / self.total_tasks)

    @property
    def progress_text(self) -> str:
        if self.is_task:
            return self.status_label
        if not self.total_tasks:
            return _("No task yet")
        return ngettext(
            "%(finished)s of %(total)s task finished",
            "%(finished)s of %(total)s tasks finished",
            self.total_tasks,
        ) % {"finished": self.finished_tasks, "total": self.total_tasks}

    def descendants(self) -> Iterable[Node]:
        for child in self.children:
            yield child
            yield from child.descendants()


def quoted_names(nodes) -> str:
    return ", ".join(f"“{node.item.name}”" for node in nodes)


def _waiting_sentence(nodes: list[Node]) -> str:
    nodes = list(dict.fromkeys(nodes))
    if not nodes:
        return ""
    return ngettext(
        "Cannot start before %(items)s finishes.",
        "Cannot start before %(items)s finish.",
        len(nodes),
    ) % {"items": quoted_names(nodes)}


@dataclass
class Tree:
    """The process's tree: its phases (roots) in order, every node by item id, in tree order."""

    roots: list[Node]
    nodes: dict[int, Node]

    def __iter__(self):
        for root in self.roots:
            yield root
            yield from root.descendants()

    def __len__(self) -> int:
        return len(self.nodes)

    def get(self, pk) -> Node | None:
        return self.nodes.get(pk)

    @property
    def tasks(self) -> list[Node]:
        return [node for node in self if node.is_task]

    @property
    def finished_tasks(self) -> int:
        return sum(1 for node in self.tasks if node.status == Status.FINISHED)

    @property
    def started_tasks(self) -> int:
        return sum(1 for node in self.tasks if node.status == Status.IN_PROGRESS)

    @property
    def total_tasks(self) -> int:
        return len(self.tasks)

    @property
    def percent(self) -> int:
        total = self.total_tasks
        return round(100 * self.finished_tasks / total) if total else 0

    @property
    def progress_text(self) -> str:
        total = self.total_tasks
        if not total:
            return _("No task yet")
        return ngettext(
            "%(finished)s of %(total)s task finished",
            "%(finished)s of %(total)s tasks finished",
            total,
        ) % {"finished": self.finished_tasks, "total": total}


def build_tree(
    items: Iterable[TreeItem],
    prerequisite_pairs: Iterable[tuple[int, int]] = (),
    resource_counts: dict[int, int] | None = None,
) -> Tree:
    """The tree of `items` (every item of one process), with the statuses and progress rolled
    up. `prerequisite_pairs` are (item id, prerequisite id); `resource_counts` the number of
    resources by task id."""
    ordered = sorted(items, key=lambda item: (item.position, item.pk))
    nodes = {item.pk: Node(item) for item in ordered}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.item.parent_id)
        if parent is None:
            roots.append(node)
        else:
            node.parent = parent
            parent.children.append(node)
    tree = Tree(roots=roots, nodes=nodes)
    order = {node.pk: index for index, node in enumerate(tree)}
    for item_id, prerequisite_id in prerequisite_pairs:
        if item_id in nodes and prerequisite_id in nodes:
            nodes[item_id].prerequisites.append(nodes[prerequisite_id])
    for node in nodes.values():
        node.prerequisites.sort(key=lambda other: order[other.pk])
        node.resource_count = (resource_counts or {}).get(node.pk, 0)
    for root in roots:
        _roll_up(root)
    return tree


def _roll_up(node: Node) -> None:
    if node.is_task:
        node.status = node.item.status
        node.total_tasks = 1
        node.finished_tasks = int(node.status == Status.FINISHED)
        node.started_tasks = int(node.status == Status.IN_PROGRESS)
        return
    for child in node.children:
        _roll_up(child)
    node.total_tasks = sum(child.total_tasks for child in node.children)
    node.finished_tasks = sum(child.finished_tasks for child in node.children)
    node.started_tasks = sum(child.started_tasks for child in node.children)
    statuses = {child.status for child in node.children}
    if statuses and statuses == {Status.FINISHED}:
        node.status = Status.FINISHED
    elif statuses & {Status.IN_PROGRESS, Status.FINISHED}:
        node.status = Status.IN_PROGRESS
    else:
        node.status = Status.AWAITING


# --- What waits for what --------------------------------------------------------------------
#
# Two events per item: it starts, and it finishes. An item starts only after its
# prerequisites finish and after the item it is part of may start (its prerequisites gate
# everything inside it); a task finishes after it starts; a phase or an objective finishes
# after all its children finish. A set of prerequisites is possible only if no event ends up
# waiting for itself.


def _waits(node_parent: dict[int, int | None], kinds: dict[int, str], pairs) -> dict:
    """The events each event waits for: {("start"|"finish", id): [events]}."""
    graph: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for pk, parent in node_parent.items():
        graph.setdefault(("start", pk), [])
        graph.setdefault(("finish", pk), [])
        if parent is not None:
            graph[("start", pk)].append(("start", parent))
            graph.setdefault(("finish", parent), []).append(("finish", pk))
        if kinds[pk] == Kind.TASK:
            graph[("finish", pk)].append(("start", pk))
    for item_id, prerequisite_id in pairs:
        if item_id in node_parent and prerequisite_id in node_parent:
            graph[("start", item_id)].append(("finish", prerequisite_id))
    return graph


def impossible_prerequisites(
    item_id: int | None,
    parent_id: int | None,
    kind: str,
    node_parent: dict[int, int | None],
    kinds: dict[int, str],
    pairs: Iterable[tuple[int, int]],
) -> set[int]:
    """The ids of the items that cannot be prerequisites of the item (`item_id`, None for one
    not created yet, under `parent_id`): itself, the items it is part of, the items inside it,
    and those that already wait, directly or not, for it to start."""
    node_parent = dict(node_parent)
    kinds = dict(kinds)
    if item_id is None:
        item_id = 0  # a new item: no row has id 0
    node_parent[item_id] = parent_id
    kinds[item_id] = kind
    pairs = [(a, b) for a, b in pairs if a != item_id]
    graph = _waits(node_parent, kinds, pairs)
    # Who waits for this item to start: walk the edges backwards from ("start", item_id).
    waiting_on: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for event, needs in graph.items():
        for need in needs:
            waiting_on.setdefault(need, []).append(event)
    seen = {("start", item_id)}
    stack = [("start", item_id)]
    while stack:
        for event in waiting_on.get(stack.pop(), ()):
            if event not in seen:
                seen.add(event)
                stack.append(event)
    # Making P a prerequisite adds start(item) → finish(P): a cycle exactly when finish(P)
    # already waits for start(item).
    refused = {pk for event, pk in seen if event == "finish"}
    refused.add(item_id)
    # The items it is part of, even when nothing inside it waits yet: its first task would.
    ancestor = parent_id
    while ancestor is not None:
        refused.add(ancestor)
        ancestor = node_parent.get(ancestor)
    refused.discard(0)
    return refused


def has_cycle(
    node_parent: dict[int, int | None], kinds: dict[int, str], pairs: Iterable[tuple[int, int]]
) -> bool:
    """Whether some item would wait for itself (see above): the tree can never finish."""
    graph = _waits(node_parent, kinds, pairs)
    state: dict = {}  # event → 1 while on the path, 2 when done
    for start in graph:
        if start in state:
            continue
        stack = [(start, iter(graph[start]))]
        state[start] = 1
        while stack:
            event, needs = stack[-1]
            for need in needs:
                if state.get(need) == 1:
                    return True
                if need not in state:
                    state[need] = 1
                    stack.append((need, iter(graph.get(need, ()))))
                    break
            else:
                state[event] = 2
                stack.pop()
    return False


# --- The drawing ----------------------------------------------------------------------------

SVG_WIDTH = 320
BAR_HEIGHT = 12
ROW_HEIGHT = 34
LABEL_LENGTH = 40


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"


def _bar(y: int, finished: int, started: int, total: int) -> SafeString:
    """Three rectangles side by side: finished, in progress, awaiting (classes colour them)."""
    if not total:
        return format_html(
            '<rect class="progress-graphic__empty" x="0" y="{}" width="{}" height="{}" rx="2"/>',
            y,
            SVG_WIDTH,
            BAR_HEIGHT,
        )
    widths = [round(SVG_WIDTH * count / total, 1) for count in (finished, started)]
    widths.append(round(SVG_WIDTH - sum(widths), 1))
    parts, x = [], 0.0
    for css, width in zip(("finished", "in-progress", "awaiting"), widths, strict=True):
        if width > 0:
            parts.append((css, round(x, 1), y, width, BAR_HEIGHT))
        x += width
    return format_html_join(
        "",
        '<rect class="progress-graphic__{}" x="{}" y="{}" width="{}" height="{}"/>',
        parts,
    )


def progress_svg(tree: Tree, *, labelled_by: str) -> SafeString:
    """A small drawing of the progress: one bar for the whole process, then one per phase,
    each split into finished, in-progress and awaiting tasks. Inline SVG with classes only (no
    style attribute, no script); `labelled_by` is the id of its text equivalent."""
    rows = [(_("Whole process"), tree.finished_tasks, tree.started_tasks, tree.total_tasks)]
    rows += [
        (node.item.name, node.finished_tasks, node.started_tasks, node.total_tasks)
        for node in tree.roots
    ]
    height = ROW_HEIGHT * len(rows)
    body = []
    for index, (label, finished, started, total) in enumerate(rows):
        top = index * ROW_HEIGHT
        body.append(
            format_html(
                '<text class="progress-graphic__label" x="0" y="{}">{}</text>{}',
                top + 13,
                _short(label),
                _bar(top + 18, finished, started, total),
            )
        )
    return format_html(
        '<svg class="progress-graphic" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-labelledby="{}" focusable="false">{}</svg>',
        SVG_WIDTH,
        height,
        SVG_WIDTH,
        height,
        labelled_by,
        format_html_join("", "{}", ((part,) for part in body)),
    )
