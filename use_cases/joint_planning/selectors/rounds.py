"""Reads for prioritisation rounds: the results of a round per action, overall and by level of
body (central or local), and where the central and the local bodies' priorities differ.

`round_results` runs three queries whatever the number of actions, bodies and allocations: the
round's actions, one aggregate of the allocations by action and level, and the number of bodies
of each level that took part; the shares and differences are arithmetic in Python."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from ..models import Action, Allocation, PlanBody, Round

CENTRAL = PlanBody.Level.CENTRAL
LOCAL = PlanBody.Level.LOCAL
LEVELS = (CENTRAL, LOCAL)


@dataclass
class ActionResult:
    """One action's result in a round.

    `points`: the points given to it (points rounds; 0 in ranking rounds). `borda`: its Borda
    score in a ranking round (each body that ranks n actions gives the action n - rank + 1;
    None in points rounds). `bodies`: how many bodies gave it points (or ranked it). `score` is
    what the round measures: the points, or the Borda score. Each has a `central_` and `local_`
    part. `central_share` and `local_share` are the action's part, in percent, of all the
    score the central (local) bodies gave in the round (None when that level gave none);
    `difference` is central minus local share (None unless both levels took part)."""

    action: Action
    points: int = 0
    central_points: int = 0
    local_points: int = 0
    bodies: int = 0
    central_bodies: int = 0
    local_bodies: int = 0
    borda: int | None = None
    central_borda: int | None = None
    local_borda: int | None = None
    central_share: float | None = None
    local_share: float | None = None
    difference: float | None = None

    @property
    def score(self) -> int:
        return self.points if self.borda is None else self.borda

    def score_of(self, level: str) -> int:
        if self.borda is None:
            return getattr(self, f"{level}_points")
        return getattr(self, f"{level}_borda")


@dataclass
class RoundResults:
    round: Round
    # By score, highest first (then in the order the actions were proposed).
    actions: list[ActionResult]
    # By how much the central and local shares differ, most first; the actions only one
    # level (or none) scored come last.
    differences: list[ActionResult]
    # The score all the bodies of each level gave, and how many of them took part.
    totals: dict[str, int] = field(default_factory=dict)
    ballots: dict[str, int] = field(default_factory=dict)

    @property
    def is_ranking(self) -> bool:
        return self.round.method == Round.Method.RANKING


def _share(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def round_results(round: Round) -> RoundResults:
    """The round's results per action (three queries)."""
    actions = list(round.actions.only("pk", "title", "status", "objective_id").order_by("pk"))
    ranking = round.method == Round.Method.RANKING
    results = {action.pk: ActionResult(action=action) for action in actions}
    if ranking:
        for result in results.values():
            result.borda = result.central_borda = result.local_borda = 0
    count = len(actions)
    rows = (
        Allocation.objects.filter(ballot__round=round, action__in=list(results))
        .values("action_id", "ballot__body__level")
        .annotate(
            given=Sum("points"),
            givers=Count("pk", filter=Q(points__gt=0)),
            ranked=Count("pk", filter=Q(rank__isnull=False)),
            rank_sum=Sum("rank"),
        )
        .order_by()
    )
    for row in rows:
        result = results[row["action_id"]]
        level = row["ballot__body__level"]
        if ranking:
            borda = row["ranked"] * (count + 1) - (row["rank_sum"] or 0)
            result.borda += borda
            setattr(result, f"{level}_borda", getattr(result, f"{level}_borda") + borda)
            bodies = row["ranked"]
        else:
            given = row["given"] or 0
            result.points += given
            setattr(result, f"{level}_points", getattr(result, f"{level}_points") + given)
            bodies = row["givers"]
        result.bodies += bodies
        setattr(result, f"{level}_bodies", getattr(result, f"{level}_bodies") + bodies)
    totals = {level: sum(result.score_of(level) for result in results.values()) for level in LEVELS}
    for result in results.values():
        result.central_share = _share(result.score_of(CENTRAL), totals[CENTRAL])
        result.local_share = _share(result.score_of(LOCAL), totals[LOCAL])
        if result.central_share is not None and result.local_share is not None:
            result.difference = result.central_share - result.local_share
    by_score = sorted(results.values(), key=lambda result: (-result.score, result.action.pk))
    differences = sorted(
        results.values(),
        key=lambda result: (
            result.difference is None,
            -abs(result.difference or 0),
            result.action.pk,
        ),
    )
    return RoundResults(
        round=round,
        actions=by_score,
        differences=differences,
        totals=totals,
        ballots=_ballots_by_level(round),
    )


def _ballots_by_level(round: Round) -> dict[str, int]:
    """How many bodies of each level hold a ballot in the round with something in it."""
    counts = dict(
        round.ballots.filter(allocations__isnull=False)
        .values_list("body__level")
        .annotate(bodies=Count("pk", distinct=True))
        .order_by()
    )
    return {level: counts.get(level, 0) for level in LEVELS}
