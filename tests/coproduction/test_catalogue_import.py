"""The import of INTERLINK's catalogue: every record and translation kept, descriptions
sanitised, a second run changing nothing, a report that says why for every record skipped, and
the platform's own changes (curation, withdrawal) kept."""

import io
import json
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count

from tests.coproduction.catalogue_factories import (
    FIXTURE,
    FULL_CATALOGUE,
    fixture_data,
    import_fixture,
)
from tests.factories import UserFactory
from use_cases.coproduction.importer import import_catalogue
from use_cases.coproduction.models import (
    Enabler,
    EnablerSearchDocument,
    ProblemProfile,
    Schema,
)
from use_cases.coproduction.models.catalogue import Origin
from use_cases.coproduction.services import catalogue as services

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
VENDORED = ROOT / "use_cases" / "coproduction" / "data" / "catalogue.json"


def _state():
    """Everything an import writes, to compare two moments."""
    return {
        "profiles": list(ProblemProfile.objects.order_by("key").values()),
        "enablers": list(Enabler.objects.order_by("key").values()),
        "links": sorted(Enabler.problem_profiles.through.objects.values_list()),
        "schemas": list(Schema.objects.order_by("key").values()),
        "history": Enabler.history.count(),
        "documents": list(EnablerSearchDocument.objects.order_by("pk").values()),
    }


def _notes(report, kind=None):
    return [note.message for note in report.notes if kind is None or note.kind == kind]


def test_the_fixture_is_imported_with_every_record_and_translation():
    report = import_fixture()
    assert report.counts == {
        "problem_profiles": {"created": 4, "updated": 0, "unchanged": 0, "skipped": 0},
        # The legacy archive is imported, without what cannot be used of it.
        "enablers": {"created": 8, "updated": 0, "unchanged": 0, "skipped": 0},
        "schemas": {"created": 1, "updated": 0, "unchanged": 0, "skipped": 0},
    }
    walk = Enabler.objects.get(key="neighbourhood-walk-guide")
    source = fixture_data()["interlinkers"]["knowledge"][0]
    assert walk.kind == Enabler.Kind.KNOWLEDGE and walk.origin == Origin.IMPORTED
    assert walk.status == Enabler.Status.PUBLISHED
    assert walk.name_translations == source["name_translations"]
    assert set(walk.description_translations) == {"en", "it", "es", "lv"}
    assert walk.tags_translations == {"en": ["walk", "listening"], "it": ["passeggiata", "ascolto"]}
    assert walk.file_translations == source["file_translations"]
    assert walk.source == source  # nothing the record says is lost
    assert (walk.form, walk.format, walk.difficulty) == ("guidelines", "pdf", "easy")
    assert walk.languages == ["en", "it", "es", "lv"]
    assert walk.administrative_scopes == ["local"]
    assert {p.key for p in walk.problem_profiles.all()} == {"ENG_PROBLEM_1", "BUILD_PROBLEM_3"}
    kinds = dict(Enabler.objects.values_list("key", "kind"))
    assert kinds["video-meeting-service"] == "external" and kinds["idea-board"] == "software"
    assert Enabler.objects.get(key="idea-board").source["integration"]["path"] == "ideaboard"
    # INTERLINK's "propietary" is the vocabulary's "proprietary".
    assert Enabler.objects.get(key="video-meeting-service").licence == "proprietary"
    # Problem profiles keep INTERLINK's ids, dots included, and their translations.
    profile = ProblemProfile.objects.get(key="ORG_PROBLEM_4.1")
    assert profile.name_translations == {
        "en": "Agreeing who pays for what",
        "lv": "Vienoties, kurš par ko maksā",
    }
    # One search document per enabler and language of the platform.
    assert EnablerSearchDocument.objects.count() == 8 * len(settings.LANGUAGES)


def test_a_second_run_changes_nothing():
    import_fixture()
    before = _state()
    report = import_fixture()
    assert not report.changed
    assert report.counts == {
        "problem_profiles": {"created": 0, "updated": 0, "unchanged": 4, "skipped": 0},
        "enablers": {"created": 0, "updated": 0, "unchanged": 8, "skipped": 0},
        "schemas": {"created": 0, "updated": 0, "unchanged": 1, "skipped": 0},
    }
    assert _state() == before


def test_descriptions_are_sanitised_and_plain_text_becomes_paragraphs():
    import_fixture()
    blueprint = Enabler.objects.get(key="service-blueprint-template")
    english = blueprint.description_translations["en"]
    assert "A template for drawing a service blueprint" in english
    for unsafe in ("<script", "alert(", "onclick", "javascript:"):
        assert unsafe not in english
    assert blueprint.regulations_translations["en"] == (
        "<ul><li>The accessibility directive, (EU) 2016/2102</li></ul>"
    )
    # "None" (as the published catalogue writes it) is no constraint: nothing to show.
    assert blueprint.constraints_translations == {}
    consent = Enabler.objects.get(key="workshop-consent-form")
    assert consent.description_translations["en"] == (
        "<p>A consent form for people who take part in a workshop.</p>\n\n"
        "<p>Write the name of the organiser at the top.</p>"
    )


