"""Reading the IRM dataset's cells. Pure functions: no database, no settings.

The dataset is a spreadsheet typed by many hands over a decade, so a cell may hold a value, a
marker that says there is none (`ND` no data, `NR` not reviewed, `NA` not applicable), or
something else entirely. Each reader returns what is certain and nothing more; where it had to
interpret, it says so in a `Remark` (a message code and its parameters, see `summary.MESSAGES`)
which the importer turns into a note on the row.
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field

# Cells that mean "no value": the IRM's markers and what spreadsheets and people type instead.
UNKNOWN_MARKERS = frozenset({"", "nd", "nr", "na", "n/a", "n.a.", "n.d.", "-", "–", "—", "?"})

TRUE_WORDS = frozenset({"1", "1.0", "yes", "y", "true", "x"})
FALSE_WORDS = frozenset({"0", "0.0", "no", "n", "false"})

# The years a date of an OGP plan can fall in (OGP started in 2011; some commitments continue
# work begun earlier). Anything outside is a typo, not a date.
FIRST_YEAR = 1990
LAST_YEAR = 2100

DAY = "day"
MONTH = "month"
YEAR = "year"

MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9

_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?[\s,\-/]+(\d{4}|\d{2})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]+)\.?[\s,\-]+(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


@dataclass(frozen=True)
class Remark:
    """Something the reader interpreted or left out, for the row's notes."""

    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year. `value` is the first day of the period
    for a start date and its last day for an end date, so a period is never shorter than what
    the cell said (and "July 2014 – 2014" stays in order)."""

    value: datetime.date
    precision: str


@dataclass(frozen=True)
class DateCell:
    """What a date cell said: a date (or None) and, when it needed interpreting, a remark.
    `ambiguous` marks a numeric date whose day and month could be swapped (5/6/2016)."""

    date: PartialDate | None
    remark: Remark | None = None
    ambiguous: bool = False
    day_first: bool = False
    numeric: bool = False


def clean(value) -> str:
    """The cell's text without surrounding space; `None` (a short row) reads as empty."""
    return "" if value is None else str(value).strip()


def is_unknown(value) -> bool:
    """Whether the cell says there is no value: empty, ND, NR, NA and the like."""
    return clean(value).casefold() in UNKNOWN_MARKERS


def text(value) -> str:
    """A text cell: unknown markers read as empty; line breaks are normalised to \\n and the
    paragraphs kept."""
    value = clean(value)
    if value.casefold() in UNKNOWN_MARKERS:
        return ""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def flag(value) -> tuple[bool | None, Remark | None]:
    """A 1/0 cell: True, False, or None when unknown (ND, NR, empty). Any other content is
    unknown too, with a remark."""
    value = clean(value).casefold()
    if value in UNKNOWN_MARKERS:
        return None, None
    if value in TRUE_WORDS:
        return True, None
    if value in FALSE_WORDS:
        return False, None
    return None, Remark("flag_not_understood", {"value": value})


def integer(value) -> int | None:
    """A whole number (`3`, `3.0` as spreadsheets export it), or None."""
    value = clean(value)
    match = re.fullmatch(r"(\d+)(?:\.0+)?", value)
    return int(match.group(1)) if match else None


def choice(value, mapping: dict[str, str]) -> tuple[str, Remark | None]:
    """One of a fixed set of wordings, matched case- and space-insensitively; "" when unknown.
    An unrecognised wording stays unknown, with a remark."""
    value = clean(value)
    if value.casefold() in UNKNOWN_MARKERS:
        return "", None
    key = normalise(value)
    if key in mapping:
        return mapping[key], None
    return "", Remark("value_not_understood", {"value": value})


def normalise(value: str) -> str:
    """Lower case, `&` as "and", punctuation as space, one space between words: the form in
    which column names and wordings are compared."""
    value = clean(value).casefold().replace("&", " and ")
    value = re.sub(r"[^\w]+", " ", value)
    return " ".join(value.split())


def names(value) -> list[str]:
    """A cell listing institutions: one name a line or separated by semicolons. Commas are not
    separators, since names contain them ("Ministry of Finance, Tax Department"). Unknown
    markers and repeats are dropped; the order is kept."""
    seen, result = set(), []
    for part in re.split(r"[;\n\r]+", clean(value)):
        part = " ".join(part.split()).strip(" ,.")
        if part and part.casefold() not in UNKNOWN_MARKERS and part.casefold() not in seen:
            seen.add(part.casefold())
            result.append(part)
    return result


# --- Dates -----------------------------------------------------------------------------------


def _year(text: str) -> tuple[int, bool]:
    """A year of four digits, or of two (16 → 2016); says whether it was two."""
    year = int(text)
    if len(text) == 2:
        return 2000 + year, True
    return year, False


