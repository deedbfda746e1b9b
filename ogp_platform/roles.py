"""Roles on single objects, held as django-guardian object permissions: the administrators of an
organisation today; the members of a planning team, a service centre's staff or the jurors of a
challenge in the pilot modules.

An app declares each role as a permission in its model's `Meta.permissions`
(`("administer_organisation", "Administer the organisation")`) and may give guardian a table
with a real foreign key to the model (a `UserObjectPermissionBase` subclass, as
`members.OrganisationUserObjectPermission`): the rows then go when the object goes, and lists
join them by integer. Without one, guardian's generic table holds the grants. Either way:

- **Granting and revoking** go through `object_permission_grant` and
  `object_permission_revoke` (and `object_permissions_revoke_all` when an account is deleted):
  one transaction, the acting user as a keyword argument, an `audit.ObjectRoleChange` row that
  the audit log shows. Nothing else writes guardian's tables (guardian's admin pages are not
  installed), so every grant has its record.
- **Checking**: policies ask `has_object_permission(user, "app.codename", obj)`, answered by
  guardian's `ObjectPermissionChecker`, one per user object, that is per request
  (`request.user` lives as long as the request). A view that shows many objects calls
  `prefetch(user, objects)` first: two queries read the person's grants on all of them, and each
  later check is answered from memory, so a list of 100 costs the queries of a list of 10. (The
  authentication backend's `user.has_perm(perm, obj)` would make a new checker, and two queries,
  per object.) `objects_with_permission` answers the list question ("which organisations does
  this person administer?") in the database; `holder_ids` the object's ("who administers it?").

Like Django's permissions, the checker gives a superuser every permission; an inactive account
(a deleted one, say) has none. `objects_with_permission` and `holder_ids` count explicit grants
only: a superuser does not administer every organisation on their dashboard.

**Roles held by a group of people** (a team of a co-production process): the group is made by
`holder_group_create`, and the role is granted to it by `group_permission_grant` (revoked by
`group_permission_revoke`, all of a group's by `group_permissions_revoke_all` when it goes), with
the same audit row naming the group as its app calls it (the team's name). Its people hold the
role while they are in the group: the checker reads a person's grants and their groups' grants
together. Who is in such a group is the app's to record (a team keeps its people in its
history), so the log of platform roles leaves these groups out (`is_holder_group`).
`group_grants(objects)` reads which groups hold what on a list of objects, in one query.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, QuerySet
from guardian.core import ObjectPermissionChecker
from guardian.ctypes import get_content_type
from guardian.models import (
    GroupObjectPermission,
    GroupObjectPermissionBase,
    UserObjectPermission,
    UserObjectPermissionBase,
)
from guardian.shortcuts import get_objects_for_user
from guardian.utils import (
    get_direct_obj_perms_models,
    get_group_obj_perms_model,
    get_user_obj_perms_model,
)

from . import pagecache
from .audit.models import ObjectRoleChange

_CHECKER = "_object_permission_checker"
# The names of the groups made to hold roles on objects for a set of people (`holder_group_create`).
HOLDER_GROUP_PREFIX = "holders:"


# --- Checking --------------------------------------------------------------------------------


def _may_hold(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def checker(user) -> ObjectPermissionChecker:
    """The user's checker, made once per user object (so once per request for
    `request.user`); it remembers what it has read."""
    checker = user.__dict__.get(_CHECKER)
    if checker is None:
        checker = user.__dict__[_CHECKER] = ObjectPermissionChecker(user)
    return checker


def forget(user) -> None:
    """Drop what the user's checker has read (after a grant or revocation in the same
    request)."""
    user.__dict__.pop(_CHECKER, None)


def prefetch(user, objects: Iterable[Model]) -> None:
    """Read the user's permissions on every one of `objects` (of one model) in two queries,
    whatever their number (none for an anonymous visitor or an empty list). A queryset is
    evaluated here, and keeps its rows for the caller."""
    if not _may_hold(user):
        return
    objects = list(objects)
    if objects:
        checker(user).prefetch_perms(objects)


def has_object_permission(user, permission: str, obj: Model) -> bool:
    """Whether the user holds `permission` ("app_label.codename") on `obj`: from memory when it
    was prefetched or asked before in this request, else in two queries."""
    if not _may_hold(user):
        return False
    return checker(user).has_perm(permission, obj)


def objects_with_permission(user, permission: str, queryset: QuerySet) -> QuerySet:
    """The objects of `queryset` on which the user holds `permission` by a grant (to them or to
    one of their groups); a queryset, so lists are filtered in the database."""
    if not _may_hold(user):
        return queryset.none()
    return get_objects_for_user(
        user, permission, klass=queryset, with_superuser=False, accept_global_perms=False
    )


def _grants(obj: Model) -> QuerySet:
    """Every user's grants on `obj`, in the table guardian keeps them in for its model."""
    model = get_user_obj_perms_model(obj)
    if model.objects.is_generic():
        return model.objects.filter(content_type=get_content_type(obj), object_pk=str(obj.pk))
    return model.objects.filter(content_object=obj)


