"""What an import did: counts per kind of record and a note for every row skipped or adjusted.

Notes are stored as a message code and its parameters (JSON, on the import run) and put into
words when read, in the reader's language.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

KINDS = ("members", "plans", "commitments", "assessments")
OUTCOMES = ("created", "updated", "unchanged", "skipped")
KIND_LABELS = {
    "members": _("Members"),
    "plans": _("Action plans"),
    "commitments": _("Commitments"),
    "assessments": _("Assessments"),
}
OUTCOME_LABELS = {
    "created": _("created"),
    "updated": _("updated"),
    "unchanged": _("unchanged"),
    "skipped": _("skipped"),
}

# A note's level: the row was left out, or imported with something interpreted or left out,
# or a record was derived from it (a member or a plan created).
SKIPPED = "skipped"
ADJUSTED = "adjusted"
DERIVED = "derived"
LEVEL_LABELS = {SKIPPED: _("Skipped"), ADJUSTED: _("Adjusted"), DERIVED: _("Derived")}

MESSAGES = {
    # Rows skipped.
    "no_identifier": _("No commitment id: the row is skipped."),
    "bad_identifier": _(
        "The commitment id “%(value)s” is not in OGP's form (two or three letters and a "
        "number, at most eight characters): the row is skipped."
    ),
    "duplicate_identifier": _(
        "The commitment id %(identifier)s was already in row %(first_row)s: the row is skipped."
    ),
    "identifier_of_two_members": _(
        "The commitment id %(identifier)s is already %(other)s's, in row %(first_row)s: one id "
        "cannot belong to two members, so this row of %(member)s is skipped."
    ),
    "no_title": _("No commitment title: the row is skipped."),
    "row_not_readable": _("The row could not be read (%(error)s): it is skipped."),
    "no_plan_id": _("No action plan id: the row is skipped."),
    "bad_plan_id": _(
        "The action plan id “%(value)s” is not in OGP's form (e.g. AP_LVA02): the row is skipped."
    ),
    "kind_unknown": _("“%(value)s” is neither national nor local: the row is skipped."),
    "country_unknown": _(
        "No country recognised from the code “%(code)s” or the name “%(value)s”: the row is "
        "skipped."
    ),
    "local_code_unknown": _(
        "No three-letter code found for the local member “%(value)s”: the row is skipped."
    ),
    "region_unknown": _(
        "The region “%(value)s” is not one of OGP's, so the member cannot be created: the row "
        "is skipped."
    ),
    # Reports of runs before OGP's own prefixes were learnt still name it.
    "prefix_mismatch": _(
        "The commitment id %(identifier)s does not start with %(prefix)s, the prefix of "
        "%(member)s: the row is skipped."
    ),
    "plan_of_other_member": _(
        "The action plan %(plan)s belongs to %(member)s: the row is skipped."
    ),
    "plan_year_unknown": _(
        "The year of submission of %(plan)s is unknown, so its period cannot be derived: the "
        "row is skipped."
    ),
    "plan_number_unknown": _(
        "The number of the action plan %(plan)s is unknown: the row is skipped."
    ),
    "plan_number_taken": _(
        "%(member)s already has an action plan number %(sequence)s (%(other)s): the row is skipped."
    ),
    "plan_being_written": _(
        "The action plan %(plan)s is being written on the platform: the import does not change "
        "it, and the row is skipped."
    ),
    "commitment_of_other_member": _(
        "%(identifier)s already exists in %(plan)s, a plan of another member: the row is skipped."
    ),
    # Rows imported with something interpreted or left out.
    "not_a_date": _("%(column)s “%(value)s” is not a date: not recorded."),
    "ambiguous_month_first": _(
        "%(column)s: day and month are ambiguous in %(value)s: read month first, the dataset's "
        "convention."
    ),
    "ambiguous_day_first": _(
        "%(column)s: day and month are ambiguous in %(value)s: read day first, like the row's "
        "other date."
    ),
    "two_digit_year": _("%(column)s: the two-digit year in %(value)s is read as %(year)s."),
    "dates_out_of_order": _(
        "The end date %(end)s is before the start date %(start)s: neither is recorded."
    ),
    "flag_not_understood": _("%(column)s “%(value)s” is neither 1 nor 0: not recorded."),
    "value_not_understood": _(
        "%(column)s “%(value)s” is not one of the IRM's wordings: not recorded."
    ),
    "technology_without_core_value": _(
        "Technology and innovation is ticked without a core OGP value, which the platform does "
        "not allow: it is left out."
    ),
    "title_from_short_title": _("No commitment title: the short title is used as the title."),
    "text_cut": _("%(column)s is longer than %(limit)s characters: cut to that length."),
    "several_leads": _(
        "Several lead institutions: %(lead)s is recorded as the lead, the others as supporting "
        "institutions."
    ),
    "prefix_differs": _(
        "The id %(identifier)s does not start with %(prefix)s, the prefix of %(member)s (its "
        "ids in the file start with several prefixes): imported with this id."
    ),
    "plan_details_differ": _(
        "The row gives %(column)s “%(value)s” for %(plan)s, unlike row %(first_row)s: the first "
        "row's value is kept."
    ),
    # Records derived from the rows.
    "member_created": _("Member %(member)s created (%(kind)s, %(region)s)."),
    "parent_created": _(
        "National member %(member)s created as the parent of the local member %(local)s."
    ),
    "prefix_learned": _(
        "The commitment ids of %(member)s start with %(prefix)s in OGP's data, not "
        "%(default)s: %(prefix)s is recorded as its prefix, and commitments drafted on the "
        "platform continue with it."
    ),
    "prefix_kept": _(
        "The commitment ids of %(member)s start with %(prefix)s in the file, but its recorded "
        "prefix is %(current)s: the prefix is kept, and the rows are imported with their ids."
    ),
    "prefix_taken": _(
        "The commitment ids of %(member)s start with %(prefix)s, the prefix of %(other)s: "
        "%(member)s keeps %(current)s, and the rows are imported with their ids."
    ),
    "plan_created": _(
        "Action plan %(plan)s created and published: the period %(start_date)s – %(end_date)s "
        "is derived from the years %(years)s, the status “%(status)s” from these dates."
    ),
    "plan_created_length": _(
        "Action plan %(plan)s created and published: the period %(start_date)s – %(end_date)s "
        "is derived from the year of submission %(year)s and a length of %(length)s years (the "
        "end year is unknown), the status “%(status)s” from these dates."
    ),
    "policy_area_created": _(
        "Policy area %(area)s created for the column %(column)s: no area of the platform has "
        "this name, and rows tick it."
    ),
    "plan_period_differs": _(
        "The action plan %(plan)s exists with the period %(start_date)s – %(end_date)s; the "
        "file's years (%(years)s) are not applied to it."
    ),
}


def _render_param(name: str, value):
    if name.endswith("_date") and isinstance(value, str):
        try:
            return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    choices = _choices().get(name)
    if choices is not None:
        try:
            return choices(value).label
        except ValueError:
            return value
    return value


def _choices() -> dict:
    """Parameters stored as a choice's value, shown as its label in the reader's language."""
    from action_plans.models import ActionPlan
    from ogp_platform.members.models import Member, Region

    return {"status": ActionPlan.Status, "kind": Member.Kind, "region": Region}


@dataclass
class Note:
    """One remark on one row of the file. `row` counts records as a spreadsheet shows them
    (the header is row 1); `identifier` is the commitment's (or the plan's) id when known."""

    row: int | None
    identifier: str
    level: str
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        template = MESSAGES.get(self.code)
        if template is None:
            return self.code
        params = {name: _render_param(name, value) for name, value in self.params.items()}
        try:
            return str(template) % params
        except (KeyError, TypeError, ValueError):
            return str(template)

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS.get(self.level, self.level))

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "identifier": self.identifier,
            "level": self.level,
            "code": self.code,
            "params": self.params,
        }


@dataclass
class ImportSummary:
    """Counts of created, updated, unchanged and skipped records per kind, and the notes."""

    file_name: str = ""
    dry_run: bool = False
    rows: int = 0
    seconds: float = 0.0
    counts: dict = field(
        default_factory=lambda: {kind: dict.fromkeys(OUTCOMES, 0) for kind in KINDS}
    )
    notes: list[Note] = field(default_factory=list)
    # Columns besides the known ones: not read (`ignored_columns`), read as a policy area
    # (`policy_area_columns`: header → area slug; `policy_area_names`: slug → stored name;
    # `new_policy_areas`: slugs of the areas created), or flags that no row ticks and no area
    # of the platform is named like (`unmapped_columns`).
    ignored_columns: list[str] = field(default_factory=list)
    policy_area_columns: dict = field(default_factory=dict)
    policy_area_names: dict = field(default_factory=dict)
    new_policy_areas: list[str] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def note(self, row, identifier: str, level: str, code: str, /, **params) -> Note:
        note = Note(row, identifier or "", level, code, params)
        self.notes.append(note)
        return note

    @property
    def skipped_rows(self) -> int:
        return len({note.row for note in self.notes if note.level == SKIPPED})

    def table(self) -> list[dict]:
        """One line per kind: its label and counts, for pages and the command."""
        return [{"kind": kind, "label": KIND_LABELS[kind], **self.counts[kind]} for kind in KINDS]

    def area_columns(self) -> list[tuple[str, str, bool]]:
        """The policy-area columns as (header, the area's name in the reader's language,
        whether the import created the area)."""
        from ..taxonomy import POLICY_AREA_LABELS

        return [
            (
                header,
                str(POLICY_AREA_LABELS.get(slug) or self.policy_area_names.get(slug, slug)),
                slug in self.new_policy_areas,
            )
            for header, slug in self.policy_area_columns.items()
        ]

    def lines(self) -> list[str]:
        """The summary as plain text lines (the management command prints these)."""
        lines = []
        for entry in self.table():
            counts = ", ".join(
                f"{entry[outcome]} {OUTCOME_LABELS[outcome]}" for outcome in OUTCOMES
            )
            lines.append(f"{entry['label']}: {counts}")
        if self.policy_area_columns:
            names = ", ".join(
                f"{header} → {area}" + (f" ({OUTCOME_LABELS['created']})" if created else "")
                for header, area, created in self.area_columns()
            )
            lines.append(
                ngettext(
                    "%(count)s policy-area column: %(names)s",
                    "%(count)s policy-area columns: %(names)s",
                    len(self.policy_area_columns),
                )
                % {"count": len(self.policy_area_columns), "names": names}
            )
        if self.unmapped_columns:
            lines.append(
                ngettext(
                    "%(count)s flag column not mapped to a policy area (no row ticks it): "
                    "%(names)s",
                    "%(count)s flag columns not mapped to a policy area (no row ticks them): "
                    "%(names)s",
                    len(self.unmapped_columns),
                )
                % {"count": len(self.unmapped_columns), "names": ", ".join(self.unmapped_columns)}
            )
        if self.ignored_columns:
            lines.append(
                ngettext(
                    "%(count)s column ignored: %(names)s",
                    "%(count)s columns ignored: %(names)s",
                    len(self.ignored_columns),
                )
                % {"count": len(self.ignored_columns), "names": ", ".join(self.ignored_columns)}
            )
        for note in self.notes:
            where = _("row %(row)s") % {"row": note.row} if note.row else "-"
            ident = f" {note.identifier}" if note.identifier else ""
            lines.append(f"[{note.level_label}] {where}{ident}: {note.message}")
        return lines

    def as_dict(self) -> dict:
        return {
            "file_name": self.file_name,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "counts": self.counts,
            "notes": [note.as_dict() for note in self.notes],
            "ignored_columns": self.ignored_columns,
            "policy_area_columns": self.policy_area_columns,
            "policy_area_names": self.policy_area_names,
            "new_policy_areas": self.new_policy_areas,
            "unmapped_columns": self.unmapped_columns,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ImportSummary":
        summary = cls(
            file_name=data.get("file_name", ""),
            dry_run=data.get("dry_run", False),
            rows=data.get("rows", 0),
            seconds=data.get("seconds", 0.0),
            ignored_columns=list(data.get("ignored_columns", [])),
            policy_area_columns=dict(data.get("policy_area_columns", {})),
            policy_area_names=dict(data.get("policy_area_names", {})),
            new_policy_areas=list(data.get("new_policy_areas", [])),
            unmapped_columns=list(data.get("unmapped_columns", [])),
        )
        for kind in KINDS:
            summary.counts[kind].update(data.get("counts", {}).get(kind, {}))
        summary.notes = [
            Note(n.get("row"), n.get("identifier", ""), n["level"], n["code"], n.get("params", {}))
            for n in data.get("notes", [])
        ]
        return summary
