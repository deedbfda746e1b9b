"""The tree of a process: roll-up, dates inside the parent's, prerequisites that cannot wait
for themselves, tasks that cannot start before their prerequisites finish, reordering, removal
and the history of every change."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.coproduction.process_factories import add_item, create_process, schema_entry, world
from tests.factories import UserFactory
from tests.people import POINT_OF_CONTACT
from use_cases.coproduction.models import Process, Resource, Schema, TreeItem
from use_cases.coproduction.progress import build_tree
from use_cases.coproduction.selectors.processes import process_tree
from use_cases.coproduction.services import processes as process_services
from use_cases.coproduction.services import tree as services

pytestmark = pytest.mark.django_db

Status = TreeItem.Status
D = datetime.date


def _status(actor, task, status):
    return services.task_set_status(actor=actor, task=task, status=status)


def _node(process, item):
    return process_tree(process).get(item.pk)


# --- Roll-up --------------------------------------------------------------------------------


def test_a_parent_finishes_only_when_all_its_children_have(people):
    """An objective and its phase are awaiting while no task has started, in progress once
    one has, and finished only when every task has; their progress counts tasks."""
    w = world(people)
    third = add_item(w.owner, w.process, w.objective, name="Thank them")
    assert _node(w.process, w.phase).status == Status.AWAITING
    assert _node(w.process, w.objective).progress_text == "0 of 3 tasks finished"

    _status(w.owner, w.task, Status.IN_PROGRESS)
    assert _node(w.process, w.objective).status == Status.IN_PROGRESS
    assert _node(w.process, w.phase).status == Status.IN_PROGRESS

    _status(w.owner, w.task, Status.FINISHED)
    _status(w.owner, w.second_task, Status.FINISHED)
    objective = _node(w.process, w.objective)
    assert objective.status == Status.IN_PROGRESS
    assert objective.progress_text == "2 of 3 tasks finished"
    assert objective.percent == 67

    _status(w.owner, third, Status.FINISHED)
    tree = process_tree(w.process)
    assert tree.get(w.objective.pk).status == Status.FINISHED
    assert tree.get(w.phase.pk).status == Status.FINISHED
    assert tree.progress_text == "3 of 3 tasks finished"


def test_an_empty_parent_is_awaiting_not_finished(people):
    """A phase without objectives has not finished: nothing in it has."""
    w = world(people)
    empty = add_item(w.owner, w.process, name="Sustain")
    node = _node(w.process, empty)
    assert node.status == Status.AWAITING
    assert node.progress_text == "No task yet"


def test_roll_up_is_computed_from_the_items_alone():
    """build_tree needs no query: the items and the prerequisite pairs are all it reads."""
    phase = TreeItem(pk=1, kind="phase", name="P", position=1)
    objective = TreeItem(pk=2, kind="objective", name="O", parent_id=1, position=1)
    done = TreeItem(pk=3, kind="task", name="T1", parent_id=2, position=1, status="finished")
    todo = TreeItem(pk=4, kind="task", name="T2", parent_id=2, position=2)
    tree = build_tree([todo, done, objective, phase], [(4, 3)])
    assert [node.pk for node in tree] == [1, 2, 3, 4]
    assert tree.get(1).status == Status.IN_PROGRESS
    assert tree.get(4).blocked is False  # its prerequisite has finished


# --- Dates ----------------------------------------------------------------------------------


def test_dates_outside_the_parent_are_refused_naming_its_dates(people):
    """A task's dates must fall inside its objective's; the message names the objective and
    its dates."""
    w = world(people)
    services.item_update(
        actor=w.owner, item=w.objective, start_date=D(2026, 3, 1), end_date=D(2026, 6, 30)
    )
    with pytest.raises(ValidationError) as caught:
        services.item_update(
            actor=w.owner, item=w.task, start_date=D(2026, 2, 1), end_date=D(2026, 4, 1)
        )
    errors = caught.value.message_dict
    assert errors["start_date"] == [
        "Choose a date inside the dates of “Identify stakeholders”: from 1 March 2026 to "
        "30 June 2026."
    ]
    assert "end_date" not in errors
    w.task.refresh_from_db()
    assert w.task.start_date is None


def test_the_nearest_dated_container_bounds_an_item(people):
    """With an undated objective, the phase's dates bound its tasks."""
    w = world(people)
    services.item_update(actor=w.owner, item=w.phase, end_date=D(2026, 6, 30))
    with pytest.raises(ValidationError) as caught:
        services.item_update(actor=w.owner, item=w.task, end_date=D(2026, 7, 1))
    assert "when “Engage” ends" in caught.value.message_dict["end_date"][0]
    services.item_update(actor=w.owner, item=w.task, end_date=D(2026, 6, 30))


