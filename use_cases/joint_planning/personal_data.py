"""What the joint-planning module holds about a person (see
`ogp_platform.accounts.personal_data`): in their data export, the bodies of joint plans they
act for; as official records, the plans they created, the actions they proposed and the rounds
they opened, which stay signed "Deleted participant" after they delete their account. Their
right to act for a body is an object permission, which the account's deletion takes away with
every other (`ogp_platform.roles.object_permissions_revoke_all`). Registered in
`JointPlanningConfig.ready()`."""

from ogp_platform import roles
from ogp_platform.accounts import personal_data
from ogp_platform.accounts.personal_data import OfficialRecord

from .models import Action, JointPlan, PlanBody, Round
from .policies import ACT_FOR_BODY


def _bodies(user) -> list[dict]:
    bodies = roles.objects_with_permission(user, ACT_FOR_BODY, PlanBody.objects.all())
    return personal_data.values(
        bodies.order_by("plan__starts_on", "plan_id", "pk"),
        {
            "plan_name": "plan__name",
            "plan_slug": "plan__slug",
            "institution_name": "institution__name",
            "role": "role",
        },
    )


def export(user) -> dict:
    return {"joint_plan_bodies": _bodies(user)}


OFFICIAL_RECORDS = [
    OfficialRecord(
        "joint_plans_created",
        JointPlan,
        person="created_by",
        values={"plan_name": "name", "plan_slug": "slug", "at": "created_at"},
        order="created_at",
    ),
    OfficialRecord(
        "joint_plan_actions_proposed",
        Action,
        person="created_by",
        values={"plan_slug": "plan__slug", "title": "title", "at": "created_at"},
        order="created_at",
    ),
    OfficialRecord(
        "joint_plan_rounds_opened",
        Round,
        person="opened_by",
        values={"plan_slug": "plan__slug", "title": "title", "at": "opened_at"},
        order="opened_at",
    ),
]


def register() -> None:
    personal_data.register("joint_planning", export=export, official_records=OFFICIAL_RECORDS)
