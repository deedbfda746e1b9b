from django.conf import settings
from django.db import models

from ogp_platform.members.models import Member, Organisation


class Challenge(models.Model):
    """A space with several owners: a lead member (a ministry's country), a city, a partner
    organisation; and people who respond without being anyone's officers."""

    title = models.CharField(max_length=200)
    lead = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    city = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    responders = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    public = models.BooleanField(default=True)

    def __str__(self):
        return self.title


class Proposal(models.Model):
    """What a challenge holds: people vote on proposals, and inputs are taken into them."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(max_length=200)

    def __str__(self):
        return self.title
