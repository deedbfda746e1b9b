"""Permission matrix of every state-changing view of processes and their tree: who may open
it and post to it. Played on a public process (so people without the right get 403, not 404)
by anonymous visitors (sent to sign in), a plain user, an observer, a team member, an owner,
an officer of the owning member who is in no team, and an OGP admin."""

import pytest
from django.urls import reverse

from tests.coproduction.process_factories import (
    OBSERVER,
    OWNER,
    ROLES,
    TEAM_MEMBER,
    sign_in,
    world,
)
from tests.factories import UserFactory
from tests.people import ANONYMOUS, OFFICER, OGP_ADMIN
from use_cases.coproduction.models import Process, TreeItem

pytestmark = pytest.mark.django_db

MANAGERS = {OWNER, OGP_ADMIN}
WORKERS = {OWNER, TEAM_MEMBER, OGP_ADMIN}
# Officers and points of contact of a member start processes for it; OGP admins for any.
CREATORS = {OWNER, OFFICER, OGP_ADMIN}


@pytest.fixture
def w(people):
    return world(people)


def _refused(response, role):
    if role == ANONYMOUS:
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    return response.status_code == 403


def _names(w):
    return list(TreeItem.objects.filter(process=w.process).values_list("name", flat=True))


def _forms(w, people):
    """view: (url, data posted, whether the change happened, roles allowed)."""
    slug = w.process.slug
    item = {"name": "Added", "description": "", "start_date": "", "end_date": ""}
    return {
        "process_create": (
            reverse("coproduction:process_create"),
            {
                "name": "Another process",
                "language": "en",
                "lead_member": people.member.pk,
                "visibility": "public",
            },
            lambda: Process.objects.filter(name="Another process").exists(),
            CREATORS,
        ),
        "process_edit": (
            reverse("coproduction:process_edit", args=[slug]),
            {"name": "Renamed", "language": "en", "visibility": "public"},
            lambda: Process.objects.filter(pk=w.process.pk, name="Renamed").exists(),
            MANAGERS,
        ),
        "process_status": (
            reverse("coproduction:process_status", args=[slug]),
            {"status": "running"},
            lambda: Process.objects.filter(pk=w.process.pk, status="running").exists(),
            MANAGERS,
        ),
        "item_create": (
            reverse("coproduction:item_create", args=[slug]),
            item,
            lambda: "Added" in _names(w),
            MANAGERS,
        ),
        "item_create_inside": (
            reverse("coproduction:item_create_inside", args=[slug, w.objective.pk]),
            item,
            lambda: TreeItem.objects.filter(parent=w.objective, name="Added").exists(),
            MANAGERS,
        ),
        "item_edit": (
            reverse("coproduction:item_edit", args=[slug, w.task.pk]),
            {**item, "name": "Edited"},
            lambda: TreeItem.objects.filter(pk=w.task.pk, name="Edited").exists(),
            MANAGERS,
        ),
    }


FORM_VIEWS = [
    "process_create",
    "process_edit",
    "process_status",
    "item_create",
    "item_create_inside",
    "item_edit",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", FORM_VIEWS)
def test_process_and_tree_forms(client, people, w, view, role):
    """The forms open, and save, only for those allowed; anyone else is sent to sign in or
    refused, and nothing changes."""
    url, data, changed, allowed = _forms(w, people)[view]
    sign_in(client, people, w, role)
    page = client.get(url)
    response = client.post(url, data)
    if role in allowed:
        assert page.status_code == 200
        assert response.status_code == 302, response.content.decode()[:2000]
        assert changed()
    else:
        assert _refused(page, role) and _refused(response, role)
        assert not changed()


@pytest.mark.parametrize("role", ROLES)
def test_reordering_the_tree(client, people, w, role):
    """Only owners (and OGP admins) move items up and down; a GET is refused."""
    sign_in(client, people, w, role)
    url = reverse("coproduction:item_move", args=[w.process.slug, w.second_task.pk])
    response = client.post(url, {"direction": "up"})
    order = list(w.objective.children.order_by("position").values_list("pk", flat=True))
    if role in MANAGERS:
        assert response.status_code == 302
        assert order == [w.second_task.pk, w.task.pk]
    else:
        assert _refused(response, role)
        assert order == [w.task.pk, w.second_task.pk]
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_removing_an_item(client, people, w, role):
    """The confirmation page and the removal are the owners'."""
    sign_in(client, people, w, role)
    url = reverse("coproduction:item_delete", args=[w.process.slug, w.objective.pk])
    page = client.get(url)
    response = client.post(url)
    exists = TreeItem.objects.filter(pk=w.objective.pk).exists()
    if role in MANAGERS:
        assert page.status_code == 200 and response.status_code == 302
        assert not exists and not TreeItem.objects.filter(pk=w.task.pk).exists()
    else:
        assert _refused(page, role) and _refused(response, role)
        assert exists


@pytest.mark.parametrize("role", ROLES)
def test_moving_a_task_along(client, people, w, role):
    """Owners and team members (not observers, not officers outside the teams) start and
    finish tasks."""
    sign_in(client, people, w, role)
    url = reverse("coproduction:item_status", args=[w.process.slug, w.task.pk])
    response = client.post(url, {"status": "in_progress"})
    w.task.refresh_from_db()
    if role in WORKERS:
        assert response.status_code == 302
        assert w.task.status == "in_progress"
    else:
        assert _refused(response, role)
        assert w.task.status == "awaiting"
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("role", [OBSERVER, TEAM_MEMBER, OWNER])
def test_a_team_only_process_refuses_outsiders_with_not_found(client, people, role):
    """On a process visible to its teams only, people outside them get 404 from every view;
    its teams get what their role allows."""
    w = world(people, visibility="team")
    url = reverse("coproduction:item_status", args=[w.process.slug, w.task.pk])
    client.force_login(UserFactory())
    assert client.post(url, {"status": "in_progress"}).status_code == 404
    sign_in(client, people, w, role)
    expected = 302 if role in WORKERS else 403
    assert client.post(url, {"status": "in_progress"}).status_code == expected
