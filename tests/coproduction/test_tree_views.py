"""The tree in the browser: owners add, edit, reorder (without JavaScript too) and remove
items; the team moves tasks along and is told why one cannot start; every change shows on the
changes pages."""

import datetime

import pytest
from django.urls import reverse

from tests.coproduction.process_factories import add_item, world
from use_cases.coproduction.models import TreeItem
from use_cases.coproduction.services import tree as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(people):
    return world(people)


def _url(name, w, *args):
    return reverse(f"coproduction:{name}", args=[w.process.slug, *args])


def test_reordering_without_javascript_posts_and_comes_back(client, w):
    """The ↑ button is a form: it posts, the page comes back at the item, in the new order."""
    client.force_login(w.owner)
    page = client.get(w.process.get_absolute_url()).content.decode()
    assert f'action="{_url("item_move", w, w.second_task.pk)}"' in page
    response = client.post(
        _url("item_move", w, w.second_task.pk),
        {"direction": "up", "next": f"{w.process.get_absolute_url()}#item-{w.second_task.pk}"},
    )
    assert response["Location"] == f"{w.process.get_absolute_url()}#item-{w.second_task.pk}"
    page = client.get(w.process.get_absolute_url()).content.decode()
    assert page.index("Invite them") < page.index("Map the stakeholders")


def test_a_refused_start_says_why(client, w):
    """Starting a task whose prerequisite has not finished comes back with the reason."""
    client.force_login(w.member)
    response = client.post(
        _url("item_status", w, w.second_task.pk), {"status": "in_progress"}, follow=True
    )
    assert "“Invite them” cannot start before “Map the stakeholders” finishes." in (
        response.content.decode()
    )
    w.second_task.refresh_from_db()
    assert w.second_task.status == "awaiting"


def test_starting_and_finishing_in_the_browser(client, w):
    client.force_login(w.member)
    for status in ("in_progress", "finished"):
        response = client.post(_url("item_status", w, w.task.pk), {"status": status})
        assert response.status_code == 302
    page = client.get(w.process.get_absolute_url()).content.decode()
    assert "1 of 2 tasks finished" in page
    # The waiting task can start now: its button is there, the reason is gone.
    assert "Cannot start before “Map the stakeholders” finishes." not in page


def test_dates_outside_the_parent_come_back_with_the_message_and_what_was_typed(client, w):
    services.item_update(
        actor=w.owner,
        item=w.objective,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    client.force_login(w.owner)
    response = client.post(
        _url("item_edit", w, w.task.pk),
        {"name": "Map them all", "start_date": "2026-02-01", "end_date": "2026-04-01"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "from 1 March 2026 to 30 June 2026" in page
    assert 'value="Map them all"' in page and 'value="2026-02-01"' in page
    assert "Inside the dates of “Identify stakeholders”" in page


def test_the_form_offers_only_possible_prerequisites(client, w):
    """Neither the item, nor what contains it or is inside it, nor what waits for it."""
    later = add_item(w.owner, w.process, name="Design")
    client.force_login(w.owner)
    form = client.get(_url("item_edit", w, w.task.pk)).context["form"]
    offered = {pk for pk, _label in form.fields["prerequisites"].choices}
    assert offered == {later.pk}


def test_adding_inside_an_item(client, w):
    client.force_login(w.owner)
    response = client.post(
        _url("item_create_inside", w, w.phase.pk), {"name": "Engage stakeholders"}
    )
    added = TreeItem.objects.get(name="Engage stakeholders")
    assert (added.kind, added.parent, added.position) == ("objective", w.phase, 2)
    assert response["Location"] == f"{w.process.get_absolute_url()}#item-{added.pk}"
    assert client.get(_url("item_create_inside", w, w.task.pk)).status_code == 404


def test_the_removal_page_says_what_goes_with_the_item(client, w):
    """Objectives, tasks, resources, and the items that will stop waiting for it."""
    outside = add_item(w.owner, w.process, name="Design", prerequisites=[w.phase])
    client.force_login(w.owner)
    page = client.get(_url("item_delete", w, w.phase.pk)).content.decode()
    assert "1 objective" in page and "2 tasks" in page
    assert "will no longer wait" in page and "Design" in page
    response = client.post(_url("item_delete", w, w.phase.pk))
    assert response["Location"] == f"{w.process.get_absolute_url()}#tree"
    assert list(TreeItem.objects.filter(process=w.process)) == [outside]


def test_the_changes_pages_keep_removed_items(client, w):
    """The process's changes list every item it had, removed ones marked; an item's page shows
    each change as a diff, even after it is removed."""
    services.item_update(actor=w.owner, item=w.task, name="Map every stakeholder")
    services.item_delete(actor=w.owner, item=w.second_task)
    client.force_login(w.owner)
    page = client.get(_url("process_changes", w)).content.decode()
    assert "Map every stakeholder" in page and "Invite them" in page and "Removed" in page
    page = client.get(_url("item_changes", w, w.task.pk)).content.decode()
    assert "<del>" in page and "<ins>" in page and "every" in page
    page = client.get(_url("item_changes", w, w.second_task.pk)).content.decode()
    assert "It no longer exists" in page and "Map the stakeholders" in page
    assert client.get(_url("item_changes", w, 999999)).status_code == 404


def test_an_items_page_says_why_it_waits_and_what_is_inside(client, w):
    later = add_item(w.owner, w.process, name="Design", prerequisites=[w.phase])
    objective = add_item(w.owner, w.process, later, name="Ideation")
    task = add_item(w.owner, w.process, objective, name="Brainstorm")
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Cannot start before “<bdi>Engage</bdi>” finishes" in page
    client.force_login(w.member)
    response = client.get(task.get_absolute_url())
    assert "coproduction/resources/_panel.html" in [t.name for t in response.templates]
    page = client.get(later.get_absolute_url()).content.decode()
    assert "Ideation" in page and "Cannot start before “Engage” finishes." in page
    assert client.get(_url("item", w, 999999)).status_code == 404
