"""What plans hold about a person (see `ogp_platform.accounts.personal_data`): the plans they
started and the steps of a plan's lifecycle they took, as official records. Both stay when the
account is deleted (they are the plan's record), naming "Deleted participant". Registered in
`ActionPlansConfig.ready()`."""

from ogp_platform.accounts import personal_data
from ogp_platform.accounts.personal_data import OfficialRecord

from .models import ActionPlan, PlanTransition

OFFICIAL_RECORDS = [
    OfficialRecord(
        "action_plans_started",
        ActionPlan,
        person="created_by",
        values={"plan_identifier": "identifier", "title": "title"},
        order="identifier",
    ),
    OfficialRecord(
        "plan_lifecycle_steps",
        PlanTransition,
        person="actor",
        values={
            "plan_identifier": "plan__identifier",
            "from_status": "from_status",
            "to_status": "to_status",
            "reason": "reason",
            "at": "created_at",
        },
        order="created_at",
    ),
]


def register() -> None:
    personal_data.register("action_plans", official_records=OFFICIAL_RECORDS)
