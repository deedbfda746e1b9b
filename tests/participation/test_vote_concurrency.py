"""Counts stay exact under concurrent voting, against PostgreSQL.

Each thread is a separate database connection (and so a separate transaction), all released at
once by a barrier, so that the inserts really race: 50 people voting at the same moment give 50
votes; one person voting from 10 tabs at the same moment ends with one vote. SQLite serialises
every write, so it proves nothing here and the tests are skipped on it.
"""

import threading

import pytest
from django.db import connection, connections

from participation.models import CommentVote, Vote
from participation.selectors import content_type_of, current_consultation, vote_counts
from participation.services.votes import comment_upvote_toggle, vote_cast
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory, ConsultationFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"
    ),
    # Committed rows, so that the threads' connections see them; serialized_rollback restores
    # the groups the migrations seeded once the tables are flushed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_at_once(calls) -> list[BaseException]:
    """Run each call in its own thread (its own connection), all released together; return
    the errors raised."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a voter is stuck"
    return errors


@pytest.fixture
def commitment():
    plan = ActionPlanFactory(status="cocreation", published=True)
    ConsultationFactory(space=plan)
    return CommitmentFactory(plan=plan)


def test_50_people_voting_at_once_give_exactly_50_votes(commitment):
    voters = [UserFactory() for _ in range(50)]
    values = [Vote.Value.SUPPORT if i % 5 else Vote.Value.OPPOSE for i in range(50)]
    errors = run_at_once(
        [
            (
                lambda voter=voter, value=value: vote_cast(
                    actor=voter, target=commitment, value=value
                )
            )
            for voter, value in zip(voters, values, strict=True)
        ]
    )
    assert errors == []
    rows = Vote.objects.filter(target_type=content_type_of(commitment), target_id=commitment.pk)
    assert rows.count() == 50
    assert vote_counts(commitment) == {"support": 40, "oppose": 10}
    assert sum(vote_counts(commitment).values()) == 50


def test_one_person_voting_from_10_threads_at_once_ends_with_one_vote(commitment):
    voter = UserFactory()
    values = [Vote.Value.SUPPORT, Vote.Value.OPPOSE] * 5
    errors = run_at_once(
        [
            (lambda value=value: vote_cast(actor=voter, target=commitment, value=value))
            for value in values
        ]
    )
    assert errors == []
    votes = list(Vote.objects.filter(user=voter).values_list("value", flat=True))
    assert len(votes) == 1 and votes[0] in (1, -1)
    assert sum(vote_counts(commitment).values()) == 1


def test_one_person_up_voting_a_comment_from_10_threads_at_once_ends_with_one_up_vote(
    commitment,
):
    comment = CommentFactory(target=commitment, consultation=current_consultation(commitment))
    voter = UserFactory()
    errors = run_at_once(
        [
            (lambda: comment_upvote_toggle(actor=voter, comment=comment, upvoted=True))
            for _ in range(10)
        ]
    )
    assert errors == []
    assert CommentVote.objects.filter(comment=comment, user=voter).count() == 1
