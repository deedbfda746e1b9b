"""Who may do what in the co-production core. Each rule answers the object question
(`can_<verb>(user, obj)`) beside the list question (`<things>_visible_to(user)`), so lists and
pages agree.

The base rules:
- a process is **owned** by the people of its teams whose role is "owner" (the person who
  created it is put in its first owner team); OGP admins may act as owners, to support;
- a **public** process is read by anyone; one visible to its teams only by the people of its
  teams, the officers of its owning members and OGP admins;
- a process is **created** by an officer (point of contact or government officer) of the member
  that will own it, or by an OGP admin.

Rights on one tree item (see its resources, add, delete) are guardian permissions of the teams'
groups, inherited down the tree (`use_cases.coproduction.permissions`, which computes them for
a whole process at once). The rules on them:
- **owners** (and OGP admins) hold every right on every item, build the teams and grant the
  rights; the person who created a process builds its first owner team while it has no owner;
- on a **public** process everyone may see the resources of every item (its working material,
  which people comment on); on a process visible to its teams only, seeing them takes the right;
- **adding** resources (to tasks) and **deleting** them take the right on the task or on one
  of its ancestors; either lets one see them there too;
- an **observer** team may be given the right to see, never to add or delete; an owner team
  needs no grant.
"""

from django.db.models import Q, QuerySet

from ogp_platform.members.models import Member, MemberRole, Organisation
from ogp_platform.members.policies import (
    can_draft_plans,
    is_ogp_admin,
    is_organisation_admin,
    member_roles_of,
    organisations_user_administers,
)
from participation.policies import has_verified_email

from .models import Enabler, Process, Resource, Team, TreeItem

OFFICER_ROLES = {MemberRole.Role.POINT_OF_CONTACT, MemberRole.Role.OFFICER}


def _team_roles(user, process: Process) -> set[str]:
    """The user's roles on the process through its teams, read once per request and user."""
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_coproduction_team_roles", {})
    if process.pk not in cache:
        cache[process.pk] = set(
            Team.objects.filter(process=process, people=user).values_list("role", flat=True)
        )
    return cache[process.pk]


def _officer_member_ids(user) -> set[int]:
    return {
        member_id for member_id, roles in member_roles_of(user).items() if roles & OFFICER_ROLES
    }


def is_owner(user, process: Process) -> bool:
    return Team.Role.OWNER in _team_roles(user, process)


def is_team_member(user, process: Process) -> bool:
    """In any team of the process, whatever its role (observers included)."""
    return bool(_team_roles(user, process))


def can_create_process(user, member=None) -> bool:
    """Officers of `member` (of any member, without one) and OGP admins start processes."""
    if not user.is_authenticated:
        return False
    if is_ogp_admin(user):
        return True
    if member is None:
        return bool(_officer_member_ids(user))
    return can_draft_plans(user, member)


def members_for_new_process(user) -> QuerySet[Member]:
    """The members the user may make owners of a new process (the list question beside
    `can_create_process(user, member)`): all of them for OGP admins, else those they are an
    officer of."""
    if not user.is_authenticated:
        return Member.objects.none()
    if is_ogp_admin(user):
        return Member.objects.all()
    return Member.objects.filter(pk__in=_officer_member_ids(user))


def can_name_owner_organisation(user, organisation: Organisation) -> bool:
    """An organisation co-owns a process only when one of its administrators (or an OGP
    admin) names it: owning lets its administrators answer for the process."""
    return user.is_authenticated and (
        is_ogp_admin(user) or is_organisation_admin(user, organisation)
    )


