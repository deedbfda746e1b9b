from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "ogp_platform.members"
    label = "members"
    verbose_name = _("Members and organisations")

    def ready(self):
        from . import dashboard

        dashboard.register()
