"""Open data: the files of commitments, milestones and a plan's reasoned-response register, and
what their columns hold.

Each file's columns are one list of `Column` (name, description, getter): the writers of
`ogp_platform.opendata` write them, and the open-data page lists them, so the files and their
documentation cannot drift apart. Column names are stable: add columns, never rename them.

Every export is one query for its rows, streamed in chunks, whatever the number of rows: the
multi-valued columns (policy areas, institutions, organisations) are read by subqueries of that
one query instead of prefetches (which `iterator()` runs again for every chunk). A plan's JSON
file walks its commitments and its milestones side by side, two queries in the same order.

Codes (statuses, completion levels, dispositions) are written as codes, not as labels, and
names as they are stored: a file says the same in every interface language.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from action_plans.models import ActionPlan
from action_plans.policies import can_view_plan
from ogp_platform.members.models import Member, Region
from ogp_platform.opendata import Column, joined_values, record, split_values
from participation.models import Input
from participation.selectors import content_type_of, register_inputs
from participation.services.register import space_children

from .explorer import commitment_explorer
from .models import Commitment, Completion, DatePrecision, Milestone

# Rows fetched from the database at a time (a server-side cursor on PostgreSQL).
CHUNK_SIZE = 2000


@dataclass
class ExportContext:
    """What the getters need besides the row: the site's address (links in the files are
    absolute), the plan of a plan's files, and what a register's inputs were taken into."""

    base_url: str
    plan: ActionPlan | None = None
    taken_into: dict = field(default_factory=dict)

    @classmethod
    def of(cls, request, plan: ActionPlan | None = None) -> "ExportContext":
        return cls(base_url=request.build_absolute_uri("/").rstrip("/"), plan=plan)

    def absolute(self, path: str) -> str:
        return f"{self.base_url}{path}"


def _read(path: str):
    """A getter reading an attribute (dotted for related objects) of the row."""
    getter = attrgetter(path)
    return lambda row, context: getter(row)


def _codes(choices) -> str:
    return ", ".join(value for value, _label in choices)


def _one_of(text, choices):
    return format_lazy(
        "{text} {one_of} {codes}.", text=text, one_of=_("One of:"), codes=_codes(choices)
    )


def _name_or_none(path: str):
    getter = attrgetter(path)

    def get(row, context):
        related = getter(row)
        return related.name if related is not None else None

    return get


# --- Commitments ------------------------------------------------------------------------------


COMMITMENT_COLUMNS = [
    Column(
        "commitment_id",
        _(
            "The commitment's id in OGP's form: the member's code (alpha-2 country code, or a "
            "local member's three letters) and a number, e.g. LV0047 or MAD0005."
        ),
        _read("identifier"),
    ),
    Column(
        "commitment_number",
        _("The number in the commitment id: never reused by the member."),
        _read("number"),
    ),
    Column(
        "plan_id",
        _("The action plan's id in OGP's form, e.g. AP_LVA05."),
        _read("plan.identifier"),
    ),
    Column("plan_title", _("The action plan's title."), _read("plan.title")),
    Column(
        "plan_status",
        _one_of(_("Where the action plan is in its cycle."), ActionPlan.Status.choices),
        _read("plan.status"),
    ),
    Column("plan_start_date", _("The first day of the action plan."), _read("plan.start_date")),
    Column("plan_end_date", _("The last day of the action plan."), _read("plan.end_date")),
    Column(
        "member",
        _(
            "The OGP member (national or local government) whose plan it is, by its name in "
            "English in every language, so that files read the same wherever they are "
            "downloaded: the pages name countries in the reader's language, and the country "
            "column identifies them by code."
        ),
        # The stored (English) name, never `localised_name`: data must not vary with the
        # language of whoever downloads it.
        _read("plan.member.name"),
    ),
    Column(
        "member_kind",
        _one_of(_("The kind of member."), Member.Kind.choices),
        _read("plan.member.kind"),
    ),
    Column(
        "country",
        _("The member's country, as an ISO 3166-1 alpha-2 code (e.g. LV)."),
        _read("plan.member.country"),
    ),
    Column(
        "region",
        _one_of(_("OGP's region of the member."), Region.choices),
        _read("plan.member.region"),
    ),
    Column("title", _("The commitment's title."), _read("title")),
    Column(
        "short_title",
        _("A short title for tables and lists (may be empty)."),
        _read("short_title"),
    ),
    Column(
        "problem",
        _("OGP template: the problem the commitment addresses."),
        _read("problem"),
    ),
    Column(
        "status_quo",
        _("OGP template: the situation today, and what has been tried before."),
        _read("status_quo"),
    ),
    Column(
        "description",
        _("OGP template: what will be done, and the expected result."),
        _read("description"),
    ),
    Column(
        "contribution",
        _("OGP template: how the commitment will contribute to solving the problem."),
        _read("contribution"),
    ),
    Column(
        "values_relevance",
        _("OGP template: how the commitment is relevant to OGP's values."),
        _read("values_relevance"),
    ),
    Column(
        "value_access_to_information",
        _("OGP value: access to information (true or false)."),
        _read("value_access_to_information"),
    ),
    Column(
        "value_civic_participation",
        _("OGP value: civic participation (true or false)."),
        _read("value_civic_participation"),
    ),
    Column(
        "value_public_accountability",
        _("OGP value: public accountability (true or false)."),
        _read("value_public_accountability"),
    ),
    Column(
        "value_technology_innovation",
        _("OGP value: technology and innovation for openness and accountability (true or false)."),
        _read("value_technology_innovation"),
    ),
    Column(
        "policy_areas",
        _("OGP policy areas, by their English names, in alphabetical order. Multi-valued."),
        lambda commitment, context: split_values(commitment.policy_area_names),
    ),
    Column(
        "lead_institution",
        _("The government body that leads the commitment."),
        _name_or_none("lead_institution"),
    ),
    Column(
        "supporting_institutions",
        _("Other government bodies involved, in alphabetical order. Multi-valued."),
        lambda commitment, context: split_values(commitment.supporting_institution_names),
    ),
    Column(
        "supporting_organisations",
        _(
            "Civil-society, private-sector and academic organisations involved, in alphabetical "
            "order. Multi-valued."
        ),
        lambda commitment, context: split_values(commitment.supporting_organisation_names),
    ),
    Column("start_date", _("When the commitment starts."), _read("start_date")),
    Column(
        "start_date_precision",
        _one_of(
            _(
                "How much of start_date is known: for a month or a year (dates imported from "
                "OGP's dataset often are), start_date is the period's first day."
            ),
            DatePrecision.choices,
        ),
        _read("start_date_precision"),
    ),
    Column("end_date", _("When the commitment ends."), _read("end_date")),
    Column(
        "end_date_precision",
        _one_of(
            _("How much of end_date is known: for a month or a year, end_date is its last day."),
            DatePrecision.choices,
        ),
        _read("end_date_precision"),
    ),
    Column(
        "budget",
        _("The commitment's budget, a decimal number with a point (empty when not given)."),
        _read("budget"),
    ),
    Column(
        "budget_currency",
        _("The budget's currency, an ISO 4217 code (e.g. EUR)."),
        _read("budget_currency"),
    ),
    Column(
        "status",
        _one_of(_("The commitment's status."), Commitment.Status.choices),
        _read("status"),
    ),
    Column(
        "completion",
        _one_of(
            _("The latest completion level reported by the government; empty until reported."),
            Completion.choices,
        ),
        _read("completion"),
    ),
    Column(
        "milestone_count",
        _("How many milestones the commitment has."),
        _read("milestone_count"),
    ),
    Column(
        "url",
        _("The commitment's page on this platform."),
        lambda commitment, context: context.absolute(commitment.get_absolute_url()),
    ),
    Column(
        "updated_at",
        _("When the commitment was last changed (UTC)."),
        _read("updated_at"),
    ),
]


def _with_export_columns(commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
    """The commitments with what their columns read, in the same one query."""
    milestone_count = (
        Milestone.objects.filter(commitment=OuterRef("pk"))
        .order_by()
        .values("commitment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        commitments.select_related("plan", "plan__member", "lead_institution")
        .prefetch_related(None)
        .annotate(
            policy_area_names=joined_values(
                Commitment.policy_areas.through.objects,
                outer="commitment",
                field="policyarea__name",
            ),
            supporting_institution_names=joined_values(
                Commitment.supporting_institutions.through.objects,
                outer="commitment",
                field="institution__name",
            ),
            supporting_organisation_names=joined_values(
                Commitment.partner_organisations.through.objects,
                outer="commitment",
                field="organisation__name",
            ),
            milestone_count=Coalesce(Subquery(milestone_count, output_field=IntegerField()), 0),
        )
    )


def explorer_commitments(*, user, filters: dict) -> Iterator[Commitment]:
    """The commitment explorer's result for these filters (`ExplorerFilterForm.filters()`), in
    the explorer's order, as the user may see it (drafts only for their teams)."""
    rows = _with_export_columns(commitment_explorer(user=user, **filters))
    return rows.iterator(chunk_size=CHUNK_SIZE)


