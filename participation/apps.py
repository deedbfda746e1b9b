from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Participation")

    def ready(self):
        from . import audit, dashboard, page_scopes, personal_data

        dashboard.register()
        page_scopes.register()
        audit.register()
        personal_data.register()
