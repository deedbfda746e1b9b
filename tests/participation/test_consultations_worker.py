"""The scheduled opening and closing run in a real Celery worker, through the Redis broker.

Skipped locally without REDIS_URL; in CI (REDIS_URL set) it must run."""

import datetime

import pytest
from django.utils import timezone

from ogp_platform.celery import app
from participation.models import Consultation
from participation.tasks import consultations_tick
from tests.participation.factories import ConsultationFactory
from tests.plans.factories import ActionPlanFactory


def test_the_tick_is_on_the_beat_schedule_every_minute():
    entry = app.conf.beat_schedule["participation-consultations-tick"]
    assert entry["task"] == consultations_tick.name == "participation.consultations_tick"
    schedule = entry["schedule"]
    assert schedule.minute == set(range(60)) and schedule.hour == set(range(24))
    assert schedule.day_of_week == set(range(7))


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_opens_a_due_consultation_and_closes_a_finished_one(real_worker):
    now = timezone.now()
    plan = ActionPlanFactory(status="cocreation", published=True)
    other = ActionPlanFactory(status="cocreation", published=True)
    due = ConsultationFactory(
        space=plan,
        state="scheduled",
        title="Due to open",
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=7),
    )
    finished = ConsultationFactory(
        space=other,
        title="Due to close",
        opens_at=now - datetime.timedelta(days=7),
        closes_at=now - datetime.timedelta(minutes=1),
    )

    assert consultations_tick.delay().get(timeout=30) == {"opened": 1, "closed": 1}
    due.refresh_from_db()
    finished.refresh_from_db()
    assert due.state == Consultation.State.OPEN
    assert finished.state == Consultation.State.CLOSED

    # A second run (a retried or duplicated beat) changes nothing.
    assert consultations_tick.delay().get(timeout=30) == {"opened": 0, "closed": 0}
