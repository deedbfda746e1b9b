"""What the importer's steps share: the state of a run, skipping a row, and bulk writes."""

import datetime
from dataclasses import dataclass, field

from simple_history.utils import get_history_manager_for_model

from .reader import Table
from .rows import Row
from .summary import SKIPPED, ImportSummary

BATCH = 500


def chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class ImportState:
    """What the import knows while it runs."""

    table: Table
    actor: object
    summary: ImportSummary
    now: datetime.datetime
    # Policy-area slug → id, and the stored assessments by commitment id (set on the way).
    area_ids: dict = field(default_factory=dict)
    assessments: dict = field(default_factory=dict)


def skip(state: ImportState, row_number: int, identifier: str, code: str, /, **params) -> None:
    state.summary.note(row_number, identifier, SKIPPED, code, **params)
    state.summary.count("commitments", "skipped")


def skip_row(state: ImportState, row: Row, code: str, /, **params) -> None:
    """Skip a row read earlier: its adjustments no longer matter, only why it was left out."""
    skip(state, row.number, row.identifier, code, **params)
    if row.assessment:
        state.summary.count("assessments", "skipped")


def snapshot(instance, attnames: list[str]) -> dict:
    return {name: getattr(instance, name) for name in attnames}


def changed_fields(instance, before: dict) -> list[str]:
    return [name for name, value in before.items() if getattr(instance, name) != value]


def save_changes(model, changes: list[tuple[object, list[str]]], actor) -> None:
    """Write each record's changed columns, then all their history rows at once. (Django's
    bulk_update builds a CASE per field and row: for thousands of rows one small UPDATE each
    is several times faster, and unchanged records are never written.)"""
    manager = model._base_manager
    for instance, fields in changes:
        manager.filter(pk=instance.pk).update(**{name: getattr(instance, name) for name in fields})
    if changes:
        get_history_manager_for_model(model).bulk_history_create(
            [instance for instance, _fields in changes],
            update=True,
            default_user=actor,
            batch_size=BATCH,
        )
