"""What a plan holds, as action_plans reads it without knowing the commitments app: the
provider registered in `action_plans.contents` (commitments registers its own), and the bulk
service through which the IRM importer writes plans."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.urls import reverse
from django.utils import timezone

from action_plans import contents, selectors
from action_plans import services as plan_services
from action_plans.models import ActionPlan, PlanTransition
from action_plans.participation import PlanParticipation
from action_plans.selectors import ChecklistItem
from commitments.plan_contents import CommitmentsOfPlans
from ogp_platform.members.models import MemberRole
from tests.factories import UserFactory
from tests.members.factories import MemberFactory, MemberRoleFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


class Tested(contents.PlanContents):
    """A provider of the test's own: things that are not commitments."""

    def listed(self, plan, *, for_checklist=False):
        return []

    def checklist(self, plan, items=None):
        return [ChecklistItem("The plan holds its tested things.", True)]

    def history(self, plan):
        return contents.History(
            title="Tested things of this plan",
            intro="Each tested thing keeps its history.",
            items=[{"identifier": "T1", "title": "A thing", "removed": True, "changes_url": ""}],
        )

    def check_period(self, plan, start_date, end_date):
        raise ValidationError("A tested thing is outside the new period.")

    def takeable(self, plan):
        return ["a thing"]

    def count(self):
        return Value(7)


@pytest.fixture
def tested(monkeypatch):
    monkeypatch.setattr(contents, "_provider", Tested())


def test_commitments_tell_plans_what_they_hold():
    assert isinstance(contents.provider(), CommitmentsOfPlans)


def test_the_plan_reads_what_it_holds_from_the_registered_provider(tested, client):
    """The checklist, the changes page, the period check, the register's choices and the plans'
    counts all come from the provider, whatever it holds."""
    member = MemberFactory()
    officer = MemberRoleFactory(member=member, role=MemberRole.Role.OFFICER).user
    plan = ActionPlanFactory(member=member, published=True, status=ActionPlan.Status.COCREATION)
    CommitmentFactory(plan=plan)  # not the provider's: nobody asks the commitments app

    checklist = selectors.plan_submission_checklist(plan=plan)
    assert [item.text for item in checklist.items] == [
        "The plan holds its tested things.",
        "Every input has a reasoned response.",
    ]

    page = client.get(reverse("action_plans:changes", args=[plan.identifier])).content.decode()
    assert "Tested things of this plan" in page and "A thing" in page

    with pytest.raises(ValidationError, match="tested thing"):
        plan_services.action_plan_update(
            actor=officer, plan=plan, end_date=datetime.date(2027, 4, 30)
        )
    assert PlanParticipation().children(plan) == ["a thing"]
    (listed,) = selectors.member_plans(user=officer, member=member)
    assert listed.commitment_count == 7


def test_without_a_provider_a_plan_holds_nothing(monkeypatch):
    monkeypatch.setattr(contents, "_provider", contents.PlanContents())
    plan = ActionPlanFactory()
    CommitmentFactory(plan=plan)
    assert selectors.plan_commitments(plan=plan) == []
    assert [item.text for item in selectors.plan_submission_checklist(plan=plan).items] == [
        "Every input has a reasoned response."
    ]
    assert contents.provider().find(plan.commitments.get().identifier) is None


def test_a_commitment_pdf_is_found_through_the_provider(tested, client):
    """The provider found nothing: the commitment's PDF is not there."""
    commitment = CommitmentFactory(plan=ActionPlanFactory(published=True))
    url = reverse("action_plans:commitment_pdf", args=[commitment.identifier])
    assert client.post(url).status_code == 404


# --- The importer's bulk writes --------------------------------------------------------------


def test_plans_imported_in_bulk_get_their_history_and_first_step():
    actor = UserFactory()
    member = MemberFactory()
    at = timezone.now() - datetime.timedelta(days=1)
    plans = [
        ActionPlan(
            member=member,
            sequence=sequence,
            identifier=f"AP_{member.plan_prefix}{sequence:02d}",
            title=f"Plan {sequence}",
            start_date=datetime.date(2020, 9, 1),
            end_date=datetime.date(2022, 8, 31),
            submission_deadline=datetime.date(2020, 8, 31),
            status=ActionPlan.Status.ENDED,
            published_at=at,
            created_by=actor,
        )
        for sequence in (1, 2)
    ]
    saved = plan_services.action_plans_import(actor=actor, plans=plans, reason="Imported.", at=at)
    assert all(plan.pk for plan in saved)
    for plan in ActionPlan.objects.filter(member=member):
        assert plan.history.get().history_user == actor
        (step,) = PlanTransition.objects.filter(plan=plan)
        assert (step.to_status, step.reason, step.actor, step.created_at) == (
            ActionPlan.Status.ENDED,
            "Imported.",
            actor,
            at,
        )


def test_touching_plans_moves_their_update_time_only():
    """What the plans hold changed: their cached exports key on the time; no version of the
    plan is recorded, and other plans stay as they were."""
    plan, other = ActionPlanFactory(), ActionPlanFactory()
    before = other.updated_at
    versions = plan.history.count()
    at = timezone.now() + datetime.timedelta(hours=1)
    plan_services.action_plans_touch(plan_ids=[plan.pk], at=at)
    plan.refresh_from_db()
    other.refresh_from_db()
    assert (plan.updated_at, other.updated_at) == (at, before)
    assert plan.history.count() == versions
