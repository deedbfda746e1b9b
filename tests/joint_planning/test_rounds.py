"""Prioritisation rounds: who opens and closes them, how the bodies give points or rank the
actions, the budget kept by the service and by the database (also under concurrent writes, on
PostgreSQL), and the results per action, overall and by level, checked against numbers
computed by hand."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from ogp_platform import roles
from tests.factories import UserFactory
from tests.joint_planning.round_world import (
    AGENCY,
    CITY,
    MINISTRY,
    REGION,
    TOWN,
    add_actions,
    give,
    in_a_week,
    open_round,
    rank,
    round_world,
)
from tests.queries import assert_queries_constant
from use_cases.joint_planning.models import Action, Allocation, Ballot, Objective, Round
from use_cases.joint_planning.policies import ACT_FOR_BODY
from use_cases.joint_planning.selectors.rounds import round_results
from use_cases.joint_planning.services.rounds import (
    BUDGET_TRIGGER,
    allocate_points,
    rank_actions,
    round_close,
    round_open,
)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only (trigger, concurrent writes)"
)


def messages(error: ValidationError, key: str) -> str:
    return " ".join(error.message_dict[key])


@pytest.fixture
def world(db):
    return round_world()


# --- Opening and closing --------------------------------------------------------------------


def test_the_lead_opens_a_round_on_the_objectives_undecided_actions(world):
    under_review = add_actions(world, 1, status=Action.Status.UNDER_REVIEW)[0]
    consolidated = add_actions(world, 1, status=Action.Status.CONSOLIDATED)[0]
    rejected = add_actions(world, 1, status=Action.Status.REJECTED)[0]
    other_objective = Objective.objects.create(
        plan=world.plan, goal=world.objective.goal, title="Other", owner=world.body(MINISTRY)
    )
    elsewhere = add_actions(world, 1, objective=other_objective)[0]

    round_ = open_round(world)

    assert round_.plan == world.plan and round_.objective == world.objective
    assert round_.method == Round.Method.POINTS and round_.budget == 100
    assert round_.opened_by == world.lead and round_.is_open
    chosen = set(round_.actions.all())
    assert chosen == {*world.actions, under_review}
    assert not chosen & {consolidated, rejected, elsewhere}


def test_a_round_may_name_its_actions(world):
    round_ = open_round(world, actions=world.actions[:2], method=Round.Method.RANKING, budget=10)
    assert set(round_.actions.all()) == set(world.actions[:2])
    assert round_.method == Round.Method.RANKING


@pytest.mark.parametrize(
    ("name", "allowed"),
    [(MINISTRY, True), (AGENCY, True), (CITY, False), (REGION, False), ("admin", True)],
)
def test_the_lead_co_owners_and_ogp_admins_open_and_close_rounds(world, people, name, allowed):
    actor = people["ogp_admin"] if name == "admin" else world.person(name)
    kwargs = {
        "objective": world.objective,
        "title": "Priorities",
        "method": Round.Method.POINTS,
        "closes_at": in_a_week(),
    }
    existing = open_round(world)
    if allowed:
        assert round_open(actor=actor, **kwargs).opened_by == actor
        assert round_close(actor=actor, round=existing).closed_at is not None
    else:
        with pytest.raises(PermissionDenied):
            round_open(actor=actor, **kwargs)
        with pytest.raises(PermissionDenied):
            round_close(actor=actor, round=existing)
        existing.refresh_from_db()
        assert existing.closed_at is None


def test_a_plain_user_opens_no_round(world):
    with pytest.raises(PermissionDenied):
        round_open(
            actor=UserFactory(),
            objective=world.objective,
            title="Priorities",
            closes_at=in_a_week(),
        )


def test_a_round_needs_two_undecided_actions(db):
    world = round_world(actions=1)
    add_actions(world, 1, status=Action.Status.CONSOLIDATED)
    with pytest.raises(ValidationError) as caught:
        open_round(world)
    assert "at least two actions" in messages(caught.value, "actions")
    assert "this objective has 1" in messages(caught.value, "actions")
    assert not Round.objects.exists()


def test_a_round_refuses_decided_or_foreign_actions(world):
    decided = add_actions(world, 1, status=Action.Status.REJECTED)[0]
    with pytest.raises(ValidationError) as caught:
        open_round(world, actions=[world.actions[0], decided])
    assert "proposed or under review" in messages(caught.value, "actions")


def test_a_round_checks_its_title_method_budget_and_closing_date(world):
    with pytest.raises(ValidationError) as caught:
        round_open(
            actor=world.lead,
            objective=world.objective,
            title="  ",
            method="lottery",
            budget=0,
            closes_at=timezone.now() - datetime.timedelta(minutes=1),
        )
    assert set(caught.value.message_dict) == {"title", "method", "budget", "closes_at"}
    assert "in the future" in messages(caught.value, "closes_at")


def test_closing_is_idempotent_and_early_closing_is_allowed(world):
    round_ = open_round(world)
    closed = round_close(actor=world.lead, round=round_)
    assert closed.closed_at is not None and closed.closed_at < closed.closes_at
    assert not closed.is_open
    again = round_close(actor=world.person(AGENCY), round=round_)
    assert again.closed_at == closed.closed_at


def test_a_round_past_its_closing_date_counts_as_closed(world):
    round_ = open_round(world)
    Round.objects.filter(pk=round_.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    round_.refresh_from_db()
    assert round_.closed_at is None and not round_.is_open
    with pytest.raises(ValidationError) as caught:
        give(world, round_, CITY, {world.actions[0]: 10})
    assert "has closed" in messages(caught.value, "round")
    # Closing it afterwards records when it really closed.
    assert round_close(actor=world.lead, round=round_).closed_at == round_.closes_at


# --- Points ---------------------------------------------------------------------------------


def test_a_body_distributes_and_changes_its_points_until_the_round_closes(world):
    a, b, c = world.actions
    round_ = open_round(world)
    ballot = give(world, round_, CITY, {a: 60, b: 40})
    assert (ballot.budget, ballot.spent, ballot.updated_by) == (100, 100, world.person(CITY))
    allocations = dict(ballot.allocations.values_list("action_id", "points"))
    assert allocations == {a.pk: 60, b.pk: 40}

    # The actions named change; the others keep their points; 0 takes them back.
    ballot = give(world, round_, CITY, {a: 0, c: 30})
    assert dict(ballot.allocations.values_list("action_id", "points")) == {b.pk: 40, c.pk: 30}
    assert ballot.spent == 70
    assert Ballot.objects.filter(round=round_).count() == 1

    round_close(actor=world.lead, round=round_)
    with pytest.raises(ValidationError) as caught:
        give(world, round_, CITY, {a: 10})
    assert "has closed" in messages(caught.value, "round")
    ballot.refresh_from_db()
    assert ballot.spent == 70


def test_points_beyond_the_budget_are_refused_with_the_total_and_the_budget(world):
    a, b, c = world.actions
    round_ = open_round(world)
    give(world, round_, TOWN, {a: 50, b: 30})
    with pytest.raises(ValidationError) as caught:
        give(world, round_, TOWN, {c: 40})
    text = messages(caught.value, "points")
    assert "add up to 120" in text and "100 points" in text
    ballot = Ballot.objects.get(round=round_, body=world.body(TOWN))
    assert ballot.spent == 80
    assert sum(ballot.allocations.values_list("points", flat=True)) == 80


def test_the_ballots_check_constraint_is_turned_into_the_same_message(world):
    """A ballot whose budget (copied when it was made) is below the round's: the service's own
    check passes, the database's check constraint refuses, and the person reads the same
    message."""
    a, b, _c = world.actions
    round_ = open_round(world)
    ballot = give(world, round_, CITY, {a: 10})
    Ballot.objects.filter(pk=ballot.pk).update(budget=50)
    with pytest.raises(ValidationError) as caught:
        give(world, round_, CITY, {b: 60})
    text = messages(caught.value, "points")
    assert "add up to 70" in text and "50 points" in text
    ballot.refresh_from_db()
    assert ballot.spent == 10
    assert list(ballot.allocations.values_list("points", flat=True)) == [10]


@pytest.mark.parametrize(
    ("points", "fragment"),
    [({"other": 10}, "only to the actions of the round"), ({"a": -5}, "0 or more")],
)
def test_points_go_to_the_rounds_actions_in_whole_numbers_of_zero_or_more(world, points, fragment):
    outside = add_actions(world, 1, status=Action.Status.CONSOLIDATED)[0]
    round_ = open_round(world)
    ids = {"other": outside.pk, "a": world.actions[0].pk}
    with pytest.raises(ValidationError) as caught:
        allocate_points(
            actor=world.person(CITY),
            round=round_,
            body=world.body(CITY),
            points={ids[key]: value for key, value in points.items()},
        )
    assert fragment in messages(caught.value, "points")
    assert not Allocation.objects.exists()


@pytest.mark.parametrize(
    ("actor_of", "body"),
    [(CITY, TOWN), (REGION, REGION), ("user", CITY), ("admin", CITY)],
)
def test_only_the_people_of_a_participating_body_allocate_for_it(world, people, actor_of, body):
    round_ = open_round(world)
    actor = {"user": UserFactory(), "admin": people["ogp_admin"]}.get(actor_of) or world.person(
        actor_of
    )
    with pytest.raises(PermissionDenied):
        allocate_points(
            actor=actor, round=round_, body=world.body(body), points={world.actions[0].pk: 5}
        )
    with pytest.raises(PermissionDenied):
        rank_actions(
            actor=actor,
            round=round_,
            body=world.body(body),
            ordered_action_ids=[action.pk for action in world.actions],
        )
    assert not Ballot.objects.exists()


def test_a_body_of_another_plan_does_not_allocate(world):
    other = round_world()
    round_ = open_round(world)
    with pytest.raises(ValidationError) as caught:
        allocate_points(
            actor=other.person(CITY),
            round=round_,
            body=other.body(CITY),
            points={world.actions[0].pk: 5},
        )
    assert "body" in caught.value.message_dict


def test_points_and_ranks_follow_the_rounds_method(world):
    points_round = open_round(world)
    ranking_round = open_round(world, method=Round.Method.RANKING)
    with pytest.raises(ValidationError) as caught:
        rank(world, points_round, CITY, world.actions)
    assert "give points" in messages(caught.value, "round")
    with pytest.raises(ValidationError) as caught:
        give(world, ranking_round, CITY, {world.actions[0]: 5})
    assert "rank the actions" in messages(caught.value, "round")


# --- Ranking --------------------------------------------------------------------------------


def test_a_body_ranks_every_action_once_and_may_rank_again(world):
    a, b, c = world.actions
    round_ = open_round(world, method=Round.Method.RANKING)
    ballot = rank(world, round_, CITY, [b, c, a])
    ranks = dict(ballot.allocations.values_list("action_id", "rank"))
    assert ranks == {b.pk: 1, c.pk: 2, a.pk: 3}
    assert ballot.spent == 0

    ballot = rank(world, round_, CITY, [a, b, c])
    assert dict(ballot.allocations.values_list("action_id", "rank")) == {
        a.pk: 1,
        b.pk: 2,
        c.pk: 3,
    }
    assert Allocation.objects.count() == 3


@pytest.mark.parametrize("ordering", ["missing", "twice", "outside"])
def test_a_ranking_names_every_action_of_the_round_exactly_once(world, ordering):
    a, b, c = world.actions
    outside = add_actions(world, 1, status=Action.Status.REJECTED)[0]
    round_ = open_round(world, method=Round.Method.RANKING, actions=[a, b, c])
    ordered = {"missing": [a, b], "twice": [a, b, c, a], "outside": [a, b, c, outside]}[ordering]
    with pytest.raises(ValidationError) as caught:
        rank(world, round_, CITY, ordered)
    assert "ranks" in caught.value.message_dict
    assert not Allocation.objects.exists()


def test_the_database_keeps_ranks_unique_per_ballot(world):
    _a, b, _c = world.actions
    round_ = open_round(world, method=Round.Method.RANKING)
    ballot = rank(world, round_, CITY, world.actions)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(ballot=ballot, action=b).update(rank=1)


# --- The database's guard (PostgreSQL) -------------------------------------------------------


def _check_deferred_now():
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {BUDGET_TRIGGER} IMMEDIATE")


@on_postgresql
def test_a_write_that_bypasses_the_service_cannot_overspend(world):
    a, b, c = world.actions
    round_ = open_round(world)
    ballot = give(world, round_, CITY, {a: 60, b: 40})
    # Within the budget at commit: moving points between actions in any order is fine.
    with transaction.atomic():
        Allocation.objects.filter(ballot=ballot, action=b).update(points=70)
        Allocation.objects.filter(ballot=ballot, action=a).update(points=30)
        _check_deferred_now()
    # Beyond it: refused, whatever the ballot's `spent` says.
    with pytest.raises(IntegrityError, match=BUDGET_TRIGGER), transaction.atomic():
        Allocation.objects.create(ballot=ballot, action=c, points=1)
        _check_deferred_now()
    with pytest.raises(IntegrityError, match=BUDGET_TRIGGER), transaction.atomic():
        Allocation.objects.filter(ballot=ballot, action=a).update(points=31)
        _check_deferred_now()
    assert dict(ballot.allocations.values_list("action_id", "points")) == {a.pk: 30, b.pk: 70}


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_trigger_refuses_an_overspending_commit():
    world = round_world()
    a, b, _c = world.actions
    round_ = open_round(world)
    ballot = give(world, round_, CITY, {a: 60})
    with pytest.raises(IntegrityError, match=BUDGET_TRIGGER), transaction.atomic():
        Allocation.objects.create(ballot=ballot, action=b, points=41)
    assert list(ballot.allocations.values_list("points", flat=True)) == [60]


def run_at_once(calls) -> list:
    """Run each call in its own thread (its own connection and transaction), all released
    together by a barrier; return what each gave ("ok") or raised, in the calls' order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(number, call):
        try:
            barrier.wait(timeout=30)
            call()
            outcomes[number] = "ok"
        except BaseException as error:  # reported by the assertions
            outcomes[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    return outcomes


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_of_one_body_spending_at_once_cannot_overspend():
    """Two people of the city, at the same moment, each give 70 of its 100 points to a
    different action: one of them succeeds, the other is told the total would be 140."""
    world = round_world()
    a, b, _c = world.actions
    round_ = open_round(world)
    second = UserFactory()
    roles.object_permission_grant(
        actor=world.creator, user=second, permission=ACT_FOR_BODY, obj=world.body(CITY)
    )

    def spend(person, action):
        return lambda: allocate_points(
            actor=person, round=round_, body=world.body(CITY), points={action.pk: 70}
        )

    outcomes = run_at_once([spend(world.person(CITY), a), spend(second, b)])

    assert outcomes.count("ok") == 1, outcomes
    [refused] = [outcome for outcome in outcomes if outcome != "ok"]
    assert isinstance(refused, ValidationError), refused
    assert "add up to 140" in messages(refused, "points")
    ballot = Ballot.objects.get(round=round_, body=world.body(CITY))
    given = list(ballot.allocations.values_list("points", flat=True))
    assert ballot.spent == sum(given) == 70 <= 100
    assert Ballot.objects.filter(round=round_).count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_writes_bypassing_the_service_at_once_cannot_overspend():
    """Without the service's lock, two transactions each add 70 points to the same ballot:
    the trigger locks the ballot at commit, so the second sees the first's points and fails."""
    world = round_world()
    a, b, _c = world.actions
    round_ = open_round(world)
    ballot = give(world, round_, CITY, {})

    def insert(action):
        def write():
            with transaction.atomic():
                Allocation.objects.create(ballot_id=ballot.pk, action_id=action.pk, points=70)

        return write

    outcomes = run_at_once([insert(a), insert(b)])

    assert outcomes.count("ok") == 1, outcomes
    [refused] = [outcome for outcome in outcomes if outcome != "ok"]
    assert isinstance(refused, IntegrityError) and BUDGET_TRIGGER in str(refused), refused
    assert list(Allocation.objects.filter(ballot=ballot).values_list("points", flat=True)) == [70]


# --- Results --------------------------------------------------------------------------------


def test_points_results_overall_by_level_and_where_the_levels_differ(db):
    world = round_world(actions=4)
    a, b, c, d = world.actions
    round_ = open_round(world)
    give(world, round_, MINISTRY, {a: 50, b: 30, c: 20})
    give(world, round_, AGENCY, {a: 70, b: 10, c: 20})
    give(world, round_, CITY, {a: 10, b: 60, c: 30})
    give(world, round_, TOWN, {a: 0, b: 20, c: 80})
    # By hand:
    #   central (ministry + agency): A 50+70=120, B 30+10=40, C 20+20=40, D 0; total 200
    #     shares: A 120/200=60%, B 40/200=20%, C 20%, D 0%
    #   local (city + town): A 10+0=10, B 60+20=80, C 30+80=110, D 0; total 200
    #     shares: A 10/200=5%, B 80/200=40%, C 110/200=55%, D 0%
    #   overall: A 130, B 120, C 150, D 0 -> by points C, A, B, D
    #   bodies that gave points: A 3 (the town gave 0), B 4, C 4, D 0
    #   central - local: A +55, B -20, C -35, D 0 -> by size A, C, B, D
    results = round_results(round_)

    by_action = {result.action: result for result in results.actions}
    expected = {
        a: (130, 120, 10, 3, 60.0, 5.0, 55.0),
        b: (120, 40, 80, 4, 20.0, 40.0, -20.0),
        c: (150, 40, 110, 4, 20.0, 55.0, -35.0),
        d: (0, 0, 0, 0, 0.0, 0.0, 0.0),
    }
    for action, (points, central, local, bodies, c_share, l_share, difference) in expected.items():
        result = by_action[action]
        assert (result.points, result.central_points, result.local_points) == (
            points,
            central,
            local,
        )
        assert result.bodies == bodies
        assert result.central_share == pytest.approx(c_share)
        assert result.local_share == pytest.approx(l_share)
        assert result.difference == pytest.approx(difference)
        assert result.borda is None and result.score == points
    assert by_action[a].central_bodies == 2 and by_action[a].local_bodies == 1
    assert [result.action for result in results.actions] == [c, a, b, d]
    assert [result.action for result in results.differences] == [a, c, b, d]
    assert results.totals == {"central": 200, "local": 200}
    assert results.ballots == {"central": 2, "local": 2}


def test_ranking_results_give_borda_scores_overall_and_by_level(db):
    world = round_world()
    a, b, c = world.actions
    round_ = open_round(world, method=Round.Method.RANKING)
    rank(world, round_, MINISTRY, [a, b, c])
    rank(world, round_, AGENCY, [b, a, c])
    rank(world, round_, CITY, [c, b, a])
    # By hand, n = 3 actions, a body gives n - rank + 1 (3, 2, 1):
    #   ministry A3 B2 C1; agency B3 A2 C1 -> central A5 B5 C2, total 12
    #   city C3 B2 A1 -> local A1 B2 C3, total 6
    #   overall A6 B7 C5 -> by score B, A, C
    #   shares central A 5/12=41.67%, B 41.67%, C 2/12=16.67%;
    #          local   A 1/6=16.67%, B 2/6=33.33%, C 3/6=50%
    #   central - local: A +25, B +8.33, C -33.33 -> by size C, A, B
    results = round_results(round_)

    by_action = {result.action: result for result in results.actions}
    expected = {
        a: (6, 5, 1, 100 * 5 / 12, 100 * 1 / 6),
        b: (7, 5, 2, 100 * 5 / 12, 100 * 2 / 6),
        c: (5, 2, 3, 100 * 2 / 12, 100 * 3 / 6),
    }
    for action, (borda, central, local, c_share, l_share) in expected.items():
        result = by_action[action]
        assert (result.borda, result.central_borda, result.local_borda) == (borda, central, local)
        assert result.score == borda and result.points == 0
        assert result.bodies == 3
        assert result.central_share == pytest.approx(c_share)
        assert result.local_share == pytest.approx(l_share)
        assert result.difference == pytest.approx(c_share - l_share)
    assert by_action[a].difference == pytest.approx(25.0)
    assert [result.action for result in results.actions] == [b, a, c]
    assert [result.action for result in results.differences] == [c, a, b]
    assert results.totals == {"central": 12, "local": 6}
    assert results.ballots == {"central": 2, "local": 1}


def test_results_when_one_level_gave_nothing(world):
    a, b, _c = world.actions
    round_ = open_round(world)
    give(world, round_, MINISTRY, {a: 100})
    results = round_results(round_)
    by_action = {result.action: result for result in results.actions}
    assert by_action[a].central_share == pytest.approx(100.0)
    assert by_action[a].local_share is None and by_action[a].difference is None
    assert by_action[b].central_share == 0.0
    assert results.totals == {"central": 100, "local": 0}


def test_round_results_cost_the_same_queries_with_3_and_30_actions(db):
    world = round_world(actions=0)

    def round_of(count):
        add_actions(world, count)
        actions = world.actions[-count:]
        round_ = open_round(world, actions=actions)
        for number, name in enumerate((MINISTRY, AGENCY, CITY, TOWN)):
            give(
                world,
                round_,
                name,
                {action: 1 + (number + i) % 3 for i, action in enumerate(actions)},
            )
        return round_

    assert assert_queries_constant(round_results, lambda: round_of(3), lambda: round_of(30)) == 3
