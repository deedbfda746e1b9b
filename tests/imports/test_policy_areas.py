"""The IRM export's policy-area flag columns: matched to the platform's areas, areas the data
names and the platform lacks created, the values read as flags, changes applied on a second
run, and the columns that are not mapped reported by the command and the report page."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from commitments.importer import import_commitments
from commitments.models import Commitment, CommitmentImport, PolicyArea
from commitments.taxonomy import POLICY_AREAS
from tests.factories import UserFactory
from tests.imports.dataset import IRM_HEADER, NO_AREAS, dataset_bytes, irm_export
from tests.imports.dataset import latvia as latvia_row

pytestmark = pytest.mark.django_db

SEEDED = len(POLICY_AREAS)


@pytest.fixture
def actor():
    return UserFactory(display_name="Irma Importer")


def run(rows, actor, *, header=IRM_HEADER, **kwargs):
    return import_commitments(source=dataset_bytes(rows, header=header), actor=actor, **kwargs)


def latvia(identifier="LV0019", **cells):
    """A row of Latvia that ticks only the areas it names."""
    return latvia_row(identifier, **{**NO_AREAS, **cells})


def areas_of(identifier):
    return set(
        Commitment.objects.get(identifier=identifier).policy_areas.values_list("slug", flat=True)
    )


def test_flag_columns_link_the_platforms_areas_and_create_the_missing_ones(actor):
    """ "Anti-corruption", "Open Justice", "Civic Space" … are the platform's areas; "Youth"
    and "Elections & Political Finance" are created; nothing is made of "Starred"."""
    last_position = max(PolicyArea.objects.values_list("position", flat=True))
    summary = run(irm_export(), actor)
    # The flags of irm_export's rows, in turn (see IRM_FLAGS).
    assert areas_of("UK0001") == {"anti-corruption", "youth"}
    assert areas_of("UK0002") == {"civic-space", "open-contracting"}
    assert areas_of("MO0001") == {"fiscal-openness", "gender"}
    assert areas_of("MO0002") == {"justice", "elections-political-finance"}
    assert areas_of("LV0019") == {"anti-corruption"}
    assert areas_of("MAD0005") == {"civic-space"}

    youth = PolicyArea.objects.get(slug="youth")
    elections = PolicyArea.objects.get(slug="elections-political-finance")
    assert (youth.name, elections.name) == ("Youth", "Elections & Political Finance")
    assert (youth.position, elections.position) == (last_position + 1, last_position + 2)
    assert PolicyArea.objects.count() == SEEDED + 2
    assert summary.new_policy_areas == ["youth", "elections-political-finance"]
    assert summary.policy_area_columns == {
        "Anti-corruption": "anti-corruption",
        "Civic Space": "civic-space",
        "Open Contracting": "open-contracting",
        "Fiscal Openness": "fiscal-openness",
        "Gender": "gender",
        "Open Justice": "justice",
        "Youth": "youth",
        "Policy Area: Elections & Political Finance": "elections-political-finance",
    }
    assert summary.unmapped_columns == ["Human Rights"]
    assert "Starred" in summary.ignored_columns and "Theme" in summary.ignored_columns
    created = [note for note in summary.notes if note.code == "policy_area_created"]
    assert [note.params["area"] for note in created] == ["Youth", "Elections & Political Finance"]
    assert Commitment.objects.get(identifier="UK0001").policy_areas_record == (
        "Anti-Corruption and Integrity\nYouth"
    )


def test_a_created_area_keeps_its_name_in_every_language(actor):
    """Seeded areas are translated in the code's catalogs; an area the data names has only
    the name the data gives it, shown as it is in every language."""
    run(irm_export(), actor)
    youth = PolicyArea.objects.get(slug="youth")
    for language in ("en", "it", "lv", "es"):
        with translation.override(language):
            assert str(youth.label) == "Youth"


@pytest.mark.parametrize("value", ["1", "1.0", "Yes", "yes", "Y", "TRUE", "true", "x", "X"])
def test_truthy_values_tick_an_area(actor, value):
    """1, Yes, Y, TRUE and x tick an area, in any case."""
    run([latvia(**{"Civic Space": value})], actor)
    assert areas_of("LV0019") == {"civic-space"}


@pytest.mark.parametrize("value", ["0", "0.0", "No", "N", "FALSE"])
def test_false_values_do_not(actor, value):
    """0, No, N and FALSE do not."""
    run([latvia(**{"Civic Space": value, "Gender": "1"})], actor)
    assert areas_of("LV0019") == {"gender"}


def test_a_value_that_is_no_flag_is_noted_and_not_recorded(actor):
    """A cell that is no flag leaves the area as it is, with a note."""
    summary = run([latvia(**{"Civic Space": "partly", "Gender": "1"})], actor)
    assert areas_of("LV0019") == {"gender"}
    (note,) = [note for note in summary.notes if note.code == "flag_not_understood"]
    assert note.params == {"column": "Civic Space", "value": "partly"}


def test_running_the_same_file_again_changes_nothing(actor):
    """A second run creates no area, links nothing anew and writes no history."""
    rows = irm_export()
    run(rows, actor)
    links = sorted(Commitment.policy_areas.through.objects.values_list("pk", flat=True))
    history = Commitment.history.count()
    second = run(rows, actor)
    assert PolicyArea.objects.count() == SEEDED + 2
    assert second.new_policy_areas == [] and not [
        note for note in second.notes if note.code == "policy_area_created"
    ]
    assert second.policy_area_columns["Youth"] == "youth"
    assert second.counts["commitments"]["updated"] == 0
    assert sorted(Commitment.policy_areas.through.objects.values_list("pk", flat=True)) == links
    assert Commitment.history.count() == history


def test_changed_flags_change_the_links(actor):
    """A 0 unlinks; an empty cell of a row that ticks another area unlinks too (exports tick
    with 1 and leave the rest empty); Yes links; a row that ticks nothing, or says ND, keeps
    what is stored."""
    run(
        [
            latvia("LV0019", **{"Civic Space": "1", "Gender": "1", "Youth": "1"}),
            latvia("LV0020", **{"Civic Space": "1", "Gender": "1"}),
            latvia("LV0021", **{"Civic Space": "1", "Gender": "1"}),
        ],
        actor,
    )
    other = UserFactory()
    summary = run(
        [
            latvia(
                "LV0019", **{"Civic Space": "0", "Gender": "", "Youth": "1", "Open Justice": "Yes"}
            ),
            latvia("LV0020", **{"Civic Space": "", "Gender": ""}),
            latvia("LV0021", **{"Civic Space": "ND", "Gender": "", "Anti-corruption": "1"}),
        ],
        other,
    )
    assert areas_of("LV0019") == {"youth", "justice"}
    assert areas_of("LV0020") == {"civic-space", "gender"}
    assert areas_of("LV0021") == {"civic-space", "anti-corruption"}
    assert summary.counts["commitments"] == {
        "created": 0,
        "updated": 2,
        "unchanged": 1,
        "skipped": 0,
    }
    changed = Commitment.objects.get(identifier="LV0019")
    assert changed.history.first().history_user == other
    assert changed.policy_areas_record == "Justice\nYouth"


def test_an_area_created_by_an_earlier_run_is_matched_not_created_again(actor):
    """A later file's column, with or without "Policy Area:", finds the area an earlier run
    created."""
    run([latvia(**{"Youth": "1"})], actor)
    summary = run(
        [latvia("LV0020", **{"Youth": "0", "Policy Area: Youth": "1"})],
        actor,
        header=[*IRM_HEADER, "Policy Area: Youth"],
    )
    assert PolicyArea.objects.filter(name="Youth").count() == 1
    assert summary.policy_area_columns["Youth"] == "youth"
    assert summary.policy_area_columns["Policy Area: Youth"] == "youth"
    assert summary.new_policy_areas == []
    assert areas_of("LV0020") == {"youth"}


def test_a_dry_run_creates_no_area_but_says_it_would(actor):
    """A dry run reports the areas it would create and leaves the taxonomy as it was."""
    summary = run(irm_export(), actor, dry_run=True)
    assert PolicyArea.objects.count() == SEEDED
    assert summary.new_policy_areas == ["youth", "elections-political-finance"]


def test_a_new_area_takes_a_free_slug(actor):
    """A column whose slug is taken by an area of another name gets the next free slug."""
    PolicyArea.objects.create(slug="womens-rights", name="Rights of women", position=99)
    run([latvia(**{"Women's Rights": "1"})], actor, header=[*IRM_HEADER, "Women's Rights"])
    assert PolicyArea.objects.get(name="Women's Rights").slug == "womens-rights-2"
    assert areas_of("LV0019") == {"womens-rights-2"}


def test_the_explorers_area_filter_finds_imported_commitments(client, actor):
    """The explorer's policy-area filter finds imported commitments, in seeded and created areas."""
    run(irm_export(), actor)
    explorer = reverse("commitments:explorer")
    page = client.get(explorer, {"policy_area": "civic-space"}).content.decode()
    assert "UK0002" in page and "MAD0005" in page and "UK0001" not in page
    youth = client.get(explorer, {"policy_area": "youth"}).content.decode()
    assert "UK0001" in youth and "UK0002" not in youth
    assert 'value="youth"' in client.get(explorer).content.decode()


