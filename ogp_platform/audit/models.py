"""The one record the audit log needs that no other table keeps: who gave or took away a
platform role (OGP admin, moderator, Django admin access), and when.

Roles on a member, in an organisation and on a forum have their own history
(django-simple-history); platform roles are Django groups, permissions and the staff and
superuser flags of an account, changed in the Django admin or a shell, which keep none.
`signals` writes these rows whatever the path of the change."""

from django.conf import settings
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