def test_a_parent_cannot_leave_its_children_outside_its_new_dates(people):
    """Narrowing a phase's dates is refused while a task inside runs outside them."""
    w = world(people)
    services.item_update(actor=w.owner, item=w.task, start_date=D(2026, 5, 1))
    with pytest.raises(ValidationError) as caught:
        services.item_update(actor=w.owner, item=w.phase, start_date=D(2026, 6, 1))
    message = caught.value.message_dict["start_date"][0]
    assert "“Map the stakeholders”" in message and "Change its dates first" in message


def test_an_end_before_the_start_is_refused(people):
    w = world(people)
    with pytest.raises(ValidationError) as caught:
        services.item_update(
            actor=w.owner, item=w.task, start_date=D(2026, 5, 2), end_date=D(2026, 5, 1)
        )
    assert caught.value.message_dict["end_date"] == [
        "The end date must not be before the start date."
    ]


# --- Prerequisites --------------------------------------------------------------------------


def test_prerequisites_cannot_be_inside_around_or_waiting_for_the_item(people):
    """An item cannot wait for itself, for what contains it, for what it contains, or for an
    item that already waits for it."""
    w = world(people)
    cases = [
        (w.task, w.task, "cannot be its own prerequisite"),
        (w.task, w.objective, "This item is part of “Identify stakeholders”"),
        (w.phase, w.task, "“Map the stakeholders” is part of this item"),
        (w.task, w.second_task, "“Invite them” already waits for this item"),
    ]
    for item, prerequisite, expected in cases:
        with pytest.raises(ValidationError) as caught:
            services.item_update(actor=w.owner, item=item, prerequisites=[prerequisite])
        assert expected in caught.value.message_dict["prerequisites"][0], expected


def test_a_cycle_through_the_containers_is_refused(people):
    """Phase B waits for phase A; a task of A cannot then wait for a task of B (B's task
    cannot start before A has finished, and A finishes only after its task)."""
    w = world(people)
    later = add_item(w.owner, w.process, name="Design", prerequisites=[w.phase])
    later_objective = add_item(w.owner, w.process, later, name="Ideation")
    later_task = add_item(w.owner, w.process, later_objective, name="Brainstorm")
    allowed = services.allowed_prerequisites(process=w.process, item=w.task)
    assert later_task not in allowed and w.phase not in allowed and w.objective not in allowed
    with pytest.raises(ValidationError) as caught:
        services.item_update(actor=w.owner, item=w.task, prerequisites=[later_task])
    assert "already waits for this item" in caught.value.message_dict["prerequisites"][0]


def test_prerequisites_of_another_process_are_refused(people):
    w = world(people)
    other = world(people.of(member=people.member))
    with pytest.raises(ValidationError) as caught:
        services.item_update(actor=w.owner, item=w.task, prerequisites=[other.task])
    assert "is not part of this process" in caught.value.message_dict["prerequisites"][0]


# --- Moving tasks along ---------------------------------------------------------------------


