"""Resources on tasks: links, uploaded files and enablers of the catalogue, added and deleted by
those who hold the rights on the task (or above it); and what a task's page shows of them.

Uploads follow the platform's rules (as progress evidence does): PDF, images, office documents,
CSV or text, checked by their content, at most 20 MB, stored under a generated name
(`Resource.file`), and served only by `views.resources.resource_file`, which checks the right
to see them, as an attachment named after the file the person chose (made safe).
"""

import posixpath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commitments.validators import EVIDENCE_EXTENSIONS, validate_evidence_file
from ogp_platform import uploads
from ogp_platform.services import require

from .. import policies
from ..models import Enabler, Resource, TreeItem, translated
from ..permissions import DELETE_RESOURCES, ItemRights, lineage
from ..selectors.catalogue import suggested_enablers

RESOURCE_EXTENSIONS = EVIDENCE_EXTENSIONS
SUGGESTIONS = 5


def _lock(task: TreeItem) -> TreeItem:
    """The task, its row locked, with its ancestors and process (for the rights)."""
    locked = TreeItem.objects.select_for_update().get(pk=task.pk)
    return TreeItem.objects.select_related("process", "parent__parent").get(pk=locked.pk)


def _save(resource: Resource, actor) -> Resource:
    resource.full_clean(exclude=["task", "created_by", "file", "enabler"])
    resource._history_user = actor
    resource.save()
    return resource


def _text(value: str) -> str:
    return (value or "").strip()


@transaction.atomic
def resource_add_link(*, actor, task: TreeItem, title: str, url: str, description: str = ""):
    """A link on the web as a resource of the task."""
    task = _lock(task)
    require(policies.can_add_resources(actor, task))
    if not url:
        raise ValidationError({"url": _("Give the address of the link.")})
    resource = Resource(
        task=task,
        kind=Resource.Kind.LINK,
        title=" ".join(_text(title).split()),
        url=url,
        description=_text(description),
        created_by=actor,
    )
    return _save(resource, actor)


@transaction.atomic
def resource_add_file(*, actor, task: TreeItem, title: str, file, description: str = ""):
    """An uploaded file as a resource of the task: checked by its content (the platform's upload
    rules), stored under a generated name, downloaded under the name it was chosen with."""
    task = _lock(task)
    require(policies.can_add_resources(actor, task))
    if not file:
        raise ValidationError({"file": _("Choose a file.")})
    extension = posixpath.splitext(file.name or "")[1].lstrip(".").lower()
    if extension not in RESOURCE_EXTENSIONS:
        raise ValidationError(
            {
                "file": _("Files of type .%(extension)s cannot be added.")
                % {"extension": extension or "?"}
            }
        )
    try:
        validate_evidence_file(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    stem = posixpath.splitext(posixpath.basename(file.name))[0]
    resource = Resource(
        task=task,
        kind=Resource.Kind.FILE,
        title=" ".join(_text(title).split()) or stem[:250],
        description=_text(description),
        file_name=uploads.download_name(stem, extension),
        created_by=actor,
    )
    resource.full_clean(exclude=["task", "created_by", "file", "enabler"])
    resource.file = file
    resource._history_user = actor
    resource.save()
    return resource


@transaction.atomic
def resource_add_enabler(
    *, actor, task: TreeItem, enabler: Enabler, title: str = "", description: str = ""
):
    """An enabler of the catalogue instantiated for the task: named, unless a title is given,
    as the catalogue names it in the process's first language."""
    task = _lock(task)
    require(policies.can_add_resources(actor, task))
    if enabler.status != Enabler.Status.PUBLISHED:
        raise ValidationError({"enabler": _("This enabler has been withdrawn from the catalogue.")})
    language = (task.process.languages or ["en"])[0]
    title = " ".join(_text(title).split()) or translated(enabler.name_translations, language)
    resource = Resource(
        task=task,
        kind=Resource.Kind.ENABLER,
        enabler=enabler,
        title=title[:250] or enabler.key,
        description=_text(description),
        created_by=actor,
    )
    return _save(resource, actor)


@transaction.atomic
def resource_delete(*, actor, resource: Resource) -> None:
    """Delete the resource (and its comments with it); its file leaves the disk once the
    deletion is committed."""
    resource = Resource.objects.select_related("task__process", "task__parent__parent").get(
        pk=resource.pk
    )
    _lock(resource.task)
    require(policies.can_delete_resource(actor, resource))
    name = resource.file.name if resource.file else ""
    storage = resource.file.storage
    resource._history_user = actor
    resource.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- What a task's page shows ----------------------------------------------------------------


def task_resources_context(user, task: TreeItem, *, rights: ItemRights | None = None) -> dict:
    """The context of `coproduction/resources/_panel.html` on a task's page: the task, its
    resources (empty when the person may not see them), whether they may add or delete, and
    the enablers of the catalogue suggested for the task (by its problem profiles; those
    attached already are left out). A constant number of queries, whatever the number of resources.
    `rights` may be the page's `ItemRights` for the whole process."""
    if rights is None:
        rights = ItemRights(user, task.process, lineage(task))
    can_view = policies.can_view_resources(user, task, rights=rights)
    can_add = policies.can_add_resources(user, task, rights=rights)
    resources = []
    if can_view:
        resources = list(
            Resource.objects.filter(task=task)
            .select_related("enabler", "created_by")
            .order_by("created_at", "pk")
        )
    return {
        "task": task,
        "process": task.process,
        "resources": resources,
        "can_view": can_view,
        "can_add": can_add,
        "can_delete": can_view and user.is_authenticated and rights.can(DELETE_RESOURCES, task),
        "can_manage_rights": rights.owner and policies.can_manage_rights(user, task.process),
        "suggested_enablers": suggested_enablers(task, limit=SUGGESTIONS),
    }
