"""What commitments hold about a person (see `ogp_platform.accounts.personal_data`): the
progress they reported, the assessments they recorded and the files they imported, as official
records. All stay when the account is deleted (they are the commitment's record), naming
"Deleted participant". Registered in `CommitmentsConfig.ready()`."""

from ogp_platform.accounts import personal_data
from ogp_platform.accounts.personal_data import OfficialRecord

from .models import Assessment, CommitmentImport, ProgressReport

OFFICIAL_RECORDS = [
    OfficialRecord(
        "progress_reports",
        ProgressReport,
        person="reported_by",
        values={
            "commitment_identifier": "commitment__identifier",
            "milestone_title": "milestone__title",
            "level": "level",
            "narrative": "narrative",
            "at": "reported_at",
        },
        order="reported_at",
    ),
    OfficialRecord(
        "assessments",
        Assessment,
        person="assessed_by",
        values={"commitment_identifier": "commitment__identifier", "at": "assessed_at"},
        order="assessed_at",
    ),
    OfficialRecord(
        "commitment_imports",
        CommitmentImport,
        person="created_by",
        values={
            "file_name": "original_name",
            "dry_run": "dry_run",
            "status": "status",
            "at": "created_at",
        },
        order="created_at",
    ),
]


def register() -> None:
    personal_data.register("commitments", official_records=OFFICIAL_RECORDS)
