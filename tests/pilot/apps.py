from django.apps import AppConfig


class PilotConfig(AppConfig):
    """A module that exists only in the tests (ogp_platform/settings_test.py installs it): a
    challenge owned by a ministry, a city and a partner organisation, answered by people named
    on it, with feedback always open, and proposals people vote on. It plugs into participation
    as a pilot module would, and the core knows nothing of it."""

    name = "tests.pilot"
    label = "pilot"
    verbose_name = "Pilot (tests only)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ogp_platform.pagecache import member_scope, track
        from participation import interface

        from .models import Challenge, Proposal
        from .participation import ChallengeParticipation, ProposalParticipation

        interface.register(Challenge, ChallengeParticipation(), slug="challenge")
        interface.register(Proposal, ProposalParticipation(), slug="proposal")
        track(Challenge, lambda c: (member_scope(c.lead_id), member_scope(c.city_id)))
        track(Proposal, lambda p: (member_scope(p.challenge.lead_id),))
