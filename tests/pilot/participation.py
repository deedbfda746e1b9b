"""The pilot's adapters: no `get_absolute_url` on its models (the adapter gives the URL), two
owning members and an organisation, responders of its own, feedback always open, and nouns of
its own. Plain strings for the nouns: the tests' texts are not in the catalogs."""

from django.db.models import Q
from django.urls import reverse

from ogp_platform.members.models import MemberRole
from participation.interface import Nouns, SpaceAdapter, TargetAdapter

from .models import Challenge

NOUNS = Nouns(space="challenge", spaces="challenges", item="proposal", items="proposals")
OFFICERS = (MemberRole.Role.POINT_OF_CONTACT, MemberRole.Role.OFFICER)


def readable_challenges(user):
    """Public challenges, and the others to their responders and their members' officers."""
    visible = Q(public=True)
    if user.is_authenticated:
        officers = MemberRole.objects.filter(user=user, role__in=OFFICERS).values("member")
        visible |= Q(responders=user) | Q(lead__in=officers) | Q(city__in=officers)
    return Challenge.objects.filter(visible).values("pk")


class ChallengeParticipation(SpaceAdapter):
    nouns = NOUNS

    def title(self, challenge):
        return f"Challenge: {challenge.title}"

    def url(self, challenge):
        return reverse("pilot:challenge", args=[challenge.pk])

    def readable(self, user, queryset):
        return queryset.filter(pk__in=readable_challenges(user))

    def primary_member(self, challenge):
        return challenge.lead

    def owners(self, challenge):
        return [challenge.lead, challenge.city, challenge.partner]

    def may_respond(self, user, challenge):
        if not user.is_authenticated:
            return False
        return (
            super().may_respond(user, challenge) or challenge.responders.filter(pk=user.pk).exists()
        )

    def consultation_required(self, challenge):
        return False

    def children(self, challenge):
        return challenge.proposals.order_by("pk")


class ProposalParticipation(TargetAdapter):
    related = ("challenge",)

    def url(self, proposal):
        return reverse("pilot:proposal", args=[proposal.pk])

    def space(self, proposal):
        return proposal.challenge

    def votable(self, proposal):
        return True

    def readable(self, user, queryset):
        return queryset.filter(challenge__in=readable_challenges(user))
