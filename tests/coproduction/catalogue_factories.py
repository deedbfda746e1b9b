"""The catalogue in tests: the small fixture in INTERLINK's format (written by us,
`fixtures/catalogue.json`), imported through the importer, and enablers made in bulk for the
query-count tests."""

import copy
import json
from pathlib import Path

from django.conf import settings

from use_cases.coproduction.importer import import_catalogue
from use_cases.coproduction.models import Enabler, ProblemProfile
from use_cases.coproduction.services.catalogue import enabler_search_documents_refresh

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "catalogue.json"
# INTERLINK's published catalogue, beside the repository when the shared folder is there.
FULL_CATALOGUE = Path(settings.BASE_DIR).parent / "shared" / "interlink" / "catalogue.json"


def fixture_data() -> dict:
    """A fresh copy of the fixture's content (tests may change it)."""
    return copy.deepcopy(json.loads(FIXTURE.read_text(encoding="utf-8")))


def import_fixture(data=None, **kwargs):
    """Import the fixture (or `data`); return the report."""
    return import_catalogue(fixture_data() if data is None else data, **kwargs)


def make_enablers(count: int, *, start: int = 0, profiles=None) -> list[Enabler]:
    """`count` published enablers with a description, tags, two problem profiles and search
    documents, written in bulk."""
    if profiles is None:
        profiles = [
            ProblemProfile.objects.get_or_create(
                key=f"BULK_PROBLEM_{n}", defaults={"name_translations": {"en": f"Problem {n}"}}
            )[0]
            for n in range(2)
        ]
    enablers = Enabler.objects.bulk_create(
        Enabler(
            key=f"bulk-enabler-{number}",
            kind=Enabler.Kind.KNOWLEDGE,
            form="guidelines",
            format="pdf",
            difficulty="easy",
            licence="permissive",
            administrative_scopes=["local"],
            languages=["en", "it"],
            name_translations={"en": f"Bulk enabler {number}", "it": f"Abilitatore {number}"},
            description_translations={"en": f"<p>Enabler number {number}.</p>"},
            tags_translations={"en": ["bulk"]},
        )
        for number in range(start, start + count)
    )
    through = Enabler.problem_profiles.through
    through.objects.bulk_create(
        through(enabler_id=enabler.pk, problemprofile_id=profile.pk)
        for enabler in enablers
        for profile in profiles
    )
    enabler_search_documents_refresh(enabler_ids=[enabler.pk for enabler in enablers])
    return enablers
