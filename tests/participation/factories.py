"""Factories for consultations and comments.

They write rows directly (no services, no policy checks, no rate limit), for setting up tests
quickly; a test of a rule goes through the service instead. A consultation's space is a plan in
co-creation unless given (`space=` any participation space); a comment is filed, as the comment
service files it, under its consultation's space and member, or, without a consultation (open
feedback), under those of its target's space.
"""

import datetime

import factory
from django.utils import timezone

from participation import interface, markdown
from participation.models import Comment, Consultation
from tests.factories import UserFactory
from tests.plans.factories import ActionPlanFactory

DAY = datetime.timedelta(days=1)


# When a consultation in each state opens and closes, in days from now.
STATES = {"scheduled": (1, 10), "open": (-1, 10), "closed": (-10, -1)}


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A consultation, open by default (it opened yesterday and closes in ten days); `state=`
    "scheduled" (it opens tomorrow) or "closed" (it ran from ten days ago until yesterday)."""

    class Meta:
        model = Consultation

    class Params:
        state = "open"
        now = factory.LazyFunction(timezone.now)

    space = factory.SubFactory(ActionPlanFactory, status="cocreation", published=True)
    member = factory.LazyAttribute(lambda o: interface.primary_member_of(o.space))
    title = "Consultation on the draft plan"
    rules = "Be kind."
    questions = "What is missing?"
    opens_at = factory.LazyAttribute(lambda o: o.now + STATES[o.state][0] * DAY)
    closes_at = factory.LazyAttribute(lambda o: o.now + STATES[o.state][1] * DAY)
    # It opened and closed on time.
    opened_at = factory.LazyAttribute(lambda o: None if o.state == "scheduled" else o.opens_at)
    closed_at = factory.LazyAttribute(lambda o: o.closes_at if o.state == "closed" else None)
    created_by = factory.SubFactory(UserFactory)


def _space(comment):
    if comment.consultation is not None:
        return comment.consultation.space
    return interface.space_of(comment.target)


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment on `target` (by default its consultation's space) in `consultation` (pass
    `consultation=None` for open feedback, filed under the target's space)."""

    class Meta:
        model = Comment

    consultation = factory.SubFactory(ConsultationFactory)
    target = factory.LazyAttribute(lambda o: o.consultation.space)
    space = factory.LazyAttribute(_space)
    member = factory.LazyAttribute(lambda o: interface.primary_member_of(o.space))
    author = factory.SubFactory(UserFactory)
    body = "Publish the contracts too."
    body_html = factory.LazyAttribute(lambda o: markdown.render(o.body))
