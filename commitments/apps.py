from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Commitments")

    def ready(self):
        from participation import interface

        from .models import Commitment, Milestone
        from .participation import CommitmentParticipation, MilestoneParticipation

        interface.register(Commitment, CommitmentParticipation(), slug="commitment")
        interface.register(Milestone, MilestoneParticipation(), slug="milestone")

        from action_plans import contents

        from . import audit, dashboard, page_scopes, personal_data
        from .plan_contents import CommitmentsOfPlans

        # What plans hold: action_plans asks this app, never imports it.
        contents.register(CommitmentsOfPlans())
        dashboard.register()
        page_scopes.register()
        audit.register()
        personal_data.register()