def _plan_commitments(plan: ActionPlan) -> QuerySet[Commitment]:
    # The order of the plan page; `pk` last makes the order total, for the walk side by side.
    return Commitment.objects.filter(plan=plan).order_by("position", "number", "pk")


def plan_commitments(plan: ActionPlan) -> Iterator[Commitment]:
    """The plan's commitments in the plan's order."""
    return _with_export_columns(_plan_commitments(plan)).iterator(chunk_size=CHUNK_SIZE)


# --- Milestones ------------------------------------------------------------------------------


MILESTONE_COLUMNS = [
    Column(
        "plan_id",
        _("The action plan's id, e.g. AP_LVA05."),
        lambda milestone, context: context.plan.identifier,
    ),
    Column(
        "commitment_id",
        _("The id of the milestone's commitment (the commitments file's commitment_id)."),
        _read("commitment.identifier"),
    ),
    Column(
        "milestone_id",
        _("The milestone's number on this platform: stable, unique across all plans."),
        _read("pk"),
    ),
    Column(
        "milestone_number",
        _("The milestone's place in its commitment: 1 for the first."),
        _read("ordinal"),
    ),
    Column("title", _("What the milestone is."), _read("title")),
    Column(
        "expected_output",
        _("The deliverable someone can check."),
        _read("expected_output"),
    ),
    Column(
        "responsible_institution",
        _("The government body responsible for the milestone."),
        _name_or_none("responsible_institution"),
    ),
    Column("start_date", _("When work on the milestone starts."), _read("start_date")),
    Column("end_date", _("When the milestone is due."), _read("end_date")),
    Column(
        "completion",
        _one_of(_("How far the milestone is completed."), Completion.choices),
        _read("completion"),
    ),
    Column(
        "url",
        _("The milestone on its commitment's page."),
        lambda milestone, context: context.absolute(milestone.get_absolute_url()),
    ),
]


