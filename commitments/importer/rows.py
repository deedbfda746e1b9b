"""One row of the dataset, read into what the importer needs: which member and plan it belongs
to, the commitment's fields, its assessment, and the notes on what had to be interpreted.
No database access: the importer resolves members, plans and institutions afterwards."""

import re
from dataclasses import dataclass, field
from functools import cache

from ogp_platform.members import countries
from ogp_platform.text import one_line

from ..models import Commitment
from . import cells, columns
from .cells import Remark
from .reader import Table
from .summary import ADJUSTED

IDENTIFIER_PATTERN = re.compile(r"^([A-Z]{2,3})(\d{1,5})$")
PLAN_ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9_\-]{2,15}$")
LOCAL_PLAN_CODE = re.compile(r"^AP_([A-Z]{3})\d+$")

TITLE_LIMIT = Commitment._meta.get_field("title").max_length
SHORT_TITLE_LIMIT = Commitment._meta.get_field("short_title").max_length
INSTITUTION_LIMIT = 250


class RowSkipped(Exception):
    """The row cannot be imported; `code` and `params` say why (see `summary.MESSAGES`)."""

    def __init__(self, code: str, /, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class MemberKey:
    """Who a row belongs to: a national member by country, a local one by its code."""

    kind: str
    code: str


@dataclass
class MemberSpec:
    key: MemberKey
    name: str
    country: str  # alpha-2
    region: str  # a Region value, or "" when the cell was not understood
    region_text: str


@dataclass
class PlanSpec:
    identifier: str
    sequence: int | None
    year: int | None
    end_year: int | None
    duration: int | None


@dataclass
class Row:
    number: int
    identifier: str
    commitment_number: int
    member: MemberSpec
    plan: PlanSpec
    sort_key: tuple
    title: str
    short_title: str
    description: str
    # OGP value → True / False / None (unknown: keep what is stored).
    values: dict[str, bool | None]
    # Policy-area slug → True / False / None.
    policy_areas: dict[str, bool | None]
    lead: str | None
    supporting: list[str]
    start: cells.PartialDate | None
    end: cells.PartialDate | None
    # Assessment field → value, for the judgements the row knows.
    assessment: dict
    notes: list[tuple[str, str, dict]] = field(default_factory=list)
    # The commitment's place in its plan, set once the plan's rows are known.
    position: int = 0

    def adjust(self, code: str, /, **params) -> None:
        self.notes.append((ADJUSTED, code, params))

    def remark(self, remark: Remark | None, column: str) -> None:
        if remark is not None:
            self.adjust(remark.code, column=column, **remark.params)


# Country lookups return the alpha-2 code, or None; Kosovo (XK, XKX), which ISO 3166-1 lacks,
# is found too (`countries.OTHER_COUNTRIES`).
_country_by_alpha3 = cache(countries.by_alpha3)
country_by_name = cache(countries.by_name)


def _split_locality(text: str):
    """ "Madrid, Spain" → ("Madrid", "ES"); the country is the longest tail that names one
    ("Seoul, Korea, Republic of" works too)."""
    parts = text.split(",")
    for index in range(1, len(parts)):
        country = country_by_name(",".join(parts[index:]))
        if country is not None:
            return ",".join(parts[:index]).strip(), country
    return text.strip(), None


def member_spec(table: Table, raw: list[str], identifier: str, plan_id: str) -> MemberSpec:
    kind_text = cells.clean(table.cell(raw, columns.KIND))
    kind = columns.KIND_WORDINGS.get(cells.normalise(kind_text))
    if kind is None:
        raise RowSkipped("kind_unknown", value=kind_text)
    name = " ".join(cells.clean(table.cell(raw, columns.MEMBER)).split())
    code = cells.clean(table.cell(raw, columns.CODE)).upper()
    region_text = cells.clean(table.cell(raw, columns.REGION))
    region = columns.REGION_WORDINGS.get(cells.normalise(region_text), "")

    if kind == columns.NATIONAL:
        country = _country_by_alpha3(code) or (country_by_name(name) if name else None)
        if country is None:
            raise RowSkipped("country_unknown", code=code, value=name)
        return MemberSpec(
            MemberKey(kind, country),
            name or countries.name(country, "en"),
            country,
            region,
            region_text,
        )

    local_name, country = _split_locality(name)
    prefix = IDENTIFIER_PATTERN.match(identifier)
    plan_code = LOCAL_PLAN_CODE.match(plan_id)
    if prefix and len(prefix.group(1)) == 3:
        local_code = prefix.group(1)
    elif plan_code:
        local_code = plan_code.group(1)
    elif len(code) == 3 and code.isalpha() and _country_by_alpha3(code) is None:
        local_code = code
    else:
        raise RowSkipped("local_code_unknown", value=name)
    if code != local_code and _country_by_alpha3(code) is not None:
        country = _country_by_alpha3(code)
    if country is None:
        raise RowSkipped("country_unknown", code=code, value=name)
    return MemberSpec(
        MemberKey(kind, local_code), local_name or local_code, country, region, region_text
    )


def _cut(row: Row, value: str, limit: int, column: str) -> str:
    if len(value) > limit:
        row.adjust("text_cut", column=column, limit=limit)
        return value[:limit].rstrip()
    return value


def _sort_key(text: str, number: int) -> tuple:
    """The commitment's place in its plan, from `Commitment Number` ("3", "2.1", "4a"); rows
    without one go after, in the order of their ids."""
    numbers = [int(part) for part in re.findall(r"\d+", text)]
    return (0, *numbers) if numbers else (1, number)


def _read_policy_areas(row: Row, raw: list[str], policy_columns) -> None:
    """The row's policy areas: slug → True (ticked), False (not ticked) or None (unknown)."""
    filled = set()
    for header, index, slug in policy_columns:
        value = raw[index] if index < len(raw) else ""
        known, remark = cells.flag(value)
        row.remark(remark, header)
        if cells.clean(value):
            filled.add(slug)
        # Two columns for one area (e.g. "Gender" and "Inclusion"): a 1 in either links it, a
        # 0 counts only when the other is unknown.
        previous = row.policy_areas.get(slug)
        if slug not in row.policy_areas or known is True or (known is False and previous is None):
            row.policy_areas[slug] = known
    if any(known is True for known in row.policy_areas.values()):
        # Exports that tick areas with 1 and leave the others empty: once a row ticks an area
        # its empty cells say "not this one". A row that ticks none has not been classified,
        # and ND, NR and the like always mean "no data".
        for slug in row.policy_areas.keys() - filled:
            row.policy_areas[slug] = False


def read_row(
    table: Table, number: int, raw: list[str], policy_columns: list[tuple[str, int, str]]
) -> Row:
    """Read one row; raise RowSkipped when it cannot be imported."""
    cell = table.cell
    identifier = cells.clean(cell(raw, columns.IDENTIFIER)).upper()
    if cells.is_unknown(identifier):
        raise RowSkipped("no_identifier")
    match = IDENTIFIER_PATTERN.match(identifier)
    if not match or len(identifier) > Commitment._meta.get_field("identifier").max_length:
        raise RowSkipped("bad_identifier", value=identifier)
    plan_id = cells.clean(cell(raw, columns.PLAN_ID)).upper()
    if cells.is_unknown(plan_id):
        raise RowSkipped("no_plan_id")
    if not PLAN_ID_PATTERN.match(plan_id):
        raise RowSkipped("bad_plan_id", value=plan_id)
    member = member_spec(table, raw, identifier, plan_id)

    plan_number = cells.integer(cell(raw, columns.PLAN_NUMBER))
    if plan_number is None and (digits := re.search(r"(\d+)$", plan_id)):
        plan_number = int(digits.group(1))
    plan = PlanSpec(
        identifier=plan_id,
        sequence=plan_number,
        year=cells.integer(cell(raw, columns.YEAR)),
        end_year=cells.integer(cell(raw, columns.END_YEAR)),
        duration=cells.integer(cell(raw, columns.DURATION)),
    )

    row = Row(
        number=number,
        identifier=identifier,
        commitment_number=int(match.group(2)),
        member=member,
        plan=plan,
        sort_key=_sort_key(cells.clean(cell(raw, columns.NUMBER)), int(match.group(2))),
        title="",
        short_title="",
        description=cells.text(cell(raw, columns.FULL_TEXT)),
        values={},
        policy_areas={},
        lead=None,
        supporting=[],
        start=None,
        end=None,
        assessment={},
    )
    # Titles and names are one line of visible text, as the forms require (ogp_platform.text).
    title = " ".join(one_line(cells.text(cell(raw, columns.TITLE))).split())
    short_title = " ".join(one_line(cells.text(cell(raw, columns.SHORT_TITLE))).split())
    if not title and short_title:
        title = short_title
        row.adjust("title_from_short_title")
    if not title:
        raise RowSkipped("no_title")
    row.title = _cut(row, title, TITLE_LIMIT, columns.TITLE)
    row.short_title = _cut(row, short_title, SHORT_TITLE_LIMIT, columns.SHORT_TITLE)

    for column, value in columns.VALUE_COLUMNS.items():
        if table.has(column):
            known, remark = cells.flag(cell(raw, column))
            row.remark(remark, column)
            row.values[value] = known
    _read_policy_areas(row, raw, policy_columns)

    leads = [
        _cut(row, one_line(name), INSTITUTION_LIMIT, columns.LEAD)
        for name in cells.names(cell(raw, columns.LEAD))
    ]
    supporting = [
        _cut(row, one_line(name), INSTITUTION_LIMIT, columns.SUPPORTING)
        for name in cells.names(cell(raw, columns.SUPPORTING))
    ]
    if leads:
        row.lead = leads[0]
        if len(leads) > 1:
            row.adjust("several_leads", lead=leads[0])
    seen = {row.lead.casefold()} if row.lead else set()
    for name in [*leads[1:], *supporting]:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            row.supporting.append(name)

    start, end = cells.date_pair(cell(raw, columns.START), cell(raw, columns.END))
    row.remark(start.remark, columns.START)
    row.remark(end.remark, columns.END)
    row.start, row.end = start.date, end.date
    if row.start and row.end and row.end.value < row.start.value:
        row.adjust(
            "dates_out_of_order",
            start=cells.clean(cell(raw, columns.START)),
            end=cells.clean(cell(raw, columns.END)),
        )
        row.start = row.end = None

    for column, (name, wordings) in columns.ASSESSMENT_CHOICES.items():
        if table.has(column):
            value, remark = cells.choice(cell(raw, column), wordings)
            row.remark(remark, column)
            if value:
                row.assessment[name] = value
    if table.has(columns.VERIFIABLE):
        verifiable, remark = cells.flag(cell(raw, columns.VERIFIABLE))
        row.remark(remark, columns.VERIFIABLE)
        if verifiable is not None:
            row.assessment["verifiable"] = verifiable
    if table.has(columns.EARLY_RESULTS):
        early = cells.text(cell(raw, columns.EARLY_RESULTS))
        if early:
            row.assessment["early_results"] = early
    return row
