from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointPlanningConfig(AppConfig):
    """Joint strategic planning between central and local public bodies (the Italian pilot: MEF
    and AgID with Reggio Emilia), on the co-production core: joint plans with their bodies and
    roles, goals and objectives linked to OGP commitments, actions proposed by any body and
    consolidated with a reasoned response, prioritisation rounds."""

    name = "use_cases.joint_planning"
    label = "joint_planning"
    verbose_name = _("Joint strategic planning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # What the core asks of a module (docs/architecture.md, "How a module plugs in").
        from . import page_scopes, participation, personal_data

        participation.register()
        page_scopes.register()
        personal_data.register()
