"""Schemas saved from processes: the owners of a process save its tree (phases → objectives →
tasks, with their prerequisites and problem profiles) as a new schema, which then shows with the
imported ones as a template for new processes.

The tree is written in the source's shape (`Schema.phases`, as INTERLINK's `catalogue.json`
gives it), so that a saved schema and an imported one are read by the same code: each item is
`{"id", "name_translations", "description_translations", "prerequisites": [{"item": id, "type":
"previous"}], "problemprofiles": [key, …]}` with its `objectives` (a phase) or `tasks` (an
objective). Texts are in the process's first language, the one its items are written in. An
item keeps the identifier of the schema item it came from; items added in the process get one
made from their kind and name (`task-draft-the-agreement`), unique in the schema.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ogp_platform.services import require
from ogp_platform.text import validate_single_line

from .. import policies
from ..models import Process, Schema, TreeItem
from ..models.catalogue import Origin

NAME_LENGTH = 200
KEY_LENGTH = Schema._meta.get_field("key").max_length
ITEM_KEY_LENGTH = TreeItem._meta.get_field("key").max_length
CHILDREN = {TreeItem.Kind.PHASE: "objectives", TreeItem.Kind.OBJECTIVE: "tasks"}


def _language(process: Process) -> str:
    return (process.languages or ["en"])[0]


def _unique(base: str, taken: set[str], length: int) -> str:
    """`base`, or `base-2`, `base-3`… when taken, within `length` characters."""
    candidate, number = base[:length], 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate, number = base[: length - len(suffix)] + suffix, number + 1
    taken.add(candidate)
    return candidate


def _item_keys(items: list[TreeItem]) -> dict[int, str]:
    """Each item's identifier in the schema: the one it came from, else one made from its kind
    and name; unique in the schema."""
    taken: set[str] = set()
    keys = {}
    # Items that came from a schema keep their identifier first; added ones fit around them.
    for item in sorted(items, key=lambda item: (not item.key, item.pk)):
        base = item.key or f"{item.kind}-{slugify(item.name) or item.pk}"
        keys[item.pk] = _unique(base, taken, ITEM_KEY_LENGTH)
    return keys


def tree_as_phases(process: Process) -> list[dict]:
    """The process's tree in the source's `phases` shape (see the module's docstring), in the
    order of the tree. Three queries, whatever its size."""
    language = _language(process)
    items = list(
        TreeItem.objects.filter(process=process).only(
            "pk", "parent_id", "kind", "key", "name", "description", "position"
        )
    )
    keys = _item_keys(items)
    prerequisites: dict[int, list[int]] = {}
    for item_id, prerequisite_id in TreeItem.prerequisites.through.objects.filter(
        from_treeitem__process=process
    ).values_list("from_treeitem_id", "to_treeitem_id"):
        prerequisites.setdefault(item_id, []).append(prerequisite_id)
    profiles: dict[int, list[str]] = {}
    for item_id, key in (
        TreeItem.problem_profiles.through.objects.filter(treeitem__process=process)
        .order_by("problemprofile__key")
        .values_list("treeitem_id", "problemprofile__key")
    ):
        profiles.setdefault(item_id, []).append(key)

    children: dict[int | None, list[TreeItem]] = {}
    for item in sorted(items, key=lambda item: (item.position, item.pk)):
        children.setdefault(item.parent_id, []).append(item)

    def entry(item: TreeItem) -> dict:
        serialised = {
            "id": keys[item.pk],
            "name_translations": {language: item.name},
            "description_translations": {language: item.description} if item.description else {},
            "prerequisites": [
                {"item": keys[other], "type": "previous"}
                for other in sorted(prerequisites.get(item.pk, ()), key=lambda pk: keys[pk])
                if other in keys
            ],
            "problemprofiles": profiles.get(item.pk, []),
        }
        if item.kind in CHILDREN:
            serialised[CHILDREN[item.kind]] = [entry(child) for child in children.get(item.pk, ())]
        return serialised

    return [entry(phase) for phase in children.get(None, ()) if phase.kind == TreeItem.Kind.PHASE]


def _clean(name: str, description: str) -> tuple[str, str]:
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the schema a name, so that others can find it.")
    elif len(name) > NAME_LENGTH:
        errors["name"] = _("Keep the name under %(limit)s characters.") % {"limit": NAME_LENGTH}
    else:
        try:
            validate_single_line(name)
        except ValidationError as error:
            errors["name"] = error.messages
    if errors:
        raise ValidationError(errors)
    return name, (description or "").strip()


@transaction.atomic
def schema_save_from_process(*, actor, process: Process, name: str, description: str = ""):
    """Save the process's tree as a new schema named `name` (in the process's first language),
    origin "saved", recording who saved it and from which process. Owners only; refused with a
    message when the tree has no phase yet."""
    require(policies.can_manage_process(actor, process))
    name, description = _clean(name, description)
    phases = tree_as_phases(process)
    if not phases:
        raise ValidationError(
            _("The process has no phase yet: build its tree before saving it as a schema.")
        )
    language = _language(process)
    base = f"saved-{slugify(name)}".strip("-")[: KEY_LENGTH - 8]
    taken = set(Schema.objects.filter(key__startswith=base).values_list("key", flat=True))
    return Schema.objects.create(
        key=_unique(base, taken, KEY_LENGTH),
        name_translations={language: name},
        description_translations={language: description} if description else {},
        languages=[language],
        phases=phases,
        origin=Origin.SAVED,
        created_by=actor,
        created_from=process,
    )