def test_what_cannot_be_used_is_left_out_and_said():
    report = import_fixture()
    archive = Enabler.objects.get(key="legacy-forms-archive")
    assert archive.uri_translations == {}
    assert archive.difficulty == ""
    assert list(archive.problem_profiles.all()) == []
    notes = _notes(report, "enablers")
    assert any("javascript:alert(1)" in note and "not a web address" in note for note in notes)
    assert any("“impossible” is unknown" in note for note in notes)
    assert any("NOPE_PROBLEM_9" in note and "legacy-forms-archive" in note for note in notes)
    # The schema's task names it too.
    assert any("NOPE_PROBLEM_9" in note for note in _notes(report, "schemas"))


def test_schemas_keep_the_source_phases():
    import_fixture()
    source = fixture_data()["schemas"][0]
    schema = Schema.objects.get(key="neighbourhood-consultation")
    assert schema.phases == source["phases"]
    assert schema.name_translations == source["name_translations"]
    assert schema.origin == Origin.IMPORTED and schema.licence == "permissive"


def test_a_changed_record_updates_what_changed_and_its_search_documents():
    import_fixture()
    data = fixture_data()
    record = data["interlinkers"]["knowledge"][0]
    record["name_translations"]["it"] = "Passeggiata nel quartiere"
    record["problemprofiles"] = ["ENG_PROBLEM_1"]
    data["problemprofiles"][0]["name_translations"]["en"] = "Reaching the unheard"
    history = Enabler.history.count()
    report = import_fixture(data)
    assert report.counts["enablers"]["updated"] == 1
    assert report.counts["problem_profiles"]["updated"] == 1
    walk = Enabler.objects.get(key="neighbourhood-walk-guide")
    assert walk.name_translations["it"] == "Passeggiata nel quartiere"
    assert [p.key for p in walk.problem_profiles.all()] == ["ENG_PROBLEM_1"]
    assert Enabler.history.count() == history + 1
    italian = EnablerSearchDocument.objects.get(enabler=walk, language="it")
    assert "Passeggiata nel quartiere" in italian.document
    # An enabler whose only change is its problem profile's new name is searched under it.
    idea = EnablerSearchDocument.objects.get(enabler__key="idea-board", language="en")
    assert "Reaching the unheard" in idea.document


def test_an_enabler_curated_on_the_platform_keeps_the_staff_edits():
    import_fixture()
    curator = UserFactory(is_superuser=True)
    walk = Enabler.objects.get(key="neighbourhood-walk-guide")
    services.enabler_update(
        actor=curator,
        enabler=walk,
        language="en",
        name="Walking with residents",
        kind=walk.kind,
        difficulty=walk.difficulty,
        languages=walk.languages,
    )
    report = import_fixture()
    assert report.counts["enablers"]["unchanged"] == 8
    assert Enabler.objects.get(pk=walk.pk).name_translations["en"] == "Walking with residents"

    data = fixture_data()
    data["interlinkers"]["knowledge"][0]["name_translations"]["en"] = "INTERLINK's new name"
    report = import_fixture(data)
    assert report.counts["enablers"]["skipped"] == 1
    assert any("changed by OGP staff" in note for note in _notes(report, "enablers"))
    assert Enabler.objects.get(pk=walk.pk).name_translations["en"] == "Walking with residents"


def test_a_withdrawn_enabler_stays_withdrawn():
    import_fixture()
    walk = Enabler.objects.get(key="neighbourhood-walk-guide")
    Enabler.objects.filter(pk=walk.pk).update(status=Enabler.Status.WITHDRAWN)
    data = fixture_data()
    data["interlinkers"]["knowledge"][0]["difficulty"] = "medium"
    assert import_fixture(data).counts["enablers"]["updated"] == 1
    walk.refresh_from_db()
    assert walk.status == Enabler.Status.WITHDRAWN and walk.difficulty == "medium"