def _numbered(milestones: Iterable[Milestone]) -> Iterator[Milestone]:
    """The milestones (grouped by commitment, in order), each with its `ordinal` in its
    commitment."""
    current, ordinal = None, 0
    for milestone in milestones:
        if milestone.commitment_id != current:
            current, ordinal = milestone.commitment_id, 0
        ordinal += 1
        milestone.ordinal = ordinal
        yield milestone


def plan_milestones(plan: ActionPlan) -> Iterator[Milestone]:
    """The milestones of the plan's commitments, by commitment in the plan's order, then in
    each commitment's order."""
    milestones = (
        Milestone.objects.filter(commitment__plan=plan)
        .select_related("commitment", "responsible_institution")
        .order_by("commitment__position", "commitment__number", "commitment_id", "position", "pk")
    )
    return _numbered(milestones.iterator(chunk_size=CHUNK_SIZE))


def plan_commitment_records(plan: ActionPlan, context: ExportContext) -> Iterator[dict]:
    """The plan's commitments as JSON objects, each with its `milestones` (a list of objects
    with the milestones file's columns). Walks the commitments and the milestones side by side:
    both come in the plan's order, so a commitment's milestones come right after it."""
    milestones = plan_milestones(plan)
    pending = next(milestones, None)

    def place(commitment) -> tuple:
        return (commitment.position, commitment.number, commitment.pk)

    for commitment in plan_commitments(plan):
        own = []
        # A milestone of a commitment that is not in the list (a row changed between the two
        # queries) is skipped rather than given to the wrong commitment.
        while pending is not None and place(pending.commitment) <= place(commitment):
            if pending.commitment_id == commitment.pk:
                own.append(record(MILESTONE_COLUMNS, pending, context))
            pending = next(milestones, None)
        yield {**record(COMMITMENT_COLUMNS, commitment, context), "milestones": own}


