"""The import of the IRM dataset: what it creates, how it copes with messy rows, and that it
can run again, or as a dry run, without harm."""

import datetime

import pytest
from django.contrib.auth.models import Group

from action_plans.models import ActionPlan, PlanTransition
from commitments.importer import ImportFailed, import_commitments
from commitments.models import Assessment, Commitment, CommitmentNumbering, PolicyArea
from commitments.services import commitment_create
from ogp_platform.members.models import Institution, Member, MemberRole
from tests.factories import UserFactory
from tests.imports.dataset import BASE_ROW, HEADER, dataset_bytes, latvia, madrid, many_rows
from tests.members.factories import MemberFactory, MemberRoleFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def actor():
    return UserFactory(display_name="Irma Importer")


def run(rows, actor, **kwargs):
    options = {
        key: kwargs.pop(key) for key in ("header", "drop", "bom", "delimiter") if key in kwargs
    }
    return import_commitments(source=dataset_bytes(rows, **options), actor=actor, **kwargs)


def notes(summary, code=None):
    return [note for note in summary.notes if code is None or note.code == code]


def everything():
    return (
        Member.objects.count(),
        ActionPlan.objects.count(),
        Commitment.objects.count(),
        Assessment.objects.count(),
        Institution.objects.count(),
        Commitment.history.count(),
    )


# --- Members, plans, commitments -------------------------------------------------------------


def test_a_national_and_a_local_member_are_created_with_their_plans(actor):
    """ "Latvia" becomes a national member, "Madrid, Spain" a local one whose parent is Spain."""
    summary = run([latvia(), madrid()], actor)

    latvia_member = Member.objects.get(kind="national", country="LV")
    assert (latvia_member.name, latvia_member.country_alpha3) == ("Latvia", "LVA")
    assert latvia_member.region == "europe" and latvia_member.status == "active"
    spain = Member.objects.get(kind="national", country="ES")
    madrid_member = Member.objects.get(kind="local", local_code="MAD")
    assert madrid_member.name == "Madrid" and madrid_member.parent == spain
    assert summary.counts["members"] == {"created": 3, "updated": 0, "unchanged": 0, "skipped": 0}

    plan = ActionPlan.objects.get(identifier="AP_LVA02")
    assert plan.member == latvia_member and plan.sequence == 2
    assert (plan.start_date, plan.end_date) == (D(2015, 9, 1), D(2017, 8, 31))
    assert plan.status == ActionPlan.Status.ENDED and plan.is_public
    assert plan.created_by == actor
    transition = PlanTransition.objects.get(plan=plan)
    assert (transition.to_status, transition.actor) == ("ended", actor)
    assert "Imported" in transition.reason
    assert [n.params["plan"] for n in notes(summary, "plan_created")] == ["AP_LVA02", "AP_MAD01"]
    assert ActionPlan.objects.get(identifier="AP_MAD01").member == madrid_member


def test_titles_and_institution_names_arrive_as_one_line_of_visible_text(actor):
    """The forms refuse direction overrides, zero-width and control characters in titles and
    names; an imported cell cannot bring them in either (the rest of the text is kept)."""
    run(
        [
            latvia(
                **{
                    "Commitment Title": "Open\u202e budget\u200b data\tfor all",
                    "Short Title": "Open\u00ad budget",
                    "Lead Institution": "Ministry\u202e of Finance",
                }
            )
        ],
        actor,
    )
    commitment = Commitment.objects.get(identifier="LV0019")
    assert commitment.title == "Open budget data for all"
    assert commitment.short_title == "Open budget"
    assert commitment.lead_institution.name == "Ministry of Finance"


def test_an_existing_member_is_found_not_duplicated(actor):
    existing = MemberFactory(country="LV", name="Republic of Latvia")
    summary = run([latvia()], actor)
    assert Member.objects.filter(country="LV").count() == 1
    assert Commitment.objects.get().plan.member == existing
    assert summary.counts["members"]["unchanged"] == 1