def holder_ids(permission: str, obj: Model) -> set[int]:
    """The ids of the people granted `permission` on `obj` (in one query)."""
    codename = _split(permission, obj)[1]
    return set(_grants(obj).filter(permission__codename=codename).values_list("user_id", flat=True))


# --- Granting and revoking -------------------------------------------------------------------


def _split(permission: str, obj: Model) -> tuple[str, str]:
    app_label, _dot, codename = permission.rpartition(".")
    if app_label and app_label != obj._meta.app_label:
        raise ValueError(f"{permission} is not a permission of {obj._meta.label}")
    return obj._meta.app_label, codename


def _permission(permission: str, obj: Model) -> Permission:
    codename = _split(permission, obj)[1]
    return Permission.objects.get(content_type=get_content_type(obj), codename=codename)


def _record(
    *, actor, permission: str, obj: Model, granted: bool, user=None, group=None, group_name=""
) -> None:
    app_label, codename = _split(permission, obj)
    ObjectRoleChange.objects.create(
        user=user,
        group=group,
        group_name=group_name[:250] if group is not None else "",
        permission=f"{app_label}.{codename}",
        content_type=get_content_type(obj),
        object_pk=str(obj.pk),
        object_repr=str(obj)[:250],
        granted=granted,
        changed_by=actor,
    )


def _changed(user, actor, obj: Model) -> None:
    forget(user)
    if actor is not None and actor.pk == user.pk:
        forget(actor)
    # A direct table is a model of its app, whose page-cache declaration says which pages its
    # rows show on; guardian's generic table is nobody's: the pages of the object refresh.
    if get_user_obj_perms_model(obj).objects.is_generic():
        pagecache.objects_changed(obj)


@transaction.atomic
def object_permission_grant(*, actor, user, permission: str, obj: Model) -> bool:
    """Give `user` the role `permission` ("app_label.codename", declared in the model's
    `Meta.permissions`) on `obj`, and record who gave it. Returns whether it is new: granting a
    role the person holds changes and records nothing."""
    model = get_user_obj_perms_model(obj)
    lookup = {"user": user, "permission": _permission(permission, obj)}
    if model.objects.is_generic():
        lookup.update(content_type=get_content_type(obj), object_pk=str(obj.pk))
        # guardian's save() checks the permission against the object: hand it the object.
        defaults = {"content_object": obj}
    else:
        lookup["content_object"] = obj
        defaults = {}
    _row, created = model.objects.get_or_create(**lookup, defaults=defaults)
    if created:
        _record(actor=actor, user=user, permission=permission, obj=obj, granted=True)
        _changed(user, actor, obj)
    return created


@transaction.atomic
def object_permission_revoke(*, actor, user, permission: str, obj: Model) -> bool:
    """Take the role `permission` on `obj` from `user`, and record who took it. Returns
    whether the person held it (revoking a role they do not hold records nothing)."""
    codename = _split(permission, obj)[1]
    deleted, _by_model = _grants(obj).filter(user=user, permission__codename=codename).delete()
    if deleted:
        _record(actor=actor, user=user, permission=permission, obj=obj, granted=False)
        _changed(user, actor, obj)
    return bool(deleted)


def _user_tables() -> list[type[UserObjectPermissionBase]]:
    return [
        UserObjectPermission,
        *get_direct_obj_perms_models(UserObjectPermissionBase, UserObjectPermission),
    ]


