"""Factories for action plans, commitments, milestones and progress.

They write rows directly (no services, no policy checks), for setting up tests quickly. A test of
a rule goes through the service instead. Ids follow OGP's form: AP_ + alpha-3 + number for plans,
alpha-2 (or local code) + four digits for commitments.
"""

import datetime

import factory
from django.utils import timezone

from action_plans.models import ActionPlan, PlanTransition
from commitments.models import Commitment, Milestone, ProgressReport
from tests.factories import UserFactory
from tests.members.factories import InstitutionFactory, MemberFactory


class ActionPlanFactory(factory.django.DjangoModelFactory):
    """A draft two-year plan, 1 September 2025 – 31 August 2027.

    `ActionPlanFactory(published=True, status=...)` for a plan everyone may read.
    """

    class Meta:
        model = ActionPlan
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(published_at=factory.LazyFunction(timezone.now))

    member = factory.SubFactory(MemberFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    identifier = factory.LazyAttribute(lambda o: f"AP_{o.member.plan_prefix}{o.sequence:02d}")
    title = factory.Sequence(lambda n: f"Fifth open government action plan {n}")
    start_date = datetime.date(2025, 9, 1)
    end_date = datetime.date(2027, 8, 31)
    submission_deadline = datetime.date(2025, 8, 31)
    status = ActionPlan.Status.DRAFT
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def timeline(self, create, extracted, **kwargs):
        if create:
            PlanTransition.objects.create(
                plan=self, to_status=ActionPlan.Status.DRAFT, actor=self.created_by
            )


_commitment_numbers = iter(range(1, 10**6))


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A commitment complete in OGP's template (ready for submission but for milestones)."""

    class Meta:
        model = Commitment

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.LazyFunction(lambda: next(_commitment_numbers))
    identifier = factory.LazyAttribute(lambda o: f"{o.plan.member.commitment_prefix}{o.number:04d}")
    position = factory.LazyAttribute(lambda o: o.number)
    title = factory.Sequence(lambda n: f"Publish public procurement contracts as open data {n}")
    short_title = "Open procurement"
    problem = "Contracts are published late and as scanned documents."
    status_quo = "A portal lists tenders, but not the signed contracts."
    description = "Publish every contract above 10,000 EUR in the Open Contracting Data Standard."
    contribution = "Journalists and CSOs can follow public money from tender to payment."
    values_relevance = "Access to information and public accountability."
    value_access_to_information = True
    value_public_accountability = True
    lead_institution = factory.LazyAttribute(lambda o: InstitutionFactory(member=o.plan.member))
    start_date = datetime.date(2025, 9, 1)
    end_date = datetime.date(2027, 6, 30)
    search_document = factory.LazyAttribute(lambda o: f"{o.identifier}\n{o.title}\n{o.description}")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    commitment = factory.SubFactory(CommitmentFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Milestone {n}: publish the first data set")
    expected_output = "A data set on the national open data portal."
    start_date = datetime.date(2025, 10, 1)
    end_date = datetime.date(2026, 3, 31)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    commitment = factory.SubFactory(CommitmentFactory)
    level = "limited"
    narrative = "The first data set is online; the second waits for a procurement."
    reported_by = factory.SubFactory(UserFactory)