def test_the_commitment_carries_the_rows_fields(actor):
    run([latvia()], actor)
    commitment = Commitment.objects.get(identifier="LV0019")
    assert commitment.number == 19
    assert commitment.title == "Publish the state budget as open data"
    assert commitment.short_title == "Open budget"
    assert commitment.description == BASE_ROW["Full Text"]
    assert commitment.lead_institution.name == "Ministry of Finance"
    assert commitment.lead_institution.member == commitment.plan.member
    assert sorted(i.name for i in commitment.supporting_institutions.all()) == [
        "State Chancellery",
        "Treasury",
    ]
    assert commitment.values == [
        "access_to_information",
        "public_accountability",
        "technology_innovation",
    ]
    assert sorted(a.slug for a in commitment.policy_areas.all()) == ["fiscal-openness", "open-data"]
    assert commitment.policy_areas_record == "Fiscal Openness\nOpen Data"
    assert (commitment.start_date, commitment.end_date) == (D(2015, 9, 1), D(2017, 6, 30))
    assert commitment.start_date_precision == commitment.end_date_precision == "day"
    # Searchable like commitments written on the platform; history by the importer.
    assert "LV0019" in commitment.search_document and "open data" in commitment.search_document
    assert commitment.history.get().history_user == actor


def test_policy_area_columns_match_the_taxonomy_by_name(actor):
    """ "Anti Corruption", "Gender", "E-Government" match their areas; a 1 links, 0 does not."""
    summary = run(
        [latvia(**{"Anti Corruption": "1", "Gender": "1", "E-Government": "1", "Open Data": "0"})],
        actor,
    )
    slugs = set(Commitment.objects.get().policy_areas.values_list("slug", flat=True))
    assert slugs == {"anti-corruption", "gender", "digital-governance", "fiscal-openness"}
    assert summary.policy_area_columns["Right To Information"] == "right-to-information"
    assert len(summary.policy_area_columns) == 10


def test_the_assessment_maps_the_irm_wordings(actor):
    run(
        [
            latvia(
                **{
                    "Specificity": "MEDIUM",
                    "Verifiable": "No",
                    "Potential Impact": "Transformative",
                    "Potential for Results": "Substantial",
                    "Completion (Progress Report)": "Not Started",
                    "Completion (End Of Term)": "ND",
                    "Did It Open Government (Overall)": "Did Not Change",
                    "Early Results": "The register is online.",
                }
            )
        ],
        actor,
    )
    assessment = Assessment.objects.get()
    assert assessment.specificity == "medium"
    assert assessment.verifiable is False
    assert assessment.potential_impact == "transformative"
    assert assessment.potential_for_results == "substantial"
    assert assessment.completion_midterm == "not_started"
    assert assessment.completion_end == ""  # ND stays unknown
    assert assessment.opened_government == "did_not_change"
    assert assessment.early_results == "The register is online."
    assert assessment.relevant is True  # it serves OGP values
    assert assessment.assessed_by == actor
    # Nothing reported on the platform: the IRM's completion is the commitment's.
    assert assessment.commitment.completion == "not_started"


def test_unknown_judgements_stay_empty_and_unrecognised_ones_are_noted(actor):
    summary = run(
        [latvia(**{"Specificity": "NR", "Potential Impact": "Huge", "Verifiable": "ND"})], actor
    )
    assessment = Assessment.objects.get()
    assert assessment.specificity == "" and assessment.potential_impact == ""
    assert assessment.verifiable is None
    (note,) = notes(summary, "value_not_understood")
    assert note.level == "adjusted" and note.row == 2 and note.identifier == "LV0019"
    assert "Huge" in note.message and "Potential Impact" in note.message


def test_a_row_without_assessment_data_creates_no_assessment(actor):
    empty = dict.fromkeys(
        [
            "Specificity",
            "Verifiable",
            "Potential Impact",
            "Completion (Progress Report)",
            "Completion (End Of Term)",
            "Did It Open Government (Overall)",
        ],
        "ND",
    )
    summary = run([latvia(**empty)], actor)
    assert not Assessment.objects.exists()
    assert summary.counts["assessments"]["created"] == 0