def _group_tables() -> list[type[GroupObjectPermissionBase]]:
    return [
        GroupObjectPermission,
        *get_direct_obj_perms_models(GroupObjectPermissionBase, GroupObjectPermission),
    ]


@dataclass(frozen=True)
class Grant:
    """A role someone holds on one object: the row of guardian's table that holds it, the
    permission as "app_label.codename", and the object (None if it is gone)."""

    row: UserObjectPermissionBase
    permission: str
    content_type: ContentType
    object_pk: str
    obj: Model | None

    @property
    def object_repr(self) -> str:
        return (str(self.obj) if self.obj is not None else f"#{self.object_pk}")[:250]

    @property
    def label(self) -> str:
        return role_label(self.content_type, self.permission)


def role_label(content_type: ContentType, permission: str) -> str:
    """A role ("app_label.codename") as the model of `content_type` declares it in its
    `Meta.permissions`, in the reader's language ("Administer the organisation")."""
    model = content_type.model_class()
    codename = permission.rpartition(".")[2]
    declared = dict(model._meta.permissions) if model is not None else {}
    return str(declared.get(codename, permission))


def grants_of(user) -> list[Grant]:
    """Every role the person holds on an object (for their data export, or their account's
    deletion): one query per table of grants (guardian's and the models' own), plus one per
    kind of object in guardian's generic table, whatever their number."""
    return _grants_of(_user_tables(), user=user)


def _grants_of(tables, **holder) -> list[Grant]:
    grants = []
    for model in tables:
        generic = model.objects.is_generic()
        related = (
            ["permission__content_type"]
            if generic
            else ["permission__content_type", "content_object"]
        )
        rows = list(model.objects.filter(**holder).select_related(*related))
        objects = _objects_of(rows) if generic and rows else {}
        for row in rows:
            ctype = row.permission.content_type
            pk = row.object_pk if generic else str(row.content_object_id)
            grants.append(
                Grant(
                    row=row,
                    permission=f"{ctype.app_label}.{row.permission.codename}",
                    content_type=ctype,
                    object_pk=pk,
                    obj=objects.get((ctype.pk, pk)) if generic else row.content_object,
                )
            )
    return grants


@transaction.atomic
def object_permissions_revoke_all(*, actor, user) -> int:
    """Take every role on an object from `user` (their account is being deleted), each with its
    record. Returns how many were taken. A few queries per table, whatever their number."""
    grants = grants_of(user)
    _revoke_recorded(grants, actor=actor, holder={"user": user})
    forget(user)
    return len(grants)


def _revoke_recorded(grants, *, actor, holder: dict) -> None:
    """Delete the rows of `grants`, each with its record naming `holder` (the person, or the
    group with its name), a few queries per table whatever their number."""
    ObjectRoleChange.objects.bulk_create(
        ObjectRoleChange(
            **holder,
            permission=grant.permission,
            content_type=grant.content_type,
            object_pk=grant.object_pk,
            object_repr=grant.object_repr,
            granted=False,
            changed_by=actor,
        )
        for grant in grants
    )
    by_table: dict = {}
    for grant in grants:
        by_table.setdefault(type(grant.row), []).append(grant.row.pk)
        if grant.obj is not None and type(grant.row).objects.is_generic():
            pagecache.objects_changed(grant.obj)
    for model, pks in by_table.items():
        model.objects.filter(pk__in=pks).delete()


def _objects_of(rows) -> dict[tuple[int, str], Model]:
    """The objects generic grants are on, one query per kind of object."""
    wanted: dict = {}
    for row in rows:
        wanted.setdefault(row.permission.content_type, set()).add(row.object_pk)
    found = {}
    for ctype, pks in wanted.items():
        model = ctype.model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=pks):
            found[(ctype.pk, str(obj.pk))] = obj
    return found


# --- Roles held by groups --------------------------------------------------------------------


def holder_group_create(*, label: str) -> Group:
    """A new group made to hold roles on objects for a set of people (a team), named
    `holders:<label>:<random>` so that names never collide and the Django admin shows what it
    is for (`label`: e.g. "coproduction team of <process slug>")."""
    suffix = uuid.uuid4().hex[:16]
    label = label[: 150 - len(HOLDER_GROUP_PREFIX) - len(suffix) - 1]
    return Group.objects.create(name=f"{HOLDER_GROUP_PREFIX}{label}:{suffix}")


