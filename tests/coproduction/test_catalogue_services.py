"""The catalogue's services and forms: one rating per person (a constraint, an upsert),
curation in the reader's language, withdrawal with a reason, search documents kept up to date,
pages that follow every change at once, and forms that keep what was typed."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.coproduction.catalogue_factories import import_fixture, make_enablers
from tests.factories import UserFactory
from tests.people import OGP_ADMIN, UNVERIFIED, USER
from use_cases.coproduction.models import Enabler, EnablerRating, EnablerSearchDocument
from use_cases.coproduction.models.catalogue import Origin
from use_cases.coproduction.selectors.catalogue import catalogue_enablers
from use_cases.coproduction.services import catalogue as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def enabler():
    return make_enablers(1)[0]


@pytest.fixture
def curator(people):
    return people[OGP_ADMIN]


# --- Ratings --------------------------------------------------------------------------------


def test_one_rating_per_person_changed_by_rating_again(people, enabler):
    user = people[USER]
    first = services.enabler_rate(actor=user, enabler=enabler, stars=2, comment=" Hard to use. ")
    assert (first.stars, first.comment) == (2, "Hard to use.")
    again = services.enabler_rate(actor=user, enabler=enabler, stars=5)
    assert EnablerRating.objects.filter(enabler=enabler).count() == 1
    assert (again.pk, again.stars, again.comment) == (first.pk, 5, "")
    assert again.created_at == first.created_at and again.updated_at >= first.updated_at


@pytest.mark.parametrize("stars", [0, 6, "4"])
def test_a_rating_is_a_whole_number_from_1_to_5(people, enabler, stars):
    with pytest.raises(ValidationError):
        services.enabler_rate(actor=people[USER], enabler=enabler, stars=stars)
    assert not EnablerRating.objects.exists()


def test_the_database_holds_one_rating_per_person_and_1_to_5(people, enabler):
    user = people[USER]
    EnablerRating.objects.create(enabler=enabler, user=user, stars=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnablerRating.objects.create(enabler=enabler, user=user, stars=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnablerRating.objects.create(enabler=enabler, user=UserFactory(), stars=9)


def test_rating_is_refused_without_a_verified_address_or_on_a_withdrawn_enabler(people, enabler):
    with pytest.raises(PermissionDenied):
        services.enabler_rate(actor=people[UNVERIFIED], enabler=enabler, stars=3)
    Enabler.objects.filter(pk=enabler.pk).update(status=Enabler.Status.WITHDRAWN)
    enabler.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.enabler_rate(actor=people[USER], enabler=enabler, stars=3)


def test_a_rating_shows_at_once_on_the_cached_page(client, people, enabler):
    url = enabler.get_absolute_url()
    assert "Not rated yet" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    services.enabler_rate(actor=people[USER], enabler=enabler, stars=4)
    assert "4.0 out of 5 (1 rating)" in client.get(url).content.decode()


def test_a_refused_rating_keeps_what_was_typed(client, people, enabler):
    people.sign_in(client, USER)
    response = client.post(
        reverse("coproduction:enabler_rate", args=[enabler.key]),
        {"comment": "I forgot the stars."},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html and "Choose a rating from 1 to 5." in html
    assert "I forgot the stars.</textarea>" in html
    assert not EnablerRating.objects.exists()


# --- Curation -------------------------------------------------------------------------------


def _values(**overrides):
    return {
        "language": "en",
        "name": "Street interview guide",
        "kind": "knowledge",
        "description": "Ask three questions.\n\nWrite the answers down.",
        "tags": ["interview", "street"],
        "form": "guidelines",
        "difficulty": "easy",
        **overrides,
    }


def test_an_added_enabler_is_published_with_a_key_from_its_name(curator):
    enabler = services.enabler_create(actor=curator, **_values())
    assert enabler.key == "street-interview-guide"
    assert enabler.origin == Origin.CURATED and enabler.status == Enabler.Status.PUBLISHED
    assert enabler.description_translations == {
        "en": "<p>Ask three questions.</p>\n\n<p>Write the answers down.</p>"
    }
    assert enabler.tags_translations == {"en": ["interview", "street"]}
    assert enabler.languages == ["en"]
    assert enabler.history.get().history_user == curator
    # Names that would take a catalogue page's address, or one already taken, get another.
    assert services.enabler_create(actor=curator, **_values()).key == "street-interview-guide-2"
    assert services.enabler_create(actor=curator, **_values(name="New")).key == "new-enabler"
    assert services.enabler_create(actor=curator, **_values(name="Ščūka")).key == "scuka"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Two\nlines"}, "name"),
        ({"kind": "robot"}, "kind"),
        ({"difficulty": "heroic"}, "difficulty"),
    ],
)
def test_what_an_enabler_needs(curator, overrides, field):
    with pytest.raises(ValidationError) as refused:
        services.enabler_create(actor=curator, **_values(**overrides))
    assert field in refused.value.error_dict
    assert not Enabler.objects.exists()


def test_only_curators_curate(people, enabler):
    with pytest.raises(PermissionDenied):
        services.enabler_create(actor=people[USER], **_values())
    with pytest.raises(PermissionDenied):
        services.enabler_withdraw(actor=people[USER], enabler=enabler, reason="No.")


def test_editing_in_a_language_keeps_the_other_languages(curator):
    import_fixture()
    walk = Enabler.objects.get(key="neighbourhood-walk-guide")
    services.enabler_update(
        actor=curator,
        enabler=walk,
        **_values(
            language="it",
            name="Passeggiata con i residenti",
            description="<p>Nuova descrizione.</p><img src=x onerror=alert(1)>",
            tags=["quartiere"],
            uri="javascript:alert(1)",
            kind="external",
            administrative_scopes=["national"],
            languages=["it"],
            problem_profiles=[],
        ),
    )
    walk.refresh_from_db()
    assert walk.name_translations["it"] == "Passeggiata con i residenti"
    assert walk.name_translations["en"] == "Neighbourhood walk guide"
    assert walk.description_translations["it"] == "<p>Nuova descrizione.</p>"
    assert walk.description_translations["lv"].startswith("<p>Ceļvedis")
    assert walk.tags_translations == {"en": ["walk", "listening"], "it": ["quartiere"]}
    assert walk.uri_translations == {}
    assert (walk.kind, walk.administrative_scopes, walk.languages) == (
        "external",
        ["national"],
        ["it"],
    )
    assert list(walk.problem_profiles.all()) == []
    assert walk.curated_at is not None
    assert walk.history.first().history_user == curator
    # The search follows at once.
    assert [e.key for e in catalogue_enablers(user=None, language="it", q="residenti")] == [
        "neighbourhood-walk-guide"
    ]


def test_a_name_in_another_language_lets_this_one_stay_empty(curator):
    import_fixture()
    blueprint = Enabler.objects.get(key="service-blueprint-template")
    services.enabler_update(actor=curator, enabler=blueprint, **_values(language="lv", name=""))
    blueprint.refresh_from_db()
    assert "lv" not in blueprint.name_translations
    assert blueprint.name_translations["en"] == "Service blueprint template"


def test_a_withdrawal_needs_a_reason_and_happens_once(curator, enabler):
    with pytest.raises(ValidationError):
        services.enabler_withdraw(actor=curator, enabler=enabler, reason="  ")
    before = timezone.now()
    services.enabler_withdraw(actor=curator, enabler=enabler, reason="Superseded.")
    enabler.refresh_from_db()
    assert enabler.status == Enabler.Status.WITHDRAWN and enabler.withdrawn_at >= before
    with pytest.raises(ValidationError):
        services.enabler_withdraw(actor=curator, enabler=enabler, reason="Again.")


def test_search_documents_are_written_for_every_language(curator):
    enabler = services.enabler_create(actor=curator, **_values(language="lv", name="Intervija"))
    documents = dict(
        EnablerSearchDocument.objects.filter(enabler=enabler).values_list("language", "document")
    )
    assert set(documents) == {"en", "it", "lv", "es"}
    # The Latvian name is what every reader sees (and searches), there being no other.
    assert all("Intervija" in document for document in documents.values())
    # The kind's label is in the reader's language.
    assert "Conoscenza" in documents["it"] or "Knowledge" in documents["it"]


def test_a_refused_curation_form_keeps_what_was_typed(client, people):
    people.sign_in(client, OGP_ADMIN)
    response = client.post(
        reverse("coproduction:enabler_create"),
        {
            "name": "",
            "kind": "knowledge",
            "description": "Kept words.",
            "tags": "kept, tags",
            "uri": "not an address",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'class="error-summary"' in html
    assert "Kept words.</textarea>" in html
    assert 'value="kept, tags"' in html
    assert not Enabler.objects.exists()


def test_the_edit_form_shows_the_texts_of_the_readers_language_only(client, people):
    import_fixture()
    people.sign_in(client, OGP_ADMIN)
    url = reverse("coproduction:enabler_edit", args=["service-blueprint-template"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(url).content.decode()
    assert 'value="Plantilla de plano de servicio"' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    html = client.get(url).content.decode()
    # No Italian name: the field is empty (saving would otherwise copy the English one into
    # Italian), and it may stay so.
    name_input = re.search(r'<input[^>]*id="id_name"[^>]*>', html).group(0)
    assert "value=" not in name_input
    with translation.override("it"):
        assert (
            gettext(
                "Its name in this language. Leave it empty to show its name in another language."
            )
            in html
        )