def organisations_for_new_process(user) -> QuerySet[Organisation]:
    """The organisations the user may name as owners of a new process."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if is_ogp_admin(user):
        return Organisation.objects.all()
    return organisations_user_administers(user)


def processes_visible_to(user) -> QuerySet[Process]:
    """The processes the user may read."""
    processes = Process.objects.all()
    if is_ogp_admin(user):
        return processes
    visible = Q(visibility=Process.Visibility.PUBLIC)
    if user.is_authenticated:
        visible |= Q(teams__people=user) | Q(owner_members__in=_officer_member_ids(user))
    return processes.filter(pk__in=Process.objects.filter(visible).values("pk"))


def can_view_process(user, process: Process) -> bool:
    if process.visibility == Process.Visibility.PUBLIC or is_ogp_admin(user):
        return True
    if not user.is_authenticated:
        return False
    if is_team_member(user, process):
        return True
    officer_of = _officer_member_ids(user)
    return bool(officer_of) and process.owner_members.filter(pk__in=officer_of).exists()


def can_manage_process(user, process: Process) -> bool:
    """Owners (and OGP admins) edit the process, its tree, its teams and its rules."""
    return user.is_authenticated and (is_owner(user, process) or is_ogp_admin(user))


def can_work_on_process(user, process: Process) -> bool:
    """Owners and team members (not observers) move tasks along."""
    roles = _team_roles(user, process)
    return can_manage_process(user, process) or Team.Role.MEMBER in roles


# --- Teams, rights and resources ---------------------------------------------------------------


def forget_team_roles(user) -> None:
    """Drop the team roles read for the user in this request (their teams just changed)."""
    user.__dict__.pop("_coproduction_team_roles", None)


def has_owner(process: Process) -> bool:
    """Whether someone is in an owner team of the process."""
    return Team.people.through.objects.filter(
        team__process=process, team__role=Team.Role.OWNER
    ).exists()


def can_manage_teams(user, process: Process) -> bool:
    """Owners (and OGP admins) create and remove teams and choose their people; the person
    who created the process also builds its first owner team, while it has no owner."""
    if can_manage_process(user, process):
        return True
    return (
        user.is_authenticated
        and process.created_by_id == user.pk
        and user.is_active
        and not has_owner(process)
    )


def can_manage_rights(user, process: Process) -> bool:
    """Owners (and OGP admins) grant and revoke the teams' rights on the items."""
    return can_manage_process(user, process)


def item_rights(user, item: TreeItem):
    """The person's rights on `item` and its ancestors (for one item's page or a service);
    pages with many items build one `permissions.ItemRights` for the whole process."""
    from .permissions import ItemRights, lineage  # permissions builds on the rules above

    return ItemRights(user, item.process, lineage(item))


def can_view_resources(user, item: TreeItem, *, rights=None) -> bool:
    from .permissions import VIEW_RESOURCES

    if not can_view_process(user, item.process):
        return False
    return (rights or item_rights(user, item)).can(VIEW_RESOURCES, item)


def can_add_resources(user, task: TreeItem, *, rights=None) -> bool:
    """Resources are added to tasks, by those who hold the right on the task or above it."""
    from .permissions import ADD_RESOURCES

    if task.kind != TreeItem.Kind.TASK or not user.is_authenticated:
        return False
    if not can_view_process(user, task.process):
        return False
    return (rights or item_rights(user, task)).can(ADD_RESOURCES, task)


def can_delete_resource(user, resource: Resource, *, rights=None) -> bool:
    from .permissions import DELETE_RESOURCES

    task = resource.task
    if not user.is_authenticated or not can_view_process(user, task.process):
        return False
    return (rights or item_rights(user, task)).can(DELETE_RESOURCES, task)


def resources_visible_to(user) -> QuerySet[Resource]:
    """The resources the user may see (the list question beside `can_view_resources`): those
    of public processes, of the processes they own, and of the tasks under an item on which
    they hold a right (tasks sit at most two levels below a phase)."""
    from ogp_platform import roles

    from .permissions import RIGHTS

    resources = Resource.objects.all()
    if is_ogp_admin(user):
        return resources
    visible = Q(task__process__visibility=Process.Visibility.PUBLIC)
    if user.is_authenticated and user.is_active:
        owned = Team.objects.filter(role=Team.Role.OWNER, people=user).values("process_id")
        visible |= Q(task__process__in=owned)
        for permission in RIGHTS:
            items = roles.objects_with_permission(user, permission, TreeItem.objects.all())
            ids = items.values("pk")
            visible |= Q(task__in=ids) | Q(task__parent__in=ids) | Q(task__parent__parent__in=ids)
    return resources.filter(pk__in=Resource.objects.filter(visible).values("pk"))


# --- The catalogue of enablers -------------------------------------------------------------
# Anyone reads the catalogue; withdrawn enablers leave its list and the suggestions, but their
# page stays (processes still link to them) and says so.

CURATE_CATALOGUE = "coproduction.curate_catalogue"


def can_curate_catalogue(user) -> bool:
    """OGP staff curate the catalogue: people given the permission, and OGP admins (whose
    group holds it)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.has_perm(CURATE_CATALOGUE) or is_ogp_admin(user))
    )


def can_rate_enabler(user, enabler) -> bool:
    """Signed-in people with a verified email address rate a published enabler (as they take
    part anywhere else on the platform)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and enabler.status == Enabler.Status.PUBLISHED
        and has_verified_email(user)
    )


def listed_enablers() -> QuerySet[Enabler]:
    """The enablers the catalogue lists and suggests, the same for everyone: the published ones
    (withdrawn ones only keep their own page)."""
    return Enabler.objects.filter(status=Enabler.Status.PUBLISHED)
