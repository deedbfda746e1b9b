"""When a plan leaves co-creation (submitted or withdrawn), its open consultation closes and its
scheduled ones are cancelled, so no one can comment or vote on a plan that left co-creation."""

import datetime

import pytest
from django.utils import timezone

from action_plans import services as plan_services
from participation.models import Consultation
from tests.members.factories import MemberRoleFactory
from tests.participation.factories import ConsultationFactory
from tests.plans.factories import ActionPlanFactory

pytestmark = pytest.mark.django_db


def consultation(plan, officer, *, opens, closes, opened=False):
    now = timezone.now()
    return ConsultationFactory(
        space=plan,
        state="open" if opened else "scheduled",
        opens_at=now + datetime.timedelta(days=opens),
        closes_at=now + datetime.timedelta(days=closes),
        created_by=officer,
    )


def test_withdrawing_a_plan_ends_its_consultations():
    plan = ActionPlanFactory(status="cocreation", published=True)
    officer = MemberRoleFactory(member=plan.member, role="officer").user
    running = consultation(plan, officer, opens=-1, closes=5, opened=True)
    later = consultation(plan, officer, opens=10, closes=20)
    other_plan = ActionPlanFactory(status="cocreation", published=True)
    untouched = consultation(other_plan, officer, opens=-1, closes=5, opened=True)

    plan_services.action_plan_withdraw(actor=officer, plan=plan, reason="Elections.")

    for item in (running, later, untouched):
        item.refresh_from_db()
    assert running.state == Consultation.State.CLOSED
    assert later.state == Consultation.State.CLOSED and later.opened_at is None
    assert untouched.state == Consultation.State.OPEN