# --- The reasoned-response register ------------------------------------------------------------

# As on the public report "How input was considered": the text of a comment a moderator hid or
# its author deleted is not published, nor is a response before it is given.
COMMENT_PUBLISHED, COMMENT_HIDDEN, COMMENT_DELETED = "published", "hidden", "deleted"


def _comment_status(item: Input, context) -> str:
    if item.comment_id is None:
        return ""
    if item.comment.is_deleted:
        return COMMENT_DELETED
    if item.comment.is_hidden:
        return COMMENT_HIDDEN
    return COMMENT_PUBLISHED


def _text(item: Input, context) -> str:
    if item.comment_id is None:
        return item.text
    return item.comment.body if _comment_status(item, context) == COMMENT_PUBLISHED else ""


def _moderation_reason(item: Input, context) -> str:
    if _comment_status(item, context) == COMMENT_HIDDEN:
        return item.comment.hidden_reason
    return ""


def _contributor_name(item: Input, context) -> str:
    if item.comment_id is not None:
        return item.comment.author.get_full_name()
    return item.author_name


def _organisation(item: Input, context) -> str:
    if item.comment_id is not None:
        organisation = item.comment.organisation
        return organisation.name if organisation is not None else ""
    return item.organisation_name


def _organisation_verified(item: Input, context) -> bool | None:
    if item.comment_id is None or item.comment.organisation_id is None:
        return None
    return item.comment.organisation.verified


def _official_member(item: Input, context) -> str:
    if item.comment_id is None or item.comment.official_member_id is None:
        return ""
    return item.comment.official_member.name


def _responded(getter):
    """The getter's value once the input has its response, else nothing."""

    def get(item: Input, context):
        return None if item.disposition == Input.Disposition.PENDING else getter(item, context)

    return get


def _taken_into(item: Input, context):
    if item.taken_into_id is None:
        return None
    return context.taken_into.get((item.taken_into_type_id, item.taken_into_id))


