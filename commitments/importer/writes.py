"""The commitments, their links (policy areas, supporting institutions), the institutions they
name, the members' numbering and the assessments: matched on ids, written in bulk."""

from simple_history.utils import bulk_create_with_history

from action_plans import services as plan_services
from action_plans.models import ActionPlan
from ogp_platform.members.models import Institution, Member

from ..models import (
    Assessment,
    Commitment,
    CommitmentNumbering,
    OgpValue,
    ProgressReport,
)
from ..services import ASSESSMENT_FIELDS, _search_document
from .rows import MemberKey, Row
from .state import (
    BATCH,
    ImportState,
    changed_fields,
    chunks,
    save_changes,
    skip_row,
    snapshot,
)

# The commitment fields the importer writes (and compares, to tell updated from unchanged).
COMMITMENT_FIELDS = [
    "plan",
    "position",
    "title",
    "short_title",
    "description",
    *(f"value_{value}" for value in OgpValue),
    "lead_institution",
    "start_date",
    "start_date_precision",
    "end_date",
    "end_date_precision",
    "completion",
    "search_document",
    "policy_areas_record",
    "supporting_institutions_record",
]


def _attnames(fields):
    return [Commitment._meta.get_field(name).attname for name in fields]


def existing_commitments(
    state: ImportState, rows: list[Row], members: dict[MemberKey, Member]
) -> tuple[dict[str, Commitment], list[Row]]:
    """The commitments already there, by id. One in another member's plan, or in a plan being
    written on the platform, is not touched: its row is skipped."""
    existing: dict[str, Commitment] = {}
    for chunk in chunks([row.identifier for row in rows]):
        for commitment in Commitment.objects.filter(identifier__in=chunk).select_related(
            "plan", "plan__member"
        ):
            existing[commitment.identifier] = commitment
    kept = []
    for row in rows:
        commitment = existing.get(row.identifier)
        if commitment is not None:
            if commitment.plan.member_id != members[row.member.key].pk:
                skip_row(
                    state,
                    row,
                    "commitment_of_other_member",
                    identifier=row.identifier,
                    plan=commitment.plan.identifier,
                )
                continue
            if commitment.plan.status in ActionPlan.EDITABLE:
                skip_row(state, row, "plan_being_written", plan=commitment.plan.identifier)
                continue
        kept.append(row)
    return existing, kept


def set_positions(rows: list[Row]) -> None:
    """Commitments are ordered in their plan by their `Commitment Number`."""
    by_plan: dict[str, list[Row]] = {}
    for row in rows:
        by_plan.setdefault(row.plan.identifier, []).append(row)
    for plan_rows in by_plan.values():
        plan_rows.sort(key=lambda row: (row.sort_key, row.number))
        for position, row in enumerate(plan_rows, start=1):
            row.position = min(position, 32767)


def resolve_institutions(
    state: ImportState, rows: list[Row], members: dict[MemberKey, Member]
) -> dict[tuple[int, str], Institution]:
    """The lead and supporting institutions, by (member, name in any case): found among the
    member's institutions or created."""
    wanted: dict[tuple[int, str], tuple[Member, str]] = {}
    for row in rows:
        member = members[row.member.key]
        for name in [row.lead, *row.supporting]:
            if name:
                wanted.setdefault((member.pk, name.casefold()), (member, name))
    institutions = {}
    if wanted:
        for institution in Institution.objects.filter(
            member_id__in={member_id for member_id, _name in wanted}
        ):
            institutions.setdefault(
                (institution.member_id, institution.name.casefold()), institution
            )
    missing = [
        Institution(member=member, name=name, kind=Institution.Kind.OTHER)
        for key, (member, name) in wanted.items()
        if key not in institutions
    ]
    if missing:
        for institution in bulk_create_with_history(
            missing, Institution, batch_size=BATCH, default_user=state.actor
        ):
            institutions[(institution.member_id, institution.name.casefold())] = institution
    return institutions


def bump_numbering(rows: list[Row], members: dict[MemberKey, Member]) -> None:
    """Keep each member's last commitment number at least the highest imported one, so ids
    handed out later on the platform never collide. The rows are locked like the drafting
    services lock them."""
    highest: dict[int, int] = {}
    for row in rows:
        member_id = members[row.member.key].pk
        highest[member_id] = max(highest.get(member_id, 0), row.commitment_number)
    if not highest:
        return
    numberings = {
        numbering.member_id: numbering
        for numbering in CommitmentNumbering.objects.select_for_update().filter(
            member_id__in=highest
        )
    }
    CommitmentNumbering.objects.bulk_create(
        [
            CommitmentNumbering(member_id=member_id, last_number=number)
            for member_id, number in highest.items()
            if member_id not in numberings
        ]
    )
    raised = []
    for member_id, numbering in numberings.items():
        if numbering.last_number < highest[member_id]:
            numbering.last_number = highest[member_id]
            raised.append(numbering)
    CommitmentNumbering.objects.bulk_update(raised, ["last_number"])


