from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ogp_platform.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from . import selectors, signals

        signals.connect()
        selectors.register()