def test_multilingual_multi_paragraph_texts_arrive_intact(actor):
    latvian = (
        "Valsts kanceleja nodrošinās atklātību.\n\n"
        "Žurnālisti un sabiedrība varēs sekot līdzi, kā tiek izlietoti līdzekļi."
    )
    spanish = (
        "El Ayuntamiento abrirá los datos.\n\nLa participación de la ciudadanía, año tras año."
    )
    italian = "La città pubblicherà i dati.\n\nCosì l'attività sarà più trasparente."
    run(
        [
            latvia(**{"Full Text": latvian, "Commitment Title": "Atklātība pašvaldībās"}),
            madrid(**{"Full Text": spanish, "Lead Institution": "Área de Gobierno"}),
            {
                "Commitment Unique Identifier": "IT0031",
                "Country/Locality": "Italy",
                "Action Plan ID": "AP_ITA04",
                "Action Plan Number": "4",
                "Code": "ITA",
                "Full Text": italian,
                "Commitment Title": "Trasparenza dell'attività amministrativa",
            },
        ],
        actor,
        bom=True,
    )
    assert Commitment.objects.get(identifier="LV0019").description == latvian
    assert Commitment.objects.get(identifier="LV0019").title == "Atklātība pašvaldībās"
    assert Commitment.objects.get(identifier="MAD0005").description == spanish
    assert Commitment.objects.get(identifier="MAD0005").lead_institution.name == "Área de Gobierno"
    assert Commitment.objects.get(identifier="IT0031").description == italian


def test_the_file_may_come_without_a_byte_order_mark_and_with_semicolons(actor):
    run([latvia()], actor, delimiter=";")
    commitment = Commitment.objects.get()
    assert commitment.title == BASE_ROW["Commitment Title"]
    assert commitment.supporting_institutions.count() == 2


# --- Dates -----------------------------------------------------------------------------------


def test_dates_keep_their_precision(actor):
    summary = run(
        [
            latvia("LV0019", **{"Start Date": "July 2015", "End Date": "2017"}),
            latvia("LV0020", **{"Start Date": "1/10/2015", "End Date": "31/12/2016"}),
            latvia("LV0021", **{"Start Date": "Permanent activity", "End Date": "NA"}),
            latvia("LV0022", **{"Start Date": "", "End Date": "ND"}),
        ],
        actor,
    )
    first, second, third, fourth = Commitment.objects.order_by("identifier")
    assert (first.start_date, first.start_date_precision) == (D(2015, 7, 1), "month")
    assert (first.end_date, first.end_date_precision) == (D(2017, 12, 31), "year")
    # Day first, like the row's 31/12/2016.
    assert (second.start_date, second.end_date) == (D(2015, 10, 1), D(2016, 12, 31))
    assert notes(summary, "ambiguous_day_first")[0].identifier == "LV0020"
    assert third.start_date is None and third.end_date is None
    (permanent,) = notes(summary, "not_a_date")
    assert (permanent.identifier, permanent.level) == ("LV0021", "adjusted")
    assert "Permanent activity" in permanent.message
    assert fourth.start_date is None
    assert not [n for n in summary.notes if n.identifier == "LV0022"]


def test_dates_in_the_wrong_order_are_left_out(actor):
    summary = run([latvia(**{"Start Date": "12/31/2017", "End Date": "1/31/2016"})], actor)
    commitment = Commitment.objects.get()
    assert commitment.start_date is None and commitment.end_date is None
    assert notes(summary, "dates_out_of_order")


# --- Bad rows and files ----------------------------------------------------------------------


def test_a_missing_required_column_stops_the_import_before_anything_is_written(actor):
    before = everything()
    with pytest.raises(ImportFailed, match="Action Plan ID"):
        run([latvia(), madrid()], actor, drop=["Action Plan ID"])
    assert everything() == before


def test_a_file_that_is_not_utf8_is_refused(actor):
    data = dataset_bytes([latvia(**{"Full Text": "Ā"})]).decode().encode("utf-16")
    with pytest.raises(ImportFailed, match="UTF-8"):
        import_commitments(source=data, actor=actor)
    assert not Commitment.objects.exists()