def existing_assessments(existing: dict[str, Commitment]) -> dict[int, Assessment]:
    found = {}
    for chunk in chunks([commitment.pk for commitment in existing.values()]):
        for assessment in Assessment.objects.filter(commitment_id__in=chunk):
            found[assessment.commitment_id] = assessment
    return found


def _links(through, other: str, ids: list[int]) -> dict[int, dict[int, int]]:
    """The stored links of the commitments: commitment id → {linked id: link row id}."""
    links: dict[int, dict[int, int]] = {}
    for chunk in chunks(ids):
        for pk, commitment_id, other_id in through.objects.filter(
            commitment_id__in=chunk
        ).values_list("pk", "commitment_id", other):
            links.setdefault(commitment_id, {})[other_id] = pk
    return links


def _merged_completion(row: Row, assessment: Assessment | None) -> str:
    end = row.assessment.get("completion_end") or (assessment.completion_end if assessment else "")
    midterm = row.assessment.get("completion_midterm") or (
        assessment.completion_midterm if assessment else ""
    )
    return end or midterm


def _apply_row(state, row, commitment, *, member, institutions, areas, supporting, reported):
    """Set the row's known values on the commitment (unknown cells keep what is stored)."""
    is_new = commitment.pk is None
    commitment.position = row.position
    commitment.title = row.title
    if row.short_title or is_new:
        commitment.short_title = row.short_title
    if row.description or is_new:
        commitment.description = row.description
    for value, known in row.values.items():
        if known is not None:
            setattr(commitment, f"value_{value}", known)
    if commitment.value_technology_innovation and not commitment.has_core_value:
        commitment.value_technology_innovation = False
        row.adjust("technology_without_core_value")
    if row.lead:
        commitment.lead_institution = institutions[(member.pk, row.lead.casefold())]
    if row.supporting:
        supporting.clear()
        supporting.update(institutions[(member.pk, name.casefold())].pk for name in row.supporting)
        supporting.discard(commitment.lead_institution_id)
    before = (commitment.start_date, commitment.start_date_precision)
    before_end = (commitment.end_date, commitment.end_date_precision)
    if row.start:
        commitment.start_date, commitment.start_date_precision = (
            row.start.value,
            row.start.precision,
        )
    if row.end:
        commitment.end_date, commitment.end_date_precision = row.end.value, row.end.precision
    if (
        commitment.start_date
        and commitment.end_date
        and commitment.end_date < commitment.start_date
    ):
        # The file's date contradicts the stored other one: keep what was stored.
        commitment.start_date, commitment.start_date_precision = before
        commitment.end_date, commitment.end_date_precision = before_end
        row.adjust(
            "dates_out_of_order",
            start=str(row.start.value if row.start else before[0]),
            end=str(row.end.value if row.end else before_end[0]),
        )
    for slug, known in row.policy_areas.items():
        if known is True:
            areas.add(state.area_ids[slug])
        elif known is False:
            areas.discard(state.area_ids[slug])
    if commitment.pk not in reported:
        # With no progress reported on the platform, the IRM's completion is the latest known.
        completion = _merged_completion(row, state.assessments.get(commitment.pk))
        if completion:
            commitment.completion = completion


