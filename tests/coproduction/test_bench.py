"""The co-production part of the benchmark data: the real catalogue, and a realistic process from
the default schema with its teams, resources and comments, whose pages answer."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ogp_platform.seeding import seed_bench
from participation.models import Comment, Input
from use_cases.coproduction.bench import REAL_SLUG
from use_cases.coproduction.models import Enabler, Process, Resource, Team, TreeItem

pytestmark = pytest.mark.django_db


def test_the_benchmark_holds_the_real_catalogue_and_a_realistic_process(client):
    run = seed_bench(0.01)

    real = Enabler.objects.exclude(key__startswith="bench-enabler-")
    assert real.count() == 62
    assert run.counts["enablers"] == 62 + Enabler.objects.filter(key__startswith="bench-").count()

    process = Process.objects.get(slug=REAL_SLUG)
    assert run.named["coproduction_process_schema"] == REAL_SLUG
    assert process.schema.key == "default" and process.status == Process.Status.RUNNING
    tasks = process.items.filter(kind=TreeItem.Kind.TASK)
    assert tasks.count() == 51 and process.items.count() == 72
    assert TreeItem.prerequisites.through.objects.filter(from_treeitem__process=process).exists()
    assert tasks.filter(status=TreeItem.Status.FINISHED).count() == 12
    assert tasks.filter(status=TreeItem.Status.IN_PROGRESS).count() == 4
    assert not tasks.filter(responsible_team=None).exists()
    assert set(process.teams.values_list("role", flat=True)) == set(Team.Role.values)
    resources = Resource.objects.filter(task__process=process)
    assert resources.count() == 30
    assert set(resources.filter(kind="enabler").values_list("enabler__key", flat=True)) <= set(
        real.values_list("key", flat=True)
    )
    process_type = ContentType.objects.get_for_model(Process)
    comments = Comment.objects.filter(space_type=process_type, space_id=process.pk)
    assert comments.count() == 60 and comments.filter(parent__isnull=False).count() == 10
    assert Input.objects.filter(comment__in=comments).count() == 50

    # The benchmark's signed-in citizen is in none of its teams.
    assert not process.teams.filter(people__email=run.named["user"]).exists()
    urls = [
        process.get_absolute_url(),
        tasks.order_by("pk").first().get_absolute_url(),
        reverse("coproduction:catalogue"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.login(email=run.named["user"], password=run.named["password"])
    for url in urls:
        assert client.get(url).status_code == 200, url
