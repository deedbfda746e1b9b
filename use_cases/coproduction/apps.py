from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoproductionConfig(AppConfig):
    """INTERLINK's collaborative environment, built once for the pilot modules: co-production
    processes (phases → objectives → tasks), their teams and governance framework, resources on
    tasks, and the catalogue of enablers, problem profiles and schemas."""

    name = "use_cases.coproduction"
    label = "coproduction"
    verbose_name = _("Co-production")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # What the core asks of a module (docs/architecture.md, "How a module plugs in"); the
        # demo and benchmark data are found by autodiscovery (`demo.py`, `bench.py`).
        from ogp_platform import navigation

        from . import audit, dashboard, page_scopes, participation, personal_data

        participation.register()
        page_scopes.register()
        audit.register()
        personal_data.register()
        dashboard.register()
        # The processes, with the catalogue and the schemas a link away.
        navigation.register(
            navigation.Link(
                "coproduction",
                _("Co-production"),
                "coproduction:processes",
                namespaces=("coproduction",),
                position=10,
            )
        )