def test_unknown_columns_are_ignored_and_listed(actor):
    """Columns that are neither known nor flags are listed as ignored. (A column whose cells
    are all flags names a policy area: see test_policy_areas.)"""
    summary = run(
        [latvia(**{"Theme": "Budget", "IRM Researcher Notes": "See the 2018 report."})], actor
    )
    assert summary.ignored_columns == ["URL", "Theme", "IRM Researcher Notes"]
    assert Commitment.objects.count() == 1


def test_column_names_match_whatever_their_case_and_order(actor):
    header = [name.upper() for name in reversed(HEADER)]
    rows = [{name.upper(): value for name, value in {**BASE_ROW, **latvia()}.items()}]
    summary = run(rows, actor, header=header)
    assert summary.counts["commitments"]["created"] == 1


def test_a_bad_row_is_skipped_with_a_reason_while_the_others_import(actor):
    summary = run(
        [
            latvia("LV0019"),
            latvia("LV0020", **{"Commitment Title": "", "Short Title": ""}),
            latvia("NOT-AN-ID"),
            latvia("LV0021", **{"National Or Local": "Regional"}),
            latvia("LV0022", **{"Country/Locality": "Atlantis", "Code": "ATL"}),
            latvia("LV0019", **{"Commitment Title": "The same id again"}),
            latvia("EE0001"),
            latvia("LV0023"),
        ],
        actor,
    )
    # An id under another prefix than its member's is no reason to skip (see test_real_data).
    assert sorted(Commitment.objects.values_list("identifier", flat=True)) == [
        "EE0001",
        "LV0019",
        "LV0023",
    ]
    skipped = {note.row: note.code for note in summary.notes if note.level == "skipped"}
    assert skipped == {
        3: "no_title",
        4: "bad_identifier",
        5: "kind_unknown",
        6: "country_unknown",
        7: "duplicate_identifier",
    }
    assert [(note.row, note.level) for note in notes(summary, "prefix_differs")] == [
        (8, "adjusted")
    ]
    assert summary.counts["commitments"]["skipped"] == 5
    assert summary.skipped_rows == 5
    assert Commitment.objects.get(identifier="LV0019").title != "The same id again"


def test_a_new_member_in_an_unknown_region_is_skipped(actor):
    summary = run([latvia(**{"Region": "Atlantic"})], actor)
    assert not Member.objects.exists()
    assert notes(summary, "region_unknown")[0].params == {"value": "Atlantic"}
    assert summary.counts["members"]["skipped"] == 1


def test_technology_without_a_core_value_is_left_out(actor):
    summary = run(
        [
            latvia(
                **{
                    "OGP Value Access To Information": "0",
                    "OGP Value Public Accountability": "0",
                    "OGP Value Technology And Innovation For Transparency And Accountability": "1",
                }
            )
        ],
        actor,
    )
    commitment = Commitment.objects.get()
    assert commitment.values == []
    assert notes(summary, "technology_without_core_value")


def test_overlong_titles_are_cut_with_a_note(actor):
    summary = run([latvia(**{"Commitment Title": "Ā" * 400, "Short Title": "ž" * 100})], actor)
    commitment = Commitment.objects.get()
    assert len(commitment.title) == 300 and len(commitment.short_title) == 80
    assert len(notes(summary, "text_cut")) == 2


# --- Plans on the platform -------------------------------------------------------------------


def test_a_plan_being_written_on_the_platform_is_not_touched(actor):
    member = MemberFactory(country="LV")
    plan = ActionPlanFactory(
        member=member, identifier="AP_LVA02", sequence=2, status="cocreation", published=True
    )
    summary = run([latvia()], actor)
    assert not plan.commitments.exists()
    assert notes(summary, "plan_being_written")
    assert summary.counts["plans"]["skipped"] == 1


def test_an_existing_plan_keeps_its_period_and_takes_the_commitments(actor):
    member = MemberFactory(country="LV")
    plan = ActionPlanFactory(
        member=member, identifier="AP_LVA02", sequence=2, status="implementation", published=True
    )
    summary = run([latvia()], actor)
    plan.refresh_from_db()
    assert plan.start_date == D(2025, 9, 1) and plan.status == "implementation"
    assert Commitment.objects.get().plan == plan
    assert notes(summary, "plan_period_differs")
    assert summary.counts["plans"]["unchanged"] == 1


