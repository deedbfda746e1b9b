"""The benchmark data set: its sizes follow the scale, and the pages the benchmark names exist."""

import pytest
from django.core.management import CommandError, call_command

from action_plans.models import ActionPlan
from commitments.models import Commitment, CommitmentNumbering, Milestone
from ogp_platform.seeding import seed_bench
from participation.models import Comment, Input, Vote

pytestmark = pytest.mark.django_db


def test_the_data_set_follows_the_scale_and_names_the_benchmark_pages(client):
    run = seed_bench(0.02)
    counts = run.counts
    assert (counts["members"], counts["plans"], counts["commitments"]) == (2, 6, 120)
    assert Milestone.objects.count() == counts["milestones"] == 4 * 120
    assert counts["comments"] == 2000
    # Beside them, the comments of the co-production process seeded from a schema.
    assert Comment.objects.count() == counts["comments"] + counts["process_comments"]
    assert Vote.objects.count() == counts["votes"] == 6000
    # Every top-level comment is an input of its plan's register.
    assert Input.objects.count() == Comment.objects.filter(parent=None).count()

    named = run.named
    plan = ActionPlan.objects.get(identifier=named["plan_60"])
    assert plan.status == "cocreation" and plan.commitments.count() == 60
    busy = Commitment.objects.get(identifier=named["commitment_500_comments"])
    quiet = Commitment.objects.get(identifier=named["commitment_10_comments"])
    assert Comment.objects.filter(target_id=busy.pk, parent=None).count() >= 500
    assert Comment.objects.filter(target_id=quiet.pk).count() == 10
    # Numbering continues after the seeded ids: the next commitment cannot collide.
    numbering = CommitmentNumbering.objects.get(member=plan.member)
    assert numbering.last_number >= busy.number

    for url in (plan.get_absolute_url(), busy.get_absolute_url(), quiet.get_absolute_url()):
        assert client.get(url).status_code == 200
    assert client.login(email=named["user"], password=named["password"])


def test_it_refuses_to_seed_twice():
    seed_bench(0.01)
    with pytest.raises(CommandError, match="already here"):
        call_command("seed_bench", "--scale", "0.01")
