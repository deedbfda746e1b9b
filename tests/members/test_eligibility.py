import pytest

from ogp_platform.members.eligibility import Outcome, eligibility_result


def scores(ft, ai, ad, ce):
    return {
        "fiscal_transparency": ft,
        "access_to_information": ai,
        "asset_disclosure": ad,
        "citizen_engagement": ce,
    }


@pytest.mark.parametrize(
    ("given", "outcome", "points", "available"),
    [
        (scores(4, 4, 2, 2), Outcome.ELIGIBLE, 12, 16),  # exactly 75% of 16
        (scores(4, 4, 2, 1), Outcome.NOT_ELIGIBLE, 11, 16),  # one point short
        (scores(4, 4, 4, 4), Outcome.ELIGIBLE, 16, 16),
        (scores(0, 0, 0, 0), Outcome.NOT_ELIGIBLE, 0, 16),
        (scores(3, 3, 3, None), Outcome.ELIGIBLE, 9, 12),  # one "no data": 9 of 12
        (scores(None, 4, 4, 0), Outcome.NOT_ELIGIBLE, 8, 12),
        (scores(4, 4, None, None), Outcome.NOT_ENOUGH_DATA, 8, 8),  # two "no data"
        (scores(None, None, None, None), Outcome.NOT_ENOUGH_DATA, 0, 0),
    ],
)
def test_eligibility_rule(given, outcome, points, available):
    result = eligibility_result(given)
    assert (result.outcome, result.points, result.available) == (outcome, points, available)


def test_points_needed():
    assert eligibility_result(scores(1, 1, 1, 1)).needed == 12
    assert eligibility_result(scores(1, 1, 1, None)).needed == 9


@pytest.mark.parametrize("bad", [5, -1])
def test_a_score_outside_0_to_4_is_refused(bad):
    with pytest.raises(ValueError):
        eligibility_result(scores(bad, 4, 4, 4))


def test_unknown_criterion_is_refused():
    with pytest.raises(ValueError):
        eligibility_result({"press_freedom": 4})