def test_a_plan_number_already_taken_by_another_plan_skips_its_rows(actor):
    member = MemberFactory(country="LV")
    ActionPlanFactory(
        member=member, identifier="AP_LVA99", sequence=2, status="ended", published=True
    )
    summary = run([latvia()], actor)
    assert not Commitment.objects.exists()
    assert notes(summary, "plan_number_taken")[0].params["other"] == "AP_LVA99"


def test_a_plan_without_end_year_runs_its_duration_and_says_so(actor):
    summary = run(
        [latvia(**{"Action Plan End Year": "ND", "Action Plan Duration (Years)": "4"})], actor
    )
    plan = ActionPlan.objects.get()
    assert (plan.start_date, plan.end_date) == (D(2015, 9, 1), D(2019, 8, 31))
    assert notes(summary, "plan_created_length")[0].params["length"] == 4


def test_a_plan_status_fits_its_dates(actor):
    today = datetime.date.today()
    run(
        [
            latvia("LV0019"),
            latvia(
                "LV0030",
                **{
                    "Action Plan ID": "AP_LVA09",
                    "Action Plan Number": "9",
                    "Year Of Submission": str(today.year - 1),
                    "Action Plan End Year": str(today.year + 2),
                },
            ),
            latvia(
                "LV0040",
                **{
                    "Action Plan ID": "AP_LVA10",
                    "Action Plan Number": "10",
                    "Year Of Submission": str(today.year + 1),
                    "Action Plan End Year": str(today.year + 3),
                },
            ),
        ],
        actor,
    )
    statuses = dict(ActionPlan.objects.values_list("identifier", "status"))
    assert statuses == {"AP_LVA02": "ended", "AP_LVA09": "implementation", "AP_LVA10": "submitted"}


# --- Numbering -------------------------------------------------------------------------------


def test_numbering_continues_after_the_imported_ids(actor):
    """A commitment created on the platform after the import takes the next free number."""
    run([latvia("LV0019"), latvia("LV0087")], actor)
    member = Member.objects.get(country="LV")
    assert CommitmentNumbering.objects.get(member=member).last_number == 87
    officer = UserFactory()
    MemberRole.objects.create(member=member, user=officer, role="officer", granted_by=actor)
    draft = ActionPlanFactory(member=member, sequence=5, status="draft")
    created = commitment_create(actor=officer, plan=draft, title="A new one")
    assert created.identifier == "LV0088"


def test_numbering_never_goes_down(actor):
    member = MemberFactory(country="LV")
    CommitmentNumbering.objects.create(member=member, last_number=120)
    run([latvia("LV0019")], actor)
    assert CommitmentNumbering.objects.get(member=member).last_number == 120


# --- Running again, and dry runs -------------------------------------------------------------


def test_running_the_same_file_again_changes_nothing(actor):
    rows = [latvia("LV0019"), latvia("LV0020", **{"Start Date": "July 2015"}), madrid()]
    first = run(rows, actor)
    snapshot = everything()
    second = run(rows, actor)
    assert everything() == snapshot
    for kind in ("members", "plans", "commitments", "assessments"):
        assert second.counts[kind]["created"] == second.counts[kind]["updated"] == 0
        assert second.counts[kind]["unchanged"] == first.counts[kind]["created"]
    assert PlanTransition.objects.count() == 2


