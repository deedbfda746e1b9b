"""Rights on tree items held by teams: django-guardian's grants of a permission on one item to
one team's group, in a table of their own (a real foreign key, so that the grants go with the
item and a process's grants are one join). Written only by `ogp_platform.roles`, through
`use_cases.coproduction.services.teams.rights_grant` / `rights_revoke`, which record each grant
and revocation."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from .processes import TreeItem


class TreeItemGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(TreeItem, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("right of a team on a process item")
        verbose_name_plural = _("rights of teams on process items")