def test_a_task_cannot_start_before_its_prerequisite_finishes(people):
    """The refusal names the prerequisite; once it has finished, the task starts."""
    w = world(people)
    with pytest.raises(ValidationError) as caught:
        _status(w.member, w.second_task, Status.IN_PROGRESS)
    assert caught.value.messages == [
        "“Invite them” cannot start before “Map the stakeholders” finishes."
    ]
    _status(w.member, w.task, Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        _status(w.member, w.second_task, Status.FINISHED)
    _status(w.member, w.task, Status.FINISHED)
    _status(w.member, w.second_task, Status.IN_PROGRESS)
    w.second_task.refresh_from_db()
    assert w.second_task.status == Status.IN_PROGRESS


def test_a_task_waits_for_the_prerequisites_of_its_phase(people):
    """A task of a phase that waits for another phase cannot start before that phase has
    finished, and the page says why."""
    w = world(people)
    later = add_item(w.owner, w.process, name="Design", prerequisites=[w.phase])
    objective = add_item(w.owner, w.process, later, name="Ideation")
    task = add_item(w.owner, w.process, objective, name="Brainstorm")
    with pytest.raises(ValidationError) as caught:
        _status(w.owner, task, Status.IN_PROGRESS)
    assert caught.value.messages == ["“Brainstorm” cannot start before “Engage” finishes."]
    node = _node(w.process, task)
    assert node.blocked and node.inherited_waiting_text == (
        "Cannot start before “Engage” finishes."
    )


def test_a_task_goes_back_and_forth(people):
    """Awaiting → in progress → finished, and back, by the team."""
    w = world(people)
    for status in (Status.IN_PROGRESS, Status.FINISHED, Status.IN_PROGRESS, Status.AWAITING):
        _status(w.member, w.task, status)
        w.task.refresh_from_db()
        assert w.task.status == status


def test_only_tasks_move_and_not_in_a_finished_process(people):
    w = world(people)
    with pytest.raises(ValidationError):
        _status(w.owner, w.objective, Status.IN_PROGRESS)
    process_services.process_set_status(
        actor=w.owner, process=w.process, status=Process.Status.FINISHED
    )
    with pytest.raises(ValidationError) as caught:
        _status(w.owner, w.task, Status.IN_PROGRESS)
    assert "The process has finished" in caught.value.messages[0]


def test_observers_and_strangers_do_not_move_tasks(people):
    w = world(people)
    for person in (w.observer, UserFactory()):
        with pytest.raises(PermissionDenied):
            _status(person, w.task, Status.IN_PROGRESS)


# --- Editing the tree -----------------------------------------------------------------------


def test_kinds_follow_the_parent(people):
    """A phase at the root, an objective in a phase, a task in an objective, nothing in a
    task."""
    w = world(people)
    assert (w.phase.kind, w.objective.kind, w.task.kind) == ("phase", "objective", "task")
    with pytest.raises(ValidationError):
        add_item(w.owner, w.process, w.task, name="Too deep")


def test_only_owners_edit_the_tree(people):
    w = world(people)
    for person in (w.member, w.observer, UserFactory()):
        with pytest.raises(PermissionDenied):
            add_item(person, w.process, name="Mine")
        with pytest.raises(PermissionDenied):
            services.item_update(actor=person, item=w.task, name="Mine")


def test_moving_up_and_down_swaps_with_the_neighbour(people):
    """Each move is a version in the history of both items; at the edge nothing moves."""
    w = world(people)
    services.item_move(actor=w.owner, item=w.second_task, direction="up")
    order = list(w.objective.children.order_by("position").values_list("name", flat=True))
    assert order == ["Invite them", "Map the stakeholders"]
    assert w.second_task.history.first().history_user == w.owner
    assert w.second_task.history.first().position == 1
    services.item_move(actor=w.owner, item=w.second_task, direction="up")
    assert list(w.objective.children.order_by("position").values_list("name", flat=True)) == order


def test_removing_an_item_takes_everything_inside_it(people):
    """Its objectives, tasks and their resources go; each keeps its history with who removed
    it; items outside that waited for a removed one stop waiting, in a new version."""
    w = world(people)
    outside = add_item(w.owner, w.process, name="Design", prerequisites=[w.phase])
    Resource.objects.create(
        task=w.task, kind="link", title="Map", url="https://example.org", created_by=w.owner
    )
    summary = services.removal_summary(w.phase)
    assert (summary["objectives"], summary["tasks"], summary["resources"]) == (1, 2, 1)
    assert summary["waiting"] == [outside]

    assert services.item_delete(actor=w.owner, item=w.phase) == 4
    assert list(TreeItem.objects.filter(process=w.process)) == [outside]
    assert not Resource.objects.filter(task_id=w.task.pk).exists()
    removed = TreeItem.history.filter(id=w.task.pk, history_type="-").get()
    assert removed.history_user == w.owner
    outside.refresh_from_db()
    assert outside.prerequisites_record == "" and not outside.prerequisites.exists()
    assert outside.history.first().history_user == w.owner


def test_every_change_is_a_version_with_its_author(people):
    """Name, dates, prerequisites and problem profiles: each change a version attributed to
    the owner, prerequisites and profiles written as text the changes page can show."""
    w = world(people)
    services.item_update(actor=w.owner, item=w.task, name="Map every stakeholder")
    latest = w.task.history.first()
    assert latest.name == "Map every stakeholder" and latest.history_user == w.owner
    second = w.second_task.history.first()
    assert second.prerequisites_record == "Map the stakeholders"


def test_a_schema_whose_prerequisites_go_round_leaves_out_what_would_wait_for_ever(people):
    """Two tasks waiting for each other, a task waiting for its own phase, and a phase waiting
    for a task inside it: the first of the pair is kept, the rest left out, so every task can
    start once what it keeps waiting for has finished."""
    phases = [
        schema_entry(
            "phase-one",
            "One",
            prerequisites=["task-a"],
            objectives=[
                schema_entry(
                    "objective-one",
                    "Objective",
                    tasks=[
                        schema_entry("task-a", "A", prerequisites=["task-b"]),
                        schema_entry("task-b", "B", prerequisites=["task-a", "phase-one"]),
                    ],
                )
            ],
        )
    ]
    schema = Schema.objects.create(
        key="circular", name_translations={"en": "Circular"}, phases=phases
    )
    process = create_process(people[POINT_OF_CONTACT], people.member, schema=schema)
    items = {item.key: item for item in process.items.all()}
    waits = {key: sorted(i.key for i in item.prerequisites.all()) for key, item in items.items()}
    assert waits == {"phase-one": [], "objective-one": [], "task-a": ["task-b"], "task-b": []}
    assert items["task-a"].prerequisites_record == "B"
    assert items["task-b"].prerequisites_record == ""
    # Each can start in turn.
    owner = people[POINT_OF_CONTACT]
    services.task_set_status(actor=owner, task=items["task-b"], status="finished")
    services.task_set_status(actor=owner, task=items["task-a"], status="finished")


def test_a_finished_task_goes_back_only_while_what_waits_for_it_has_not_started(people):
    w = world(people)
    _status(w.member, w.task, Status.IN_PROGRESS)
    _status(w.member, w.task, Status.FINISHED)
    _status(w.member, w.second_task, Status.IN_PROGRESS)
    for back in (Status.IN_PROGRESS, Status.AWAITING):
        with pytest.raises(ValidationError) as caught:
            _status(w.member, w.task, back)
        assert caught.value.messages == [
            "“Invite them” has started, and it waits for “Map the stakeholders”: move it back "
            "to awaiting first."
        ]
    _status(w.member, w.second_task, Status.AWAITING)
    _status(w.member, w.task, Status.IN_PROGRESS)
    w.task.refresh_from_db()
    assert w.task.status == Status.IN_PROGRESS