def test_a_changed_row_is_updated_with_a_history_row(actor):
    run([latvia("LV0019"), latvia("LV0020")], actor)
    other = UserFactory()
    summary = run(
        [
            latvia(
                "LV0019",
                **{
                    "Commitment Title": "Publish the budget and its execution",
                    "Open Data": "0",
                    "Justice": "1",
                    "Supporting Institution(s)": "Treasury",
                    "Completion (End Of Term)": "Complete",
                },
            ),
            latvia("LV0020"),
        ],
        other,
    )
    assert summary.counts["commitments"] == {
        "created": 0,
        "updated": 1,
        "unchanged": 1,
        "skipped": 0,
    }
    assert summary.counts["assessments"]["updated"] == 1
    commitment = Commitment.objects.get(identifier="LV0019")
    assert commitment.title == "Publish the budget and its execution"
    assert set(commitment.policy_areas.values_list("slug", flat=True)) == {
        "fiscal-openness",
        "justice",
    }
    assert [i.name for i in commitment.supporting_institutions.all()] == ["Treasury"]
    assert commitment.assessment.completion_end == "complete"
    latest = commitment.history.first()
    assert (latest.history_type, latest.history_user) == ("~", other)
    assert commitment.history.count() == 2
    assert Commitment.objects.get(identifier="LV0020").history.count() == 1


def test_no_data_never_erases_what_is_stored(actor):
    run([latvia()], actor)
    run(
        [
            latvia(
                **{
                    "Full Text": "ND",
                    "Start Date": "NA",
                    "Lead Institution": "NR",
                    "Open Data": "ND",
                    "Specificity": "ND",
                }
            )
        ],
        actor,
    )
    commitment = Commitment.objects.get()
    assert commitment.description == BASE_ROW["Full Text"]
    assert commitment.start_date == D(2015, 9, 1)
    assert commitment.lead_institution.name == "Ministry of Finance"
    assert commitment.policy_areas.filter(slug="open-data").exists()
    assert commitment.assessment.specificity == "high"


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(actor):
    before = everything()
    rows = [latvia(), madrid()]
    dry = run(rows, actor, dry_run=True)
    assert everything() == before
    assert not CommitmentNumbering.objects.exists()
    assert dry.dry_run
    real = run(rows, actor)
    assert dry.counts == real.counts
    assert [n.as_dict() for n in dry.notes] == [n.as_dict() for n in real.notes]


def test_a_commitment_of_another_member_is_not_taken_over(actor):
    CommitmentFactory(
        identifier="LV0019",
        number=19,
        plan=ActionPlanFactory(member=MemberFactory(country="EE"), status="ended", published=True),
    )
    summary = run([latvia()], actor)
    assert notes(summary, "commitment_of_other_member")
    assert Commitment.objects.get(identifier="LV0019").plan.member.country == "EE"


# --- Scale -----------------------------------------------------------------------------------


def _clear_import():
    Commitment.objects.all().delete()
    ActionPlan.objects.all().delete()
    Institution.objects.all().delete()
    Member.objects.all().delete()


def test_queries_do_not_grow_with_the_rows(actor, django_assert_max_num_queries):
    """Ten rows and two hundred over the same ten members and plans cost nearly the same
    queries: writes go in bulk (SQLite takes fewer rows a batch than PostgreSQL), never a query
    a row."""
    with django_assert_max_num_queries(60) as small:
        import_commitments(source=dataset_bytes(many_rows(10, plans_per_member=1)), actor=actor)
    _clear_import()
    with django_assert_max_num_queries(80) as large:
        summary = import_commitments(
            source=dataset_bytes(many_rows(200, plans_per_member=1)), actor=actor
        )
    assert summary.counts["commitments"]["created"] == 200
    assert len(large.captured_queries) - len(small.captured_queries) < 200 / 10


def test_the_seeded_taxonomy_is_there():
    """The policy-area columns are matched against the migration's taxonomy."""
    assert PolicyArea.objects.filter(slug="open-data").exists()
    assert Group.objects.filter(name="OGP admins").exists()


def test_a_date_typed_on_the_platform_is_a_whole_date_again():
    """An imported month stays a month until someone types another date in the form."""
    from commitments.services import commitment_update

    plan = ActionPlanFactory(status="draft")
    officer = MemberRoleFactory(member=plan.member, role="officer").user
    commitment = CommitmentFactory(plan=plan, start_date_precision="month")
    commitment_update(actor=officer, commitment=commitment, title="Renamed")
    commitment.refresh_from_db()
    assert commitment.start_date_precision == "month"
    commitment_update(actor=officer, commitment=commitment, start_date=D(2025, 9, 15))
    commitment.refresh_from_db()
    assert commitment.start_date_precision == "day"
