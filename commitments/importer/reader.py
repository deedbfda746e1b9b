"""Reading the dataset's CSV file: its encoding, its header and its rows, before anything is
written. A file that cannot be imported at all raises `ImportFailed` with a message that says
why (not UTF-8, no header, a required column missing)."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from . import columns
from .cells import normalise

# Full texts run to tens of thousands of characters; the csv module's default limit is 128 KB.
FIELD_SIZE_LIMIT = 16 * 1024 * 1024
DELIMITERS = (",", ";", "\t")


class ImportFailed(Exception):
    """The file cannot be imported at all; nothing was written."""


@dataclass
class Table:
    """The file's rows, with the known columns found by name (column → index)."""

    columns: dict[str, int]
    headers: list[str]
    # (row number as a spreadsheet shows it, cells); the header is row 1.
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    # Header → index for the columns that are neither known nor required: the importer matches
    # them against the policy areas, and ignores the rest.
    other_columns: dict[str, int] = field(default_factory=dict)

    def cell(self, cells: list[str], column: str) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def has(self, column: str) -> bool:
        return column in self.columns


def decode(data: bytes) -> str:
    """The file's text: UTF-8, with or without a byte-order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(
            _(
                "The file is not UTF-8 text (unreadable byte at position %(position)s). Export "
                "the spreadsheet as “CSV UTF-8” and try again."
            )
            % {"position": error.start}
        ) from error


def _delimiter(first_line: str) -> str:
    """Commas, or the semicolons or tabs that some spreadsheet programs write instead."""
    return max(DELIMITERS, key=first_line.count)


def match_header(headers: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Find the known columns among the headers (the first of repeated ones wins); return them
    and the other, non-empty headers."""
    wanted = {normalise(name): name for name in columns.KNOWN_COLUMNS}
    prefixes = {normalise(name): name for name in columns.PREFIX_COLUMNS}
    found: dict[str, int] = {}
    others: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = normalise(header)
        if not key:
            continue
        name = wanted.get(key) or next(
            (prefixes[prefix] for prefix in prefixes if key.startswith(prefix)), None
        )
        if name is not None:
            found.setdefault(name, index)
        elif header.strip() not in others:
            others[header.strip()] = index
    return found, others


def missing_columns(found: dict[str, int]) -> list[str]:
    return [name for name in columns.REQUIRED_COLUMNS if name not in found]


def read_table(text: str) -> Table:
    """Parse the CSV text (quoted cells may hold line breaks and paragraphs) and check its
    header. Blank rows are left out; row numbers still count them, as a spreadsheet does."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportFailed(_("The file is empty."))
    first_line = text.split("\n", 1)[0]
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(max(previous_limit, FIELD_SIZE_LIMIT))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
        try:
            headers = [cell.strip() for cell in next(reader)]
        except StopIteration as error:  # pragma: no cover - guarded by the check above
            raise ImportFailed(_("The file is empty.")) from error
        found, others = match_header(headers)
        missing = missing_columns(found)
        if missing:
            raise ImportFailed(
                _("The column “%(column)s” is missing: the file was not imported.")
                % {"column": missing[0]}
                if len(missing) == 1
                else _("The columns %(columns)s are missing: the file was not imported.")
                % {"columns": ", ".join(f"“{name}”" for name in missing)}
            )
        table = Table(columns=found, headers=headers, other_columns=others)
        try:
            for number, cells in enumerate(reader, start=2):
                if any(cell.strip() for cell in cells):
                    table.rows.append((number, cells))
        except csv.Error as error:
            raise ImportFailed(
                _("The file is not valid CSV near row %(row)s: %(error)s")
                % {"row": reader.line_num, "error": error}
            ) from error
    finally:
        csv.field_size_limit(previous_limit)
    return table


def read_source(source) -> str:
    """The text of a path, bytes, or a binary or text file object."""
    if isinstance(source, str | Path):
        return decode(Path(source).read_bytes())
    if isinstance(source, bytes):
        return decode(source)
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read()
    return data if isinstance(data, str) else decode(data)


def check_header(data: bytes) -> list[str]:
    """For the upload form: decode the file and return the required columns its header lacks
    (raises ImportFailed when it is not UTF-8 text or is empty)."""
    text = decode(data).lstrip("\ufeff")
    if not text.strip():
        raise ImportFailed(_("The file is empty."))
    first_line = text.split("\n", 1)[0]
    try:
        headers = next(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line)))
    except (csv.Error, StopIteration) as error:
        raise ImportFailed(_("The file has no header row.")) from error
    found, _others = match_header([cell.strip() for cell in headers])
    return missing_columns(found)