def test_the_command_reports_the_columns(tmp_path):
    """The command prints the columns read as areas, those not mapped and those ignored."""
    path = tmp_path / "irm.csv"
    path.write_bytes(dataset_bytes(irm_export(), header=IRM_HEADER))
    out = io.StringIO()
    call_command("import_ogp_commitments", str(path), stdout=out)
    output = out.getvalue()
    assert "8 policy-area columns: Anti-corruption → Anti-Corruption and Integrity" in output
    assert "Youth → Youth (created)" in output
    assert "1 flag column not mapped to a policy area (no row ticks it): Human Rights" in output
    assert "Starred" in output.split("columns ignored:")[1]
    assert "Policy area Youth created for the column Youth" in output


def test_the_report_page_lists_the_columns(client, actor):
    """The report page lists the columns read as areas, those not mapped and those ignored."""
    summary = run(irm_export(), actor)
    admin = UserFactory()
    Group.objects.get(name="OGP admins").user_set.add(admin)
    report = CommitmentImport.objects.create(
        created_by=admin, status="done", summary=summary.as_dict()
    )
    client.force_login(admin)
    page = client.get(report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Policy-area columns read: 8" in page
    assert "<code>Open Justice</code> → Justice" in page
    assert "<code>Youth</code> → Youth" in page
    assert "not mapped to a policy area" in page and "<code>Human Rights</code>" in page
    assert "<code>Starred</code>" in page
    # The one row skipped, the id under two members, with its reason.
    assert "one id cannot belong to two members, so this row of Morocco is skipped" in page