def write_commitments(
    state, rows, members, plans, institutions, areas, existing, assessments
) -> dict[str, Commitment]:
    """Create the new commitments and update those that differ, in bulk, with their policy
    areas and supporting institutions; each change leaves a history row by the actor."""
    summary = state.summary
    state.area_ids = {area.slug: area.pk for area in areas}
    state.assessments = assessments
    area_labels = {area.pk: str(area.label) for area in areas}
    institution_names = {institution.pk: institution.name for institution in institutions.values()}
    areas_through = Commitment.policy_areas.through
    supporting_through = Commitment.supporting_institutions.through
    existing_ids = [commitment.pk for commitment in existing.values()]
    stored_areas = _links(areas_through, "policyarea_id", existing_ids)
    stored_supporting = _links(supporting_through, "institution_id", existing_ids)
    unnamed = {i for ids in stored_supporting.values() for i in ids} - set(institution_names)
    for chunk in chunks(list(unnamed)):
        institution_names.update(Institution.objects.filter(pk__in=chunk).values_list("pk", "name"))
    reported = set()
    for chunk in chunks(existing_ids):
        reported.update(
            ProgressReport.objects.filter(commitment_id__in=chunk).values_list(
                "commitment_id", flat=True
            )
        )
    attnames = _attnames(COMMITMENT_FIELDS)

    new, changed = [], []
    new_links: list[tuple[Commitment, set[int], set[int]]] = []
    area_rows, supporting_rows, unlinked_areas, unlinked_supporting = [], [], [], []
    touched_plans: set[int] = set()
    result: dict[str, Commitment] = {}
    for row in rows:
        member = members[row.member.key]
        plan = plans[row.plan.identifier]
        commitment = existing.get(row.identifier)
        if commitment is None:
            commitment = Commitment(
                number=row.commitment_number,
                identifier=row.identifier,
                created_at=state.now,
                updated_at=state.now,
            )
            before, area_links, supporting_links = None, {}, {}
        else:
            before = snapshot(commitment, attnames)
            area_links = stored_areas.get(commitment.pk, {})
            supporting_links = stored_supporting.get(commitment.pk, {})
        old_areas, old_supporting = set(area_links), set(supporting_links)
        commitment.plan = plan
        areas_now, supporting_now = set(old_areas), set(old_supporting)
        _apply_row(
            state,
            row,
            commitment,
            member=member,
            institutions=institutions,
            areas=areas_now,
            supporting=supporting_now,
            reported=reported,
        )
        commitment.policy_areas_record = "\n".join(sorted(area_labels[i] for i in areas_now))
        commitment.supporting_institutions_record = "\n".join(
            sorted(institution_names[i] for i in supporting_now)
        )
        commitment.search_document = _search_document(commitment)
        result[row.identifier] = commitment
        if before is None:
            new.append(commitment)
            new_links.append((commitment, areas_now, supporting_now))
            summary.count("commitments", "created")
            continue
        fields = changed_fields(commitment, before)
        if not fields and areas_now == old_areas and supporting_now == old_supporting:
            summary.count("commitments", "unchanged")
            continue
        commitment.updated_at = state.now
        changed.append((commitment, [*fields, "updated_at"]))
        touched_plans |= {commitment.plan_id, before["plan_id"]}
        summary.count("commitments", "updated")
        area_rows += [
            areas_through(commitment_id=commitment.pk, policyarea_id=i)
            for i in areas_now - old_areas
        ]
        supporting_rows += [
            supporting_through(commitment_id=commitment.pk, institution_id=i)
            for i in supporting_now - old_supporting
        ]
        unlinked_areas += [area_links[i] for i in old_areas - areas_now]
        unlinked_supporting += [supporting_links[i] for i in old_supporting - supporting_now]

    if new:
        saved = bulk_create_with_history(
            new, Commitment, batch_size=BATCH, default_user=state.actor
        )
        for commitment in saved:
            result[commitment.identifier] = commitment
    save_changes(Commitment, changed, state.actor)
    for commitment, areas_now, supporting_now in new_links:
        commitment_id = result[commitment.identifier].pk
        area_rows += [
            areas_through(commitment_id=commitment_id, policyarea_id=i) for i in areas_now
        ]
        supporting_rows += [
            supporting_through(commitment_id=commitment_id, institution_id=i)
            for i in supporting_now
        ]
    for through, ids in (
        (areas_through, unlinked_areas),
        (supporting_through, unlinked_supporting),
    ):
        for chunk in chunks(ids):
            through.objects.filter(pk__in=chunk).delete()
    areas_through.objects.bulk_create(area_rows, batch_size=BATCH)
    supporting_through.objects.bulk_create(supporting_rows, batch_size=BATCH)
    if touched_plans:
        # The plans changed (their commitments did): cached exports and pages key on this.
        plan_services.action_plans_touch(plan_ids=touched_plans, at=state.now)
    return result


# --- Assessments -----------------------------------------------------------------------------


def _relevant(row: Row, commitment: Commitment) -> bool | None:
    """Relevant to OGP's values when it serves at least one; not relevant when the row says
    it serves none; otherwise unknown."""
    if any(getattr(commitment, f"value_{value}") for value in OgpValue):
        return True
    if row.values and all(known is False for known in row.values.values()):
        return False
    return None


def write_assessments(state, rows, commitments, assessments) -> None:
    """Create or update the IRM's assessment of each row that carries one. Only the judgements
    the row knows are written; the rest stay as they are (unknown on a new assessment)."""
    summary = state.summary
    new, changed = [], []
    for row in rows:
        if not row.assessment:
            continue
        commitment = commitments[row.identifier]
        values = dict(row.assessment)
        relevant = _relevant(row, commitment)
        if relevant is not None:
            values["relevant"] = relevant
        assessment = assessments.get(commitment.pk)
        if assessment is None:
            new.append(
                Assessment(
                    commitment=commitment,
                    assessed_by=state.actor,
                    assessed_at=state.now,
                    **values,
                )
            )
            summary.count("assessments", "created")
            continue
        before = snapshot(assessment, ASSESSMENT_FIELDS)
        for name, value in values.items():
            setattr(assessment, name, value)
        fields = changed_fields(assessment, before)
        if not fields:
            summary.count("assessments", "unchanged")
            continue
        assessment.assessed_by = state.actor
        assessment.assessed_at = state.now
        changed.append((assessment, [*fields, "assessed_by", "assessed_at"]))
        summary.count("assessments", "updated")
    if new:
        bulk_create_with_history(new, Assessment, batch_size=BATCH, default_user=state.actor)
    save_changes(Assessment, changed, state.actor)
