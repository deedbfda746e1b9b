"""The readers of the dataset's messy cells: each rule, without a database."""

import datetime

import pytest

from commitments.importer import cells
from commitments.importer.columns import (
    COMPLETION_WORDINGS,
    IMPACT_WORDINGS,
    OPENED_WORDINGS,
    SPECIFICITY_WORDINGS,
)

D = datetime.date


@pytest.mark.parametrize("value", ["", "   ", None, "ND", "nr", "NA", "N/A", "n/a", "-", "—"])
def test_no_data_markers_are_unknown(value):
    """ND, NR, NA, empty and the like say there is no value."""
    assert cells.is_unknown(value)
    assert cells.text(value) == ""
    assert cells.flag(value) == (None, None)
    assert cells.date(value) == cells.DateCell(None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("0", False), ("1.0", True), ("0.0", False), ("Yes", True), ("no", False)],
)
def test_flags(value, expected):
    assert cells.flag(value) == (expected, None)


@pytest.mark.parametrize("value", ["ND", "NR", ""])
def test_flags_not_reviewed_are_unknown_not_false(value):
    """A flag the IRM did not review is unknown, never a 0."""
    assert cells.flag(value)[0] is None


def test_a_flag_not_understood_is_unknown_with_a_remark():
    assert cells.flag("maybe") == (None, cells.Remark("flag_not_understood", {"value": "maybe"}))


def test_month_first_is_the_convention():
    """9/1/2016 is 1 September 2016 (month first), to the day, and said to be ambiguous."""
    cell = cells.date("9/1/2016")
    assert cell.date == cells.PartialDate(D(2016, 9, 1), "day")
    assert cell.ambiguous
    assert cell.remark.code == "ambiguous_month_first"


def test_a_day_over_twelve_is_day_first():
    cell = cells.date("31/12/2014")
    assert cell.date == cells.PartialDate(D(2014, 12, 31), "day")
    assert cell.remark is None and cell.day_first and not cell.ambiguous


def test_a_second_number_over_twelve_is_month_first_without_remark():
    cell = cells.date("6/30/2017")
    assert cell.date == cells.PartialDate(D(2017, 6, 30), "day")
    assert cell.remark is None


def test_same_day_and_month_is_not_ambiguous():
    assert cells.date("5/5/2016").remark is None


def test_an_ambiguous_date_follows_the_rows_day_first_date():
    """Next to 31/12/2014, 1/7/2013 is read as 1 July 2013, with a remark."""
    start, end = cells.date_pair("1/7/2013", "31/12/2014")
    assert start.date.value == D(2013, 7, 1)
    assert start.remark.code == "ambiguous_day_first"
    assert end.date.value == D(2014, 12, 31)


def test_an_ambiguous_date_next_to_a_month_first_one_has_no_remark():
    start, end = cells.date_pair("9/1/2016", "6/30/2018")
    assert start.date.value == D(2016, 9, 1)
    assert start.remark is None and end.remark is None


def test_a_month_and_year_keeps_month_precision():
    """July 2014 is stored as 1 July 2014 (start) or 31 July 2014 (end), to the month."""
    assert cells.date("July 2014").date == cells.PartialDate(D(2014, 7, 1), "month")
    assert cells.date("July 2014", end=True).date == cells.PartialDate(D(2014, 7, 31), "month")
    assert cells.date("Feb 2016", end=True).date == cells.PartialDate(D(2016, 2, 29), "month")
    assert cells.date("Sept. 2015").date == cells.PartialDate(D(2015, 9, 1), "month")
    assert cells.date("2014-07").date == cells.PartialDate(D(2014, 7, 1), "month")


def test_a_year_keeps_year_precision():
    assert cells.date("2016").date == cells.PartialDate(D(2016, 1, 1), "year")
    assert cells.date("2016", end=True).date == cells.PartialDate(D(2016, 12, 31), "year")
    assert cells.date("2016.0").date.precision == "year"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-09-01", D(2016, 9, 1)),
        ("2016-09-01 00:00:00", D(2016, 9, 1)),
        ("1 July 2014", D(2014, 7, 1)),
        ("July 1, 2014", D(2014, 7, 1)),
    ],
)
def test_full_dates_in_words_and_iso(value, expected):
    assert cells.date(value).date == cells.PartialDate(expected, "day")


@pytest.mark.parametrize(
    "value",
    ["Permanent activity", "Ongoing", "Q3 2016", "2/30/2016", "13/13/2016", "1850", "42614"],
)
def test_what_is_not_a_date_is_left_out_with_a_remark(value):
    """Never a guess: no date, and a remark quoting the cell."""
    cell = cells.date(value)
    assert cell.date is None
    assert cell.remark == cells.Remark("not_a_date", {"value": value})


def test_a_two_digit_year_is_read_in_this_century_with_a_remark():
    cell = cells.date("Jul-14")
    assert cell.date == cells.PartialDate(D(2014, 7, 1), "month")
    assert cell.remark.code == "two_digit_year"


@pytest.mark.parametrize(
    ("mapping", "wording", "expected"),
    [
        (COMPLETION_WORDINGS, "Substantial", "substantial"),
        (COMPLETION_WORDINGS, "NOT STARTED", "not_started"),
        (COMPLETION_WORDINGS, "not started", "not_started"),
        (COMPLETION_WORDINGS, "Completed", "complete"),
        (OPENED_WORDINGS, "Did Not Change", "did_not_change"),
        (OPENED_WORDINGS, "major", "major"),
        (SPECIFICITY_WORDINGS, "Medium", "medium"),
        (IMPACT_WORDINGS, "Transformative", "transformative"),
        (IMPACT_WORDINGS, " None ", "none"),
    ],
)
def test_irm_wordings_map_case_insensitively(mapping, wording, expected):
    assert cells.choice(wording, mapping) == (expected, None)


def test_an_unknown_wording_stays_empty_with_a_remark():
    value, remark = cells.choice("Somewhat", COMPLETION_WORDINGS)
    assert value == ""
    assert remark.code == "value_not_understood"
    assert cells.choice("ND", COMPLETION_WORDINGS) == ("", None)


def test_institution_names_split_on_semicolons_and_lines_not_commas():
    assert cells.names("Ministry of Finance, Tax Department; State Chancellery\nNA\nTreasury") == [
        "Ministry of Finance, Tax Department",
        "State Chancellery",
        "Treasury",
    ]
    assert cells.names("ND") == []


def test_text_keeps_paragraphs_and_normalises_line_breaks():
    assert cells.text("  Pirmā rindkopa.\r\n\r\nOtrā rindkopa.  ") == (
        "Pirmā rindkopa.\n\nOtrā rindkopa."
    )


def test_integers_as_spreadsheets_write_them():
    assert cells.integer("3") == 3
    assert cells.integer("3.0") == 3
    assert cells.integer("ND") is None
    assert cells.integer("three") is None
