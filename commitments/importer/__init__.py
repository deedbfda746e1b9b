"""The import of the Independent Reporting Mechanism's commitments dataset (see docs/import.md).

`import_commitments(source=..., actor=..., dry_run=...)` runs it and returns an `ImportSummary`;
`ImportFailed` means the file could not be imported at all and nothing was written."""

from .columns import REQUIRED_COLUMNS
from .reader import ImportFailed, check_header
from .service import import_commitments
from .summary import ImportSummary, Note

__all__ = [
    "REQUIRED_COLUMNS",
    "ImportFailed",
    "ImportSummary",
    "Note",
    "check_header",
    "import_commitments",
]
