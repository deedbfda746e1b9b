"""Which cached pages a change in a joint plan touches (see `ogp_platform.pagecache`): the pages
of the members whose institutions take part in the plan (the lead's member keeps the plan's
pages), and `JOINT_PLANS`, the scope of the list of plans. An objective's commitments show the
link back on their pages, so an objective touches their members too. Every model of the app is
tracked."""

from ogp_platform.pagecache import member_scope, track

from .models import (
    Action,
    Allocation,
    Ballot,
    Goal,
    JointPlan,
    Objective,
    PlanBody,
    Round,
)

JOINT_PLANS = "joint_planning:plans"


def plan_scopes(plan_id) -> tuple[str, ...]:
    """The scopes of the members of the plan's bodies and of the list of plans (one query)."""
    members = (
        PlanBody.objects.filter(plan_id=plan_id)
        .order_by()
        .values_list("institution__member_id", flat=True)
        .distinct()
    )
    return (*(member_scope(member) for member in members), JOINT_PLANS)


def _body(body: PlanBody) -> tuple[str, ...]:
    # Its own member too: right when the body is being removed.
    member = body.institution.member_id if body.institution_id else None
    own = (member_scope(member),) if member else ()
    return (*own, *plan_scopes(body.plan_id))


def _objective(objective: Objective) -> tuple[str, ...]:
    members = (
        objective.commitments.order_by().values_list("plan__member_id", flat=True).distinct()
        if objective.pk
        else ()
    )
    return (*plan_scopes(objective.plan_id), *(member_scope(member) for member in members))


def _ballot_plan(ballot_id) -> int | None:
    return Round.objects.filter(ballots=ballot_id).values_list("plan_id", flat=True).first()


def register() -> None:
    track(JointPlan, lambda plan: plan_scopes(plan.pk))
    track(PlanBody, _body)
    track(Objective, _objective)
    for model in (Goal, Action, Round):
        track(model, lambda obj: plan_scopes(obj.plan_id))
    track(Ballot, lambda ballot: plan_scopes(ballot.round.plan_id))
    track(Allocation, lambda allocation: plan_scopes(_ballot_plan(allocation.ballot_id)))
