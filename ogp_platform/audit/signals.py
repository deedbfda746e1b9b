"""Keep a `PlatformRoleChange` for every platform role given or taken away, however it happens:
the Django admin's user form, `Group.user_set.add` in a script, `createsuperuser`, account
deletion. Django's own admin log records changes made in the admin only, and names no role."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_save, pre_save
from simple_history.models import HistoricalRecords

from ogp_platform import roles

from .models import PlatformRoleChange

FLAGS = ("is_staff", "is_superuser")


def _actor():
    """The signed-in person of the request being served, if any: simple_history's middleware
    keeps the request where models can read it."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _role_names(kind: str, pks) -> dict:
    if kind == PlatformRoleChange.Kind.GROUP:
        groups = Group.objects.filter(pk__in=pks)
        # A group made to hold roles on objects for a team is no platform role: who is in it is
        # the team's history. Should someone give it a permission of its own, it counts again.
        groups = groups.exclude(
            name__startswith=roles.HOLDER_GROUP_PREFIX, permissions__isnull=True
        )
        return dict(groups.values_list("pk", "name"))
    permissions = Permission.objects.filter(pk__in=pks).values_list(
        "pk", "content_type__app_label", "codename"
    )
    return {pk: f"{app_label}.{codename}" for pk, app_label, codename in permissions}


def _record_m2m(kind: str, accessor: str, instance, action: str, reverse: bool, pk_set) -> None:
    """Record an add, remove or clear of groups or permissions, from either side of the
    relation (`user.groups.add(group)` or `group.user_set.add(user)`)."""
    if action == "pre_clear":
        # The clear does not say what it removed: note it before it happens.
        related = getattr(instance, "user_set" if reverse else accessor)
        instance._audit_cleared = set(related.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set, granted = instance.__dict__.pop("_audit_cleared", set()), False
    elif action in ("post_add", "post_remove"):
        granted = action == "post_add"
    else:
        return
    if not pk_set:
        return
    actor = _actor()
    if reverse:
        # The instance is the group or permission; the pks are people.
        role = _role_names(kind, [instance.pk]).get(instance.pk)
        if role is None:
            return
        pairs = [(user_id, role) for user_id in pk_set]
    else:
        names = _role_names(kind, pk_set)
        pairs = [(instance.pk, names[pk]) for pk in pk_set if pk in names]
    PlatformRoleChange.objects.bulk_create(
        PlatformRoleChange(user_id=user_id, kind=kind, role=role, granted=granted, changed_by=actor)
        for user_id, role in pairs
    )


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    _record_m2m(PlatformRoleChange.Kind.GROUP, "groups", instance, action, reverse, pk_set)


def _permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    _record_m2m(
        PlatformRoleChange.Kind.PERMISSION, "user_permissions", instance, action, reverse, pk_set
    )


def _note_flags(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a user is saved, read the flags as they are in the database: one query, and none
    when the save cannot change them (a login saves `last_login` only)."""
    if raw or instance._state.adding:
        instance._audit_flags = dict.fromkeys(FLAGS, False)
        return
    if update_fields is not None and not set(update_fields) & set(FLAGS):
        instance.__dict__.pop("_audit_flags", None)
        return
    instance._audit_flags = sender.objects.filter(pk=instance.pk).values(
        *FLAGS
    ).first() or dict.fromkeys(FLAGS, False)


def _record_flags(sender, instance, raw=False, **kwargs):
    before = instance.__dict__.pop("_audit_flags", None)
    if raw or before is None:
        return
    changed = [flag for flag in FLAGS if bool(getattr(instance, flag)) != bool(before[flag])]
    if not changed:
        return
    actor = _actor()
    PlatformRoleChange.objects.bulk_create(
        PlatformRoleChange(
            user=instance,
            kind=PlatformRoleChange.Kind.FLAG,
            role=flag,
            granted=bool(getattr(instance, flag)),
            changed_by=actor,
        )
        for flag in changed
    )


def connect() -> None:
    user_model = get_user_model()
    m2m_changed.connect(
        _groups_changed, sender=user_model.groups.through, dispatch_uid="audit_groups"
    )
    m2m_changed.connect(
        _permissions_changed,
        sender=user_model.user_permissions.through,
        dispatch_uid="audit_permissions",
    )
    pre_save.connect(_note_flags, sender=user_model, dispatch_uid="audit_flags_before")
    post_save.connect(_record_flags, sender=user_model, dispatch_uid="audit_flags_after")
