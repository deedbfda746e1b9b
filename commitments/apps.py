from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Commitments")

    def ready(self):
        from participation import interface

        from .models import Commitment, Milestone
        from .participation import CommitmentParticipation, MilestoneParticipation

        interface.register(Commitment, CommitmentParticipation())
        interface.register(Milestone, MilestoneParticipation())

        from . import dashboard

        dashboard.register()
