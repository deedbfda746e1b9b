from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    name = "action_plans"
    verbose_name = _("Action plans")

    def ready(self):
        from participation import interface

        from .models import ActionPlan
        from .participation import PlanParticipation

        interface.register(ActionPlan, PlanParticipation(), slug="plan")

        from . import audit, dashboard, page_scopes, personal_data

        dashboard.register()
        page_scopes.register()
        audit.register()
        personal_data.register()
