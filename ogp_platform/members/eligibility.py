"""OGP's eligibility rule, in one place.

Four criteria (fiscal transparency, access to information, public officials' asset disclosure,
citizen engagement) score 0 to 4 points each, or have no data. A country is eligible with at
least 75% of the points available: 12 of 16, or 9 of 12 when one criterion has no data. With
fewer than three criteria scored there is not enough data to decide.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

CRITERIA = (
    "fiscal_transparency",
    "access_to_information",
    "asset_disclosure",
    "citizen_engagement",
)
POINTS_PER_CRITERION = 4
MIN_CRITERIA_WITH_DATA = 3


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    NOT_ENOUGH_DATA = "not_enough_data", _("Not enough data")


@dataclass(frozen=True)
class Eligibility:
    outcome: Outcome
    points: int
    available: int

    @property
    def needed(self) -> int:
        """Points needed to be eligible with the criteria that have data."""
        return -(-self.available * 3 // 4)  # ceil(75% of available), in integers

    @property
    def label(self) -> str:
        return str(self.outcome.label)


def eligibility_result(scores: dict[str, int | None]) -> Eligibility:
    """Apply the rule to the four criteria's scores (None means "no data").

    Raises ValueError for a score outside 0–4 or an unknown criterion: the forms validate first,
    this guards the rule itself.
    """
    unknown = set(scores) - set(CRITERIA)
    if unknown:
        raise ValueError(f"unknown criteria: {sorted(unknown)}")
    with_data = [scores.get(c) for c in CRITERIA if scores.get(c) is not None]
    for score in with_data:
        if not 0 <= score <= POINTS_PER_CRITERION:
            raise ValueError(f"a score is 0 to {POINTS_PER_CRITERION}, not {score}")
    points = sum(with_data)
    available = POINTS_PER_CRITERION * len(with_data)
    if len(with_data) < MIN_CRITERIA_WITH_DATA:
        outcome = Outcome.NOT_ENOUGH_DATA
    elif points * 4 >= available * 3:  # points / available >= 75%, without floats
        outcome = Outcome.ELIGIBLE
    else:
        outcome = Outcome.NOT_ELIGIBLE
    return Eligibility(outcome=outcome, points=points, available=available)