def _in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def _period(year: int, month: int | None, day: int | None, *, end: bool) -> PartialDate:
    if day is not None:
        return PartialDate(datetime.date(year, month, day), DAY)
    if month is not None:
        last = calendar.monthrange(year, month)[1]
        return PartialDate(datetime.date(year, month, last if end else 1), MONTH)
    return PartialDate(datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1), YEAR)


def _not_a_date(raw: str) -> DateCell:
    return DateCell(None, Remark("not_a_date", {"value": raw}))


def date(value, *, end: bool = False, day_first: bool = False) -> DateCell:
    """Read a date cell.

    - `ND`, `NR`, `NA`, empty: unknown, no remark.
    - `9/1/2016`: numeric dates are month first (the dataset's convention) unless the first
      number cannot be a month (`31/12/2014` is day first). When both could be either
      (`5/6/2016`), the date is read month first, or day first if `day_first` (the row's
      other date showed that convention), and marked ambiguous.
    - `2016-09-01` (ISO, also with a time), `1 July 2014`, `July 1, 2014`: to the day.
    - `July 2014`, `Jul-14`, `2014-07`: to the month. `2016`: to the year. The date is the
      period's first day, or its last day when `end` (see `PartialDate`).
    - Anything else (`Permanent activity`, `Q3 2016`, an impossible day): not a date, with a
      remark; never a guess.
    """
    raw = clean(value)
    if raw.casefold() in UNKNOWN_MARKERS:
        return DateCell(None)
    text_value = " ".join(raw.split())
    remark = None

    if match := _NUMERIC.match(text_value):
        first, second = int(match.group(1)), int(match.group(2))
        year, two_digit = _year(match.group(3))
        ambiguous = first <= 12 and second <= 12 and first != second
        if first > 12 and second <= 12:
            day, month, read_day_first = first, second, True
        elif first <= 12 and (second > 12 or not (ambiguous and day_first)):
            month, day, read_day_first = first, second, False
        else:
            day, month, read_day_first = first, second, True
        if two_digit:
            remark = Remark("two_digit_year", {"value": raw, "year": year})
        if ambiguous:
            code = "ambiguous_day_first" if read_day_first else "ambiguous_month_first"
            remark = Remark(code, {"value": raw})
        try:
            parsed = datetime.date(year, month, day)
        except ValueError:
            return _not_a_date(raw)
        if not _in_range(year):
            return _not_a_date(raw)
        return DateCell(
            PartialDate(parsed, DAY),
            remark,
            ambiguous=ambiguous,
            day_first=read_day_first,
            numeric=True,
        )

    year = month = day = None
    if match := _ISO.match(text_value):
        year, month, day = (int(match.group(n)) for n in (1, 2, 3))
    elif match := _ISO_MONTH.match(text_value):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := _YEAR.match(text_value):
        year = int(match.group(1))
    elif match := _MONTH_YEAR.match(text_value):
        month = MONTHS.get(match.group(1).casefold())
        year, two_digit = _year(match.group(2))
        if month is None:
            return _not_a_date(raw)
        if two_digit:
            remark = Remark("two_digit_year", {"value": raw, "year": year})
    elif match := _DAY_MONTH_YEAR.match(text_value):
        day, month = int(match.group(1)), MONTHS.get(match.group(2).casefold())
        year = int(match.group(3))
    elif match := _MONTH_DAY_YEAR.match(text_value):
        month, day = MONTHS.get(match.group(1).casefold()), int(match.group(2))
        year = int(match.group(3))
    else:
        return _not_a_date(raw)

    if month is None and day is not None:
        return _not_a_date(raw)
    if not _in_range(year):
        return _not_a_date(raw)
    try:
        return DateCell(_period(year, month, day, end=end), remark)
    except ValueError:  # 31 April, month 13
        return _not_a_date(raw)


def _settle(cell: DateCell, other: DateCell, value, *, end: bool) -> DateCell:
    """An ambiguous date next to an unmistakable numeric one follows its convention: day first
    after 31/12/2014 (with a remark), month first after 6/30/2017 (then nothing is in doubt)."""
    if not cell.ambiguous or not other.numeric or other.ambiguous or other.date is None:
        return cell
    if other.day_first:
        return date(value, end=end, day_first=True)
    return DateCell(cell.date, None, ambiguous=False, day_first=False, numeric=True)


def date_pair(start_value, end_value) -> tuple[DateCell, DateCell]:
    """Read a row's start and end dates. A row is typed in one convention: when one of its
    dates is unmistakably day first (31/12/2014), an ambiguous one (1/7/2013) is read day first
    too; when one is unmistakably month first (6/30/2017), the ambiguous one is read month first
    without a remark."""
    start = date(start_value)
    finish = date(end_value, end=True)
    return (
        _settle(start, finish, start_value, end=False),
        _settle(finish, start, end_value, end=True),
    )
