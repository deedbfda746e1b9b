"""The records the audit log needs that no other table keeps: who gave or took away a
platform role (OGP admin, moderator, Django admin access) or a role on one object (an
organisation's administrator), and when.

Roles on a member, memberships of an organisation and forum seats have their own history
(django-simple-history); platform roles are Django groups, permissions and the staff and
superuser flags of an account, changed in the Django admin or a shell, which keep none.
`signals` writes these rows whatever the path of the change. Roles on one object are
django-guardian's object permissions, which keep no history either: `ogp_platform.roles`, the
one way they are granted and revoked, writes an `ObjectRoleChange` each time."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlatformRoleChange(models.Model):
    """One platform role given to or taken from one person. Append-only."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group")
        PERMISSION = "permission", _("Permission")
        FLAG = "flag", _("Account flag")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The group's name, the permission as "app_label.codename", or "is_staff" / "is_superuser".
    role = models.CharField(_("role"), max_length=255)
    granted = models.BooleanField(_("granted"))
    # None when no signed-in person made the change (a script, a migration, the demo data).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("platform role change")
        verbose_name_plural = _("platform role changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        sign = "+" if self.granted else "-"
        return f"{sign}{self.role} {self.user_id}"


class ObjectRoleChange(models.Model):
    """One object permission (a role on one object) given to or taken from one person, or
    from one group of people (a team: its members hold the role while they are in it).
    Append-only; written by `ogp_platform.roles`."""

    # The person, or None when the role went to a group.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(
        "auth.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The group as its app names it then (a team's name): the log still reads when it is gone.
    group_name = models.CharField(_("group"), max_length=250, blank=True)
    # "app_label.codename", e.g. "members.administer_organisation".
    permission = models.CharField(_("permission"), max_length=255)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_pk = models.CharField(max_length=255)
    # The object as it was named then: the log still reads when the object is gone.
    object_repr = models.CharField(_("object"), max_length=250)
    granted = models.BooleanField(_("granted"))
    # None when no signed-in person made the change (a migration, the demo data).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("object role change")
        verbose_name_plural = _("object role changes")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            # Given to a person or to a group, named: never to no one.
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, group_name="")
                | models.Q(user__isnull=True) & ~models.Q(group_name=""),
                name="audit_object_role_to_a_person_or_a_group",
            ),
        ]

    def __str__(self):
        sign = "+" if self.granted else "-"
        holder = self.user_id if self.user_id is not None else f"group {self.group_name}"
        return f"{sign}{self.permission} {self.content_type_id}:{self.object_pk} {holder}"