def is_holder_group(name: str) -> bool:
    """Whether the group of this name was made by `holder_group_create`."""
    return name.startswith(HOLDER_GROUP_PREFIX)


def _group_grants(obj: Model) -> QuerySet:
    """Every group's grants on `obj`, in the table guardian keeps them in for its model."""
    model = get_group_obj_perms_model(obj)
    if model.objects.is_generic():
        return model.objects.filter(content_type=get_content_type(obj), object_pk=str(obj.pk))
    return model.objects.filter(content_object=obj)


def _group_changed(actor, obj: Model) -> None:
    # The actor may be in the group: what their checker read in this request is stale.
    if actor is not None:
        forget(actor)
    if get_group_obj_perms_model(obj).objects.is_generic():
        pagecache.objects_changed(obj)


@transaction.atomic
def group_permission_grant(
    *, actor, group: Group, permission: str, obj: Model, group_name: str = ""
) -> bool:
    """Give the people of `group` the role `permission` on `obj`, and record who gave it, the
    group named `group_name` (as its app calls it; the group's own name by default). Returns
    whether it is new: granting a role the group holds changes and records nothing."""
    model = get_group_obj_perms_model(obj)
    lookup = {"group": group, "permission": _permission(permission, obj)}
    if model.objects.is_generic():
        lookup.update(content_type=get_content_type(obj), object_pk=str(obj.pk))
        defaults = {"content_object": obj}
    else:
        lookup["content_object"] = obj
        defaults = {}
    _row, created = model.objects.get_or_create(**lookup, defaults=defaults)
    if created:
        _record(
            actor=actor,
            group=group,
            group_name=group_name or group.name,
            permission=permission,
            obj=obj,
            granted=True,
        )
        _group_changed(actor, obj)
    return created


@transaction.atomic
def group_permission_revoke(
    *, actor, group: Group, permission: str, obj: Model, group_name: str = ""
) -> bool:
    """Take the role `permission` on `obj` from the people of `group`, and record who took it.
    Returns whether the group held it (revoking a role it does not hold records nothing)."""
    codename = _split(permission, obj)[1]
    deleted, _by_model = (
        _group_grants(obj).filter(group=group, permission__codename=codename).delete()
    )
    if deleted:
        _record(
            actor=actor,
            group=group,
            group_name=group_name or group.name,
            permission=permission,
            obj=obj,
            granted=False,
        )
        _group_changed(actor, obj)
    return bool(deleted)


@transaction.atomic
def group_permissions_revoke_all(*, actor, group: Group, group_name: str = "") -> int:
    """Take every role on an object from `group` (before the group goes, with its team), each
    with its record. Returns how many were taken. A few queries per table, whatever their
    number."""
    grants = _grants_of(_group_tables(), group=group)
    holder = {"group": group, "group_name": (group_name or group.name)[:250]}
    _revoke_recorded(grants, actor=actor, holder=holder)
    if actor is not None:
        forget(actor)
    return len(grants)


def group_grants(objects: Iterable[Model]) -> dict[str, dict[int, set[str]]]:
    """Which groups hold which roles on each of `objects` (of one model), in one query
    whatever their number: {object pk as text: {group id: {"app_label.codename", ...}}}."""
    objects = list(objects)
    if not objects:
        return {}
    model = get_group_obj_perms_model(objects[0])
    app_label = objects[0]._meta.app_label
    pks = [obj.pk for obj in objects]
    if model.objects.is_generic():
        rows = model.objects.filter(
            content_type=get_content_type(objects[0]), object_pk__in=[str(pk) for pk in pks]
        ).values_list("object_pk", "group_id", "permission__codename")
    else:
        rows = model.objects.filter(content_object_id__in=pks).values_list(
            "content_object_id", "group_id", "permission__codename"
        )
    found: dict[str, dict[int, set[str]]] = {}
    for pk, group_id, codename in rows:
        found.setdefault(str(pk), {}).setdefault(group_id, set()).add(f"{app_label}.{codename}")
    return found
