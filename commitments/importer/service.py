"""The import of the IRM's commitments dataset: `import_commitments`.

The whole file is read and checked first (a missing required column stops everything before a
write); then, in one transaction, the members, plans, institutions, commitments, their policy
areas and supporting institutions, and the assessments are matched on their ids, created or
updated in bulk, with history rows attributed to the acting user. A row that cannot be imported
is skipped with a note; the others go in. A dry run does all of it and rolls back.

Rules (docs/import.md has the reference):
- Re-running the same file changes nothing: records are matched on their ids (commitment id,
  plan id, member country or local code) and only what differs is written.
- A cell with no data (empty, ND, NR, NA) or one not understood never erases what is stored; a
  new record starts empty there.
- Plans being written on the platform (draft or co-creation) and their commitments are not
  touched: those rows are skipped.
"""

import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from ogp_platform import pagecache

from . import cells, columns
from .areas import match_policy_areas
from .members import resolve_members
from .plans import resolve_plans
from .reader import read_source, read_table
from .rows import Row, RowSkipped, read_row
from .state import ImportState, skip, skip_row
from .summary import SKIPPED, ImportSummary
from .writes import (
    bump_numbering,
    existing_assessments,
    existing_commitments,
    resolve_institutions,
    set_positions,
    write_assessments,
    write_commitments,
)


def import_commitments(
    *, source, actor, dry_run: bool = False, file_name: str = ""
) -> ImportSummary:
    """Import the IRM dataset from `source` (a path, bytes or a binary file object) as `actor`
    (the history's user, the creator of new plans and the assessor of record). Raises
    `ImportFailed` when the file cannot be imported at all (not UTF-8, a required column
    missing); nothing is written then. With `dry_run`, everything is done and rolled back, and
    the summary is the same as a real run's."""
    started = time.monotonic()
    table = read_table(read_source(source))
    summary = ImportSummary(file_name=file_name, dry_run=dry_run, rows=len(table.rows))
    # Stored texts (plan titles, records of policy areas) are written in the site's language,
    # whoever runs the import.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        state = ImportState(table, actor, summary, timezone.now())
        _run(state)
        if dry_run:
            transaction.set_rollback(True)
        else:
            # Written in bulk, past the model signals: every cached public page may show it.
            pagecache.changed(pagecache.EPOCH)
    summary.notes.sort(key=lambda note: (note.row or 0, note.level != SKIPPED))
    summary.seconds = time.monotonic() - started
    return summary


def _run(state: ImportState) -> None:
    areas, policy_columns = match_policy_areas(state)
    rows = _read_rows(state, policy_columns)
    members, rows = resolve_members(state, rows)
    plans, rows = resolve_plans(state, rows, members)
    existing, rows = existing_commitments(state, rows, members)
    set_positions(rows)
    institutions = resolve_institutions(state, rows, members)
    bump_numbering(rows, members)
    assessments = existing_assessments(existing)
    commitments = write_commitments(
        state, rows, members, plans, institutions, areas, existing, assessments
    )
    write_assessments(state, rows, commitments, assessments)
    for row in rows:
        for level, code, params in row.notes:
            state.summary.note(row.number, row.identifier, level, code, **params)


# --- Rows ------------------------------------------------------------------------------------


def _read_rows(state: ImportState, policy_columns) -> list[Row]:
    rows, first_row = [], {}
    for number, raw in state.table.rows:
        identifier = cells.clean(state.table.cell(raw, columns.IDENTIFIER)).upper()
        try:
            row = read_row(state.table, number, raw, policy_columns)
        except RowSkipped as error:
            skip(state, number, identifier, error.code, **error.params)
            continue
        except Exception as error:
            skip(state, number, identifier, "row_not_readable", error=str(error)[:200])
            continue
        first = first_row.get(row.identifier)
        if first is None:
            first_row[row.identifier] = row
            rows.append(row)
        elif first.member.key != row.member.key:
            # The one real conflict between members: the first row keeps the id.
            skip_row(
                state,
                row,
                "identifier_of_two_members",
                identifier=row.identifier,
                first_row=first.number,
                other=first.member.name,
                member=row.member.name,
            )
        else:
            skip_row(
                state,
                row,
                "duplicate_identifier",
                identifier=row.identifier,
                first_row=first.number,
            )
    return rows