REGISTER_COLUMNS = [
    Column(
        "plan_id",
        _("The action plan's id, e.g. AP_LVA05."),
        lambda item, context: context.plan.identifier,
    ),
    Column(
        "input_number",
        _("The input's number, as on the register (“Input no. 12”)."),
        _read("pk"),
    ),
    Column("received_on", _("When the input was received."), _read("received_on")),
    Column(
        "source",
        _one_of(_("Where the input came from."), Input.Source.choices),
        _read("source"),
    ),
    Column(
        "contributor_name",
        _(
            "Who wrote it: the public name of the comment's author, or the person named for an "
            "input received outside the platform (often empty)."
        ),
        _contributor_name,
    ),
    Column(
        "organisation",
        _("The organisation the contributor spoke for (may be empty)."),
        _organisation,
    ),
    Column(
        "contributor_kind",
        _one_of(
            _("For inputs received outside the platform: the kind of contributor."),
            Input.OrganisationKind.choices,
        ),
        lambda item, context: item.organisation_kind if item.comment_id is None else "",
    ),
    Column(
        "comment_status",
        _(
            "For comments: published, hidden (by a moderator) or deleted (by its author). The "
            "text of a hidden or deleted comment is not published. Empty for inputs received "
            "outside the platform."
        ),
        _comment_status,
    ),
    Column(
        "text",
        _("What was said: the comment, or the input received outside the platform."),
        _text,
    ),
    Column(
        "moderation_reason",
        _("Why a moderator hid the comment (only for hidden comments)."),
        _moderation_reason,
    ),
    Column(
        "comment_url",
        _("For comments: the comment in its thread on this platform."),
        lambda item, context: (
            context.absolute(reverse("participation:register_comment", args=[item.comment_id]))
            if item.comment_id is not None
            else ""
        ),
    ),
    Column(
        "disposition",
        _one_of(_("The government's response."), Input.Disposition.choices),
        _read("disposition"),
    ),
    Column(
        "reason",
        _("The reason the government gave for its response (empty while pending)."),
        _responded(lambda item, context: item.reason),
    ),
    Column(
        "merged_into_input_number",
        _("For a merged input: the input_number of the input that carries the response."),
        _responded(lambda item, context: item.merged_into_id),
    ),
    Column(
        "taken_into_commitment_id",
        _("For an accepted or partially accepted input: the commitment it was taken into."),
        _responded(lambda item, context: getattr(_taken_into(item, context), "identifier", None)),
    ),
    Column(
        "taken_into_url",
        _("The page of that commitment."),
        _responded(
            lambda item, context: (
                context.absolute(commitment.get_absolute_url())
                if (commitment := _taken_into(item, context)) is not None
                else None
            )
        ),
    ),
    Column(
        "responded_on",
        _("When the government responded (the latest response, if it changed)."),
        _responded(
            lambda item, context: (
                timezone.localdate(item.responded_at) if item.responded_at else None
            )
        ),
    ),
    Column(
        "organisation_verified",
        _(
            "For a comment written for an organisation of this platform: whether the OGP "
            "support unit verified the organisation (true or false). Empty otherwise."
        ),
        _organisation_verified,
    ),
    Column(
        "official_member",
        _(
            "For a comment written by one of the member's officers, on the member's own plan: "
            "the member (its name in English), whose official mark the comment carries. Empty "
            "otherwise."
        ),
        _official_member,
    ),
]


def register_context(request, plan: ActionPlan) -> ExportContext:
    """The context of a register's files: what its inputs can have been taken into (the plan's
    commitments, read once)."""
    context = ExportContext.of(request, plan)
    context.taken_into = {
        (content_type_of(child).pk, child.pk): child for child in space_children(plan)
    }
    return context


def plan_register(plan: ActionPlan) -> Iterator[Input]:
    """Every input of the plan's register, in the order received, with what the columns read."""
    inputs = register_inputs(plan).prefetch_related(None).order_by("received_on", "pk")
    return inputs.iterator(chunk_size=CHUNK_SIZE)


# --- Plans, files and their documentation ------------------------------------------------------


def visible_plan(*, user, identifier: str) -> ActionPlan | None:
    """The plan with its member, or None when it does not exist for this user."""
    plan = ActionPlan.objects.select_related("member").filter(identifier=identifier).first()
    if plan is None or not can_view_plan(user, plan):
        return None
    return plan


def plan_metadata(plan: ActionPlan, context: ExportContext) -> dict:
    return {
        "plan": {
            "plan_id": plan.identifier,
            "title": plan.title,
            "member": plan.member.name,
            "status": plan.status,
            "url": context.absolute(plan.get_absolute_url()),
        }
    }


@dataclass(frozen=True)
class OpenDataFile:
    """One kind of file, for the documentation page."""

    slug: str
    title: str
    description: str
    columns: list[Column]


def files() -> list[OpenDataFile]:
    return [
        OpenDataFile(
            "commitments",
            _("Commitments"),
            _(
                "One row per commitment. The commitment explorer's current result (every filter "
                "and the search apply), or one action plan's commitments. In JSON, a plan's "
                "commitments each have their milestones in a list, “milestones”, with the "
                "columns of the milestones file."
            ),
            COMMITMENT_COLUMNS,
        ),
        OpenDataFile(
            "milestones",
            _("Milestones"),
            _("One row per milestone of one action plan's commitments, in the plan's order."),
            MILESTONE_COLUMNS,
        ),
        OpenDataFile(
            "register",
            _("Reasoned-response register"),
            _(
                "One row per input of one action plan's register (OGP Participation and "
                "Co-Creation Standard 4): comments made on the platform and inputs received "
                "outside it, with the government's response. Exactly what the public report "
                "“How input was considered” shows."
            ),
            REGISTER_COLUMNS,
        ),
    ]
