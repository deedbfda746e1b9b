"""Rights on a process's tree items, read once per request: see its resources, add resources,
delete resources.

The rights are django-guardian permissions of the items (`TreeItem.Meta.permissions`) granted
to the groups of teams (`services.teams.rights_grant`, through `ogp_platform.roles`, with an
audit row) and **inherited down the tree**: a right granted on a phase holds on its objectives
and their tasks. On top of the grants, the rules of the process (`policies.py` says them to
people; this is where they are computed):

- its **owners** (the people of its owner teams) and OGP admins hold every right on every item;
- on a **public** process everyone may see the resources of every item: the tree is public and
  its resources are its working material (links, files, enablers), and people comment on them.
  On a process visible to its teams only, seeing them takes the right;
- adding or deleting resources on an item lets one see them there too (one cannot remove what
  one cannot see).

`ItemRights(user, process)` reads the person's grants (their own and their groups') on every
item of the process in a constant number of queries (two, plus the owner check, plus one for the
items unless they are handed in), and answers `.can(permission, item)` from memory for any
number of items.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ogp_platform import roles

from .models import Process, TreeItem
from .policies import can_manage_process

VIEW_RESOURCES = "coproduction.view_resources"
ADD_RESOURCES = "coproduction.add_resources"
DELETE_RESOURCES = "coproduction.delete_resources"
RIGHTS = (VIEW_RESOURCES, ADD_RESOURCES, DELETE_RESOURCES)
RIGHT_LABELS = {
    VIEW_RESOURCES: _("See resources"),
    ADD_RESOURCES: _("Add resources"),
    DELETE_RESOURCES: _("Delete resources"),
}


@dataclass(frozen=True)
class Rights:
    """What one person may do with the resources of one item."""

    view: bool
    add: bool
    delete: bool


class ItemRights:
    """The person's rights on the items of one process, prefetched.

    `items` may be handed in when the caller has read them already: the process's items, or
    at least those it will ask about with all their ancestors (a task page hands in the task,
    its objective and its phase: `lineage(task)`). Otherwise every item of the process is read
    here, in one query (none for an owner, who holds every right anyway)."""

    def __init__(self, user, process: Process, items: Iterable[TreeItem] | None = None):
        self.user = user
        self.process = process
        self.owner = can_manage_process(user, process)
        self.public = process.visibility == Process.Visibility.PUBLIC
        self._parent: dict[int, int | None] = {}
        self._granted: dict[int, frozenset[str]] = {}
        self._effective: dict[int, frozenset[str]] = {}
        if self.owner:
            return
        if items is None:
            items = TreeItem.objects.filter(process=process).only("pk", "parent_id", "process_id")
        items = [item for item in items if item.process_id == process.pk]
        self._parent = {item.pk: item.parent_id for item in items}
        if items:
            roles.prefetch(user, items)
            for item in items:
                held = frozenset(
                    perm for perm in RIGHTS if roles.has_object_permission(user, perm, item)
                )
                if held:
                    self._granted[item.pk] = held

    def _inherited(self, pk: int) -> frozenset[str]:
        """The rights granted on the item or any of its ancestors (in memory)."""
        if pk not in self._effective:
            chain, held = [], frozenset()
            current = pk
            # Walk up to the first item already known (or the root), then fill in on the way
            # back down: each item is resolved once.
            while current is not None and current not in self._effective:
                chain.append(current)
                current = self._parent.get(current)
            if current is not None:
                held = self._effective[current]
            for item_pk in reversed(chain):
                held = held | self._granted.get(item_pk, frozenset())
                self._effective[item_pk] = held
        return self._effective[pk]

    def can(self, permission: str, item: TreeItem) -> bool:
        """Whether the person holds `permission` ("coproduction.add_resources"...) on `item`."""
        if permission not in RIGHTS:
            raise ValueError(f"{permission} is not a right on a process item")
        if item.process_id != self.process.pk:
            return False
        if self.owner:
            return True
        if item.pk not in self._parent:
            return False
        held = self._inherited(item.pk)
        if permission == VIEW_RESOURCES:
            return self.public or bool(held)
        return permission in held

    def of(self, item: TreeItem) -> Rights:
        """The three rights on `item` at once (for a template)."""
        return Rights(
            view=self.can(VIEW_RESOURCES, item),
            add=self.can(ADD_RESOURCES, item),
            delete=self.can(DELETE_RESOURCES, item),
        )


def lineage(item: TreeItem) -> list[TreeItem]:
    """The item and its ancestors, read through `parent` (no query when the item was read with
    `select_related("parent__parent")`): what `ItemRights` needs for one item's page."""
    found = []
    while item is not None:
        found.append(item)
        item = item.parent
    return found
