"""The policy-area columns: one flag column (1/0, Yes/No, blank) per policy area or theme.

A column named like an area of the platform (its English name, its slug, or an IRM name in
`columns.POLICY_AREA_ALIASES`) is read as that area. Any other column whose cells are all flags
(or empty) names an area the platform lacks: the area is created when at least one row ticks
it, and the column is reported as not mapped when none does (an area nobody ticks would only
add a filter that finds nothing). Columns of other content are ignored and listed.
"""

import re

from django.utils.text import slugify

from ..models import PolicyArea
from . import cells, columns
from .state import ImportState
from .summary import DERIVED

_MARKERS = "|".join(
    r"\s+".join(map(re.escape, marker.split()))
    for marker in sorted(columns.POLICY_AREA_MARKERS, key=len, reverse=True)
)
# "Policy Area: Open Justice", "Theme - Gender": a marker, a separator, then the area's name.
_MARKER = re.compile(rf"^\s*(?:{_MARKERS})\s*[:\-–—/|]\s*(?=\S)", re.IGNORECASE)
NAME_LIMIT = PolicyArea._meta.get_field("name").max_length
SLUG_LIMIT = PolicyArea._meta.get_field("slug").max_length

# What a column's cells say about it.
TICKED = "ticked"  # flags only, at least one true: an area
UNTICKED = "unticked"  # flags only, none true: no area to create
NOT_FLAGS = "not_flags"  # something else, or nothing at all


def area_title(header: str) -> str:
    """The area a column names: its header without a leading "Policy Area:" or "Theme -"."""
    return " ".join(_MARKER.sub("", header, count=1).split())


def _names(areas: list[PolicyArea]) -> dict[str, str]:
    """Normalised name → slug: the IRM's aliases, then every area's slug and name."""
    by_name = dict(columns.POLICY_AREA_ALIASES)
    for area in areas:
        by_name[cells.normalise(area.slug.replace("-", " "))] = area.slug
        by_name[cells.normalise(area.name)] = area.slug
    return by_name


def _is_judgement(title: str) -> bool:
    key = cells.normalise(title)
    return any(key == name or key.startswith(f"{name} ") for name in columns.NOT_POLICY_AREAS)


def column_content(table, index: int) -> str:
    """Whether every cell of the column is a flag or empty, and whether one is true."""
    ticked = any_flag = False
    for _number, raw in table.rows:
        value = raw[index] if index < len(raw) else ""
        if cells.is_unknown(value):
            continue
        known, _remark = cells.flag(value)
        if known is None:
            return NOT_FLAGS
        any_flag = True
        ticked = ticked or known
    if not any_flag:
        return NOT_FLAGS
    return TICKED if ticked else UNTICKED


def _new_area(title: str, taken_slugs: set[str], position: int) -> PolicyArea:
    base = slugify(title)[:SLUG_LIMIT].strip("-") or "area"
    slug, n = base, 2
    while slug in taken_slugs:
        suffix = f"-{n}"
        slug, n = f"{base[: SLUG_LIMIT - len(suffix)]}{suffix}", n + 1
    taken_slugs.add(slug)
    return PolicyArea(slug=slug, name=title[:NAME_LIMIT], position=position)


def _named_columns(state: ImportState, by_name: dict[str, str]):
    """The columns named like an area, as (header, index, slug), and the others as (header,
    index, the area name they would give)."""
    matched, unmatched = [], []
    for header, index in state.table.other_columns.items():
        title = area_title(header)
        slug = by_name.get(cells.normalise(title)) or by_name.get(cells.normalise(header))
        if slug is not None:
            matched.append((header, index, slug))
        else:
            unmatched.append((header, index, title))
    return matched, unmatched


def _areas_by_content(state: ImportState, unmatched, by_name: dict[str, str], areas):
    """Of the columns named like no area, those of flags that a row ticks name a new area:
    returns them as (header, index, slug) and the areas to create; the flag columns no row
    ticks are not mapped, the rest ignored (both listed in the summary)."""
    matched, new = [], []
    taken_slugs = {area.slug for area in areas}
    position = max((area.position for area in areas), default=0) + 1
    for header, index, title in unmatched:
        content = NOT_FLAGS if _is_judgement(title) else column_content(state.table, index)
        if content == UNTICKED:
            state.summary.unmapped_columns.append(header)
            continue
        if content == NOT_FLAGS:
            state.summary.ignored_columns.append(header)
            continue
        slug = by_name.get(cells.normalise(title))
        if slug is None:
            # Two columns may name one new area ("Youth", "Theme: Youth").
            area = _new_area(title, taken_slugs, position + len(new))
            by_name[cells.normalise(title)] = slug = area.slug
            new.append((header, area))
        matched.append((header, index, slug))
    return matched, new


def match_policy_areas(state: ImportState) -> tuple[list[PolicyArea], list[tuple[str, int, str]]]:
    """The platform's policy areas (with those the file names and the platform lacked, now
    created) and the policy-area columns as (header, index, area slug). The summary lists the
    columns read, the areas created, the flag columns not mapped, and the columns ignored."""
    summary = state.summary
    areas = list(PolicyArea.objects.all())
    by_name = _names(areas)
    matched, unmatched = _named_columns(state, by_name)
    by_content, new = _areas_by_content(state, unmatched, by_name, areas)
    areas += PolicyArea.objects.bulk_create([area for _header, area in new])
    for header, area in new:
        summary.note(None, "", DERIVED, "policy_area_created", column=header, area=area.name)
    summary.new_policy_areas = [area.slug for _header, area in new]

    columns_read = sorted(matched + by_content, key=lambda column: column[1])
    names = {area.slug: area.name for area in areas}
    for header, _index, slug in columns_read:
        summary.policy_area_columns[header] = slug
        summary.policy_area_names[slug] = names[slug]
    return areas, columns_read
