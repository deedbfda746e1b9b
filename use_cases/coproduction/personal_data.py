"""What the co-production core holds about a person (see `ogp_platform.accounts.personal_data`).

In their data export: the teams they are in (with the process, the team's role and kind) and
their ratings of enablers (stars and comment). As official records: the processes they created,
the resources they added to tasks, the amendments of rules they made and the schemas they saved
from a process.

When they delete their account:
- they leave every team (and so its group, and the rights granted to it); the teams' history
  keeps that they belonged, and when, as the process's record;
- their ratings keep their stars, linked to no name, so that an enabler's average and count do
  not change after the fact (as votes stay); the comments of their ratings are erased, as words
  written outside any public record of a consultation;
- what they did for a process stays, signed "Deleted participant": the processes they created,
  the resources they added, the amendments they made, the schemas they saved.

Registered in `CoproductionConfig.ready()`. The export reads two queries whatever the number of
records.
"""

from ogp_platform import pagecache
from ogp_platform.accounts import personal_data
from ogp_platform.accounts.personal_data import OfficialRecord

from .models import EnablerRating, GovernanceAmendment, Process, Resource, Schema, Team
from .page_scopes import CATALOGUE


def _teams(user) -> list[dict]:
    return personal_data.values(
        Team.objects.filter(people=user).order_by("process__created_at", "process_id", "pk"),
        {
            "process_name": "process__name",
            "process_slug": "process__slug",
            "team": "name",
            "kind": "kind",
            "role": "role",
        },
    )


def _ratings(user) -> list[dict]:
    return personal_data.values(
        EnablerRating.objects.filter(user=user).order_by("created_at", "pk"),
        {
            "enabler_key": "enabler__key",
            "stars": "stars",
            "comment": "comment",
            "created_at": "created_at",
            "updated_at": "updated_at",
        },
    )


def export(user) -> dict:
    return {"coproduction_teams": _teams(user), "enabler_ratings": _ratings(user)}


OFFICIAL_RECORDS = [
    OfficialRecord(
        "coproduction_processes_created",
        Process,
        person="created_by",
        values={"process_name": "name", "process_slug": "slug", "at": "created_at"},
        order="created_at",
    ),
    OfficialRecord(
        "coproduction_resources_added",
        Resource,
        person="created_by",
        values={
            "process_slug": "task__process__slug",
            "task_name": "task__name",
            "kind": "kind",
            "title": "title",
            "at": "created_at",
        },
        order="created_at",
    ),
    OfficialRecord(
        "coproduction_rules_amended",
        GovernanceAmendment,
        person="amended_by",
        values={
            "process_slug": "governance__process__slug",
            "reason": "reason",
            "at": "amended_at",
        },
        order="amended_at",
    ),
    OfficialRecord(
        "coproduction_schemas_saved",
        Schema,
        person="created_by",
        values={"schema_key": "key", "at": "created_at"},
        order="created_at",
    ),
]


def forget(user) -> None:
    for team in Team.objects.filter(people=user).select_related("group"):
        # One by one, so that each team's history records the departure.
        team._history_user = user
        team.people.remove(user)
        team.group.user_set.remove(user)
    if EnablerRating.objects.filter(user=user).exclude(comment="").update(comment=""):
        # An update sends no signal: the enablers' pages, which show the comments, are told.
        pagecache.changed(CATALOGUE)


def register() -> None:
    personal_data.register(
        "coproduction", export=export, official_records=OFFICIAL_RECORDS, forget=forget
    )
