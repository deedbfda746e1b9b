"""Co-production processes are participation spaces (see `participation.interface`): people
comment on a process, on the items of its tree and on the resources of its tasks, follow them
and are notified; feedback is always open, and the owners may still hold a consultation, whose
inputs get reasoned responses in the process's register. Registered in
`CoproductionConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from participation.interface import Nouns, SpaceAdapter, TargetAdapter

from . import policies
from .models import Process, Resource, TreeItem

NOUNS = Nouns(space=_("process"), spaces=_("processes"), item=_("task"), items=_("tasks"))


def _visible_processes(user):
    return policies.processes_visible_to(user).values("pk")


class ProcessParticipation(SpaceAdapter):
    # What `may_read` and `breadcrumbs` read beyond the process.
    related = ("primary_member",)
    nouns = NOUNS

    def title(self, process: Process) -> str:
        return process.name

    def readable(self, user, queryset):
        return queryset.filter(pk__in=_visible_processes(user))

    def may_read(self, user, process: Process) -> bool:
        return policies.can_view_process(user, process)

    def primary_member(self, process: Process):
        return process.primary_member

    def owners(self, process: Process) -> list:
        """Its owning members, the primary one first, then its owning organisations."""
        members = sorted(
            process.owner_members.all(), key=lambda m: m.pk != process.primary_member_id
        )
        return [*members, *process.owner_organisations.all()]

    def may_respond(self, user, process: Process) -> bool:
        """The officers of its owning members and the administrators of its owning organisations
        (the default), and the people of its owner teams, who run the process."""
        if not user.is_authenticated:
            return False
        return policies.is_owner(user, process) or super().may_respond(user, process)

    def consultation_required(self, process: Process) -> bool:
        # Feedback on a process is always open; the owners may still hold a consultation.
        return False

    def children(self, process: Process):
        """Its tasks, in the order of the tree: what an input can be taken into."""
        return TreeItem.objects.filter(process=process, kind=TreeItem.Kind.TASK).order_by(
            "parent__parent__position",
            "parent__parent_id",
            "parent__position",
            "parent_id",
            "position",
            "pk",
        )


class TreeItemParticipation(TargetAdapter):
    related = ("process",)

    def title(self, item: TreeItem) -> str:
        return item.name

    def space(self, item: TreeItem):
        return item.process

    def readable(self, user, queryset):
        return queryset.filter(process__in=_visible_processes(user))

    def may_read(self, user, item: TreeItem) -> bool:
        return policies.can_view_process(user, item.process)


class ResourceParticipation(TargetAdapter):
    """A resource and what is said about it are read by those who may see the resources of
    its task (on a process visible to its teams only, that takes the right), not by everyone
    who may read the process."""

    related = ("task__process", "task__parent__parent")

    def title(self, resource: Resource) -> str:
        return resource.title

    def space(self, resource: Resource):
        return resource.task.process

    def readable(self, user, queryset):
        return queryset.filter(pk__in=policies.resources_visible_to(user).values("pk"))

    def may_read(self, user, resource: Resource) -> bool:
        return policies.can_view_resources(user, resource.task)


def register() -> None:
    from participation import interface

    interface.register(Process, ProcessParticipation(), slug="process")
    interface.register(TreeItem, TreeItemParticipation(), slug="process-item")
    interface.register(Resource, ResourceParticipation(), slug="resource")
