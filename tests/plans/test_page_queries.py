"""The plan page and the commitment page cost the same number of queries for a plan of 5
commitments as for one of 60 (4 milestones each). The explorer's test is in test_explorer.py."""

import pytest
from django.contrib.contenttypes.models import ContentType

from action_plans.models import ActionPlan
from commitments.models import Commitment, Milestone, PolicyArea
from tests.members.factories import InstitutionFactory, MemberRoleFactory, OrganisationFactory
from tests.plans.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    ProgressReportFactory,
)
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db

# The platform's cap for any page (issue 8). The counts here are taken on cold caches: they
# include content-type lookups that a running process caches after the first request.
MAX_QUERIES = 20


@pytest.fixture(autouse=True)
def _content_types_cached():
    """Content types are cached for the life of the process (participation's blocks use them):
    a running server has read them long before, so the first page counted must not pay for it."""
    ContentType.objects.get_for_models(ActionPlan, Commitment, Milestone)


def build_plan(size: int, **plan_fields):
    plan = ActionPlanFactory(**plan_fields)
    areas = list(PolicyArea.objects.all()[:3])
    institution = InstitutionFactory(member=plan.member)
    organisation = OrganisationFactory()
    for _ in range(size):
        commitment = CommitmentFactory(plan=plan, lead_institution=institution)
        commitment.policy_areas.set(areas)
        commitment.supporting_institutions.set([institution])
        commitment.partner_organisations.set([organisation])
        for _ in range(4):
            MilestoneFactory(commitment=commitment, responsible_institution=institution)
        ProgressReportFactory(commitment=commitment)
    return plan


@pytest.mark.parametrize("as_officer", [False, True], ids=["anonymous", "officer"])
def test_plan_page_queries_do_not_grow(client, as_officer):
    small = build_plan(5, status="cocreation", published=True)
    large = build_plan(60, status="cocreation", published=True)
    if as_officer:
        user = MemberRoleFactory(member=small.member, role="officer").user
        MemberRoleFactory(member=large.member, user=user, role="officer")
        client.force_login(user)
    count = assert_queries_constant(
        lambda plan: get_ok(client, plan.get_absolute_url()), small, large
    )
    assert count <= MAX_QUERIES


@pytest.mark.parametrize("as_officer", [False, True], ids=["anonymous", "officer"])
def test_commitment_page_queries_do_not_grow(client, as_officer):
    small = build_plan(1, status="implementation", published=True)
    large = build_plan(1, status="implementation", published=True)
    big = large.commitments.get()
    for _ in range(20):
        MilestoneFactory(commitment=big)
        ProgressReportFactory(commitment=big)
    if as_officer:
        user = MemberRoleFactory(member=small.member, role="officer").user
        MemberRoleFactory(member=large.member, user=user, role="officer")
        client.force_login(user)
    small_url, large_url = (plan.commitments.get().get_absolute_url() for plan in (small, large))
    count = assert_queries_constant(lambda url: get_ok(client, url), small_url, large_url)
    assert count <= MAX_QUERIES
