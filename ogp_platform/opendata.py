"""Open-data files: the columns of a file as data, streaming CSV and JSON writers, and the
licence the platform's data is published under.

Every export goes through here, so that every file follows the same rules:

- UTF-8; a CSV starts with a byte-order mark, without which spreadsheet programs read Latvian
  (or any non-ASCII) text as mojibake;
- dates and times in ISO 8601 (times in UTC), booleans as `true`/`false`, the values of a
  multi-valued cell joined with "; " in CSV and given as a list in JSON;
- a CSV cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab
  or a carriage return) gets a leading apostrophe, so it is shown as text;
- the licence in a `Link: <…>; rel="license"` header, and in the JSON's metadata;
- files are written while they are sent (a `StreamingHttpResponse` over a generator), so an
  export of any size costs the same memory.

A file's columns are a list of `Column`: its name, its description (the documentation page
lists them) and a function that reads the value from a row, so the files and their
documentation cannot drift apart.
"""

import csv
import datetime
import decimal
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Aggregate, OuterRef, QuerySet, Subquery, TextField, Value
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

LICENCE_ID = "CC-BY-4.0"
LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

# A cell starting with one of these is a formula to a spreadsheet program (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MULTI_VALUE_SEPARATOR = "; "
# Joins the values of a multi-valued column inside the database: nobody types this character.
VALUE_SEPARATOR = "\x1f"
# Rows are buffered into chunks of about this many characters before they are sent.
CHUNK_CHARACTERS = 64 * 1024


@dataclass(frozen=True)
class Column:
    """One column of a file: `get(row, context)` reads its value from one row (a model
    instance, usually). Values are Python values (str, int, bool, date, datetime, Decimal, a
    list of str, or None for "no value"); the writers format them."""

    name: str
    description: str
    get: Callable[[Any, Any], Any]


class _Joined(Aggregate):
    """The texts of a group joined by `VALUE_SEPARATOR`, in no particular order."""

    function = "STRING_AGG"
    output_field = TextField()

    def __init__(self, expression):
        super().__init__(expression, Value(VALUE_SEPARATOR))

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def joined_values(related: QuerySet, *, outer: str, field: str) -> Subquery:
    """The `field` of every related row of the outer query's row, as one text (`outer` is the
    related rows' lookup to the outer row). Read with `split_values`.

    An annotation, not a prefetch: a prefetch costs queries for every chunk of a streamed
    export, this costs none beyond the export's one query."""
    rows = (
        related.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(joined=_Joined(field))
        .values("joined")
    )
    return Subquery(rows, output_field=TextField())


def split_values(joined: str | None) -> list[str]:
    """The values `joined_values` read, in alphabetical order."""
    return sorted(joined.split(VALUE_SEPARATOR), key=str.casefold) if joined else []


def neutralise(cell: str) -> str:
    """The cell, with a leading apostrophe when a spreadsheet program would run it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_TRIGGERS) else cell


def _timestamp(value: datetime.datetime) -> str:
    if timezone.is_aware(value):
        value = value.astimezone(datetime.UTC)
    return value.isoformat(timespec="seconds")


def csv_text(value) -> str:
    """A value as the text of a CSV cell (not yet neutralised)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return _timestamp(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return MULTI_VALUE_SEPARATOR.join(csv_text(item) for item in value)
    return str(value)


def csv_cell(value) -> str:
    return neutralise(csv_text(value))


def json_value(value):
    """A value as JSON understands it: dates as ISO 8601 text, decimals as numbers."""
    if isinstance(value, datetime.datetime):
        return _timestamp(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        # At most 15 significant digits (the model's max_digits), which a float keeps exactly.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return value


def record(columns: list[Column], row, context=None) -> dict:
    """One row as a JSON object: column name → value."""
    return {column.name: json_value(column.get(row, context)) for column in columns}


def csv_stream(columns: list[Column], rows: Iterable, context=None) -> Iterator[str]:
    """The CSV file, in chunks: a byte-order mark, the header of column names, one line per
    row (RFC 4180: comma-separated, quoted when needed, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([column.name for column in columns])
    for row in rows:
        writer.writerow([csv_cell(column.get(row, context)) for column in columns])
        if buffer.tell() >= CHUNK_CHARACTERS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_stream(metadata: dict, key: str, records: Iterable[dict]) -> Iterator[str]:
    """A JSON object, in chunks: the metadata's members, then `key` holding the records as a
    list, written one record at a time."""
    opening = json.dumps({**metadata, key: []}, ensure_ascii=False)
    # `{…, "key": []}` without its closing "]}": the records go in between.
    parts = [opening[: -len("]}")]]
    size = len(parts[0])
    separator = "\n"
    for item in records:
        text = separator + json.dumps(item, ensure_ascii=False)
        separator = ",\n"
        parts.append(text)
        size += len(text)
        if size >= CHUNK_CHARACTERS:
            yield "".join(parts)
            parts, size = [], 0
    parts.append("\n]}\n")
    yield "".join(parts)


def metadata(*, source_url: str, documentation_url: str, **extra) -> dict:
    """What a JSON file says about itself first: its licence, where its data comes from, where
    its columns are documented, and when it was generated."""
    return {
        "licence": {"id": LICENCE_ID, "name": LICENCE_NAME, "url": LICENCE_URL},
        "source_url": source_url,
        "documentation_url": documentation_url,
        "generated_at": _timestamp(timezone.now()),
        **extra,
    }


def _in_default_language(chunks: Iterable[str]) -> Iterator[str]:
    # The little text data takes from the interface (e.g. "Participant 12" for someone without a
    # display name) is the same in a file whoever downloads it.
    with translation.override(settings.LANGUAGE_CODE):
        yield from chunks


def download(chunks: Iterable[str], *, filename: str, content_type: str) -> StreamingHttpResponse:
    """A streamed file download, with its name and the data licence. The file is written in
    the site's default language."""
    response = StreamingHttpResponse(_in_default_language(chunks), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


def csv_download(
    columns: list[Column], rows: Iterable, *, filename: str, context=None
) -> StreamingHttpResponse:
    return download(
        csv_stream(columns, rows, context),
        filename=filename,
        content_type="text/csv; charset=utf-8",
    )


def json_download(
    meta: dict, key: str, records: Iterable[dict], *, filename: str
) -> StreamingHttpResponse:
    return download(
        json_stream(meta, key, records),
        filename=filename,
        content_type="application/json; charset=utf-8",
    )