def test_records_that_cannot_be_imported_are_skipped_with_the_reason():
    Enabler.objects.create(
        key="platform-own",
        kind="knowledge",
        origin=Origin.CURATED,
        name_translations={"en": "Ours"},
    )
    data = fixture_data()
    good = data["interlinkers"]["software"][1]
    data["interlinkers"]["software"] += [
        "not an object",
        {"name_translations": {"en": "No id"}},
        {**good, "id": "has spaces"},
        {**good, "id": "new"},
        {**good, "id": "idea-board"},
        {**good, "id": "nameless", "name_translations": {"en": "  "}},
        {**good, "id": "platform-own"},
    ]
    data["interlinkers"]["robots"] = [good]
    data["schemas"].append({"id": "broken", "name_translations": {"en": "B"}, "phases": {}})
    report = import_fixture(data)
    assert report.counts["enablers"]["created"] == 8
    assert report.counts["enablers"]["skipped"] == 8
    assert report.counts["schemas"]["skipped"] == 1
    notes = "\n".join(_notes(report))
    for expected in (
        "Record 3 is not an object",
        "Record 4 has no id",
        "“has spaces” is not an identifier",
        "“new” is the name of a catalogue page",
        "idea-board appears twice",
        "nameless has no name",
        "platform-own is the id of one added on the platform",
        "“robots” is not a kind of enabler",
        "broken: its phases are not a list",
    ):
        assert expected in notes, expected
    assert Enabler.objects.get(key="platform-own").name_translations == {"en": "Ours"}


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[]",
        b'{"interlinkers": {}}',
        b'{"interlinkers": [], "problemprofiles": [], "schemas": []}',
    ],
)
def test_a_file_that_is_not_the_catalogue_changes_nothing(tmp_path, content):
    path = tmp_path / "all.json"
    path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import_interlink_catalogue", str(path), stdout=io.StringIO())
    assert not Enabler.objects.exists() and not ProblemProfile.objects.exists()


def test_the_command_prints_the_report_and_a_dry_run_writes_nothing():
    out = io.StringIO()
    call_command("import_interlink_catalogue", str(FIXTURE), "--dry-run", stdout=out)
    assert "Dry run: nothing was saved." in out.getvalue()
    assert "Enablers: 8 created, 0 updated, 0 unchanged, 0 skipped" in out.getvalue()
    assert not Enabler.objects.exists()

    out = io.StringIO()
    call_command("import_interlink_catalogue", str(FIXTURE), stdout=out)
    assert "Problem profiles: 4 created" in out.getvalue()
    assert "legacy-forms-archive: the difficulty “impossible” is unknown" in out.getvalue()
    out = io.StringIO()
    call_command("import_interlink_catalogue", str(FIXTURE), stdout=out)
    assert "Enablers: 0 created, 0 updated, 8 unchanged, 0 skipped" in out.getvalue()
    assert "Nothing changed." in out.getvalue()


def test_the_history_names_the_user_given():
    user = UserFactory(email="curator@example.org")
    call_command(
        "import_interlink_catalogue",
        str(FIXTURE),
        "--user",
        "curator@example.org",
        stdout=io.StringIO(),
    )
    assert Enabler.history.filter(history_user=user).count() == 8
    with pytest.raises(CommandError):
        call_command("import_interlink_catalogue", str(FIXTURE), "--user", "nobody@example.org")


@pytest.mark.skipif(not FULL_CATALOGUE.is_file(), reason="INTERLINK's catalogue is not beside")
def test_the_full_catalogue_imports_whole_and_once():
    """All of INTERLINK's published catalogue: 62 enablers (33 knowledge, 24 external, 5
    software), 45 problem profiles, 3 schemas; a second run changes nothing."""
    data = json.loads(FULL_CATALOGUE.read_text(encoding="utf-8"))
    report = import_catalogue(data)
    assert report.counts["enablers"] == {"created": 62, "updated": 0, "unchanged": 0, "skipped": 0}
    kinds = Enabler.objects.values_list("kind").annotate(n=Count("pk")).order_by()
    assert dict(kinds) == {"knowledge": 33, "external": 24, "software": 5}
    assert ProblemProfile.objects.count() == 45
    assert Schema.objects.count() == 3
    assert set(Schema.objects.values_list("key", flat=True)) == {
        "default",
        "servicedescriptionenhancement",
        "hackathon",
    }
    # Every translation the file holds is kept.
    for kind, records in data["interlinkers"].items():
        for record in records:
            enabler = Enabler.objects.get(key=record["id"])
            assert enabler.kind == kind
            assert set(enabler.name_translations) == {
                language for language, text in record["name_translations"].items() if text
            }
            assert {p.key for p in enabler.problem_profiles.all()} == set(record["problemprofiles"])
    before = _state()
    again = import_catalogue(data)
    assert not again.changed and again.counts["enablers"]["unchanged"] == 62
    assert _state() == before


def test_the_shipped_copy_is_the_published_catalogue_with_its_notice():
    """The repository ships INTERLINK's file unchanged, with a NOTICE naming its source and
    licence, and the package and the image include both."""
    assert VENDORED.is_file()
    if FULL_CATALOGUE.is_file():
        assert VENDORED.read_bytes() == FULL_CATALOGUE.read_bytes()
    notice = (VENDORED.parent / "NOTICE").read_text(encoding="utf-8")
    for expected in ("interlink-project/interlinkers-data", "all.json", "backend-catalogue"):
        assert expected in notice
    assert "Apache License, Version 2.0" in notice
    assert "INTERLINK's" in notice
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = pyproject["tool"]["setuptools"]["package-data"]["use_cases.coproduction"]
    assert {"data/catalogue.json", "data/NOTICE"} <= set(package_data)
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert dockerfile.index("COPY use_cases use_cases") < dockerfile.index("RUN pip install .")
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert not any(
        entry.strip("*/") in ("use_cases", "data", "catalogue.json") for entry in ignored
    )
