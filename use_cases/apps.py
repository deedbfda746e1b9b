from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UseCasesConfig(AppConfig):
    """The pilot modules live in sub-apps (joint_planning, shared_services, open_innovation)."""

    name = "use_cases"
    verbose_name = _("Pilot modules")
