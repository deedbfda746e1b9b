"""Members named in the reader's language: a national member is its country, named as the
interface language names it (pycountry's ISO 3166 catalogs); a local member keeps its own name.
Data files keep the English name and the country code, whatever the language of the download."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from action_plans.pdf import render_document
from commitments.explorer import explorer_member_choices
from ogp_platform.members import countries
from tests.members.factories import LocalMemberFactory, MemberFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db

LATVIA = {"en": "Latvia", "it": "Lettonia", "lv": "Latvija", "es": "Letonia"}
LANGUAGES = list(LATVIA)


@pytest.fixture
def latvia():
    return MemberFactory(country="LV", country_alpha3="LVA", name="Latvia", slug="latvia")


@pytest.fixture
def jurmala(latvia):
    return LocalMemberFactory(parent=latvia, name="Jūrmala", slug="jurmala", local_code="JUR")


@pytest.fixture
def plan(latvia):
    plan = ActionPlanFactory(member=latvia, status="cocreation", published=True)
    CommitmentFactory(plan=plan)
    return plan


def get(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def plain(html: str) -> str:
    """The text of some markup, whatever inline elements (<bdi>, <span>) wrap its words."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def h1(html: str) -> str:
    return plain(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))


def links_to(html: str, slug: str) -> set[str]:
    """The texts of the links to a member's page."""
    return {plain(text) for text in re.findall(rf'href="/members/{slug}/"[^>]*>(.*?)</a>', html)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_national_member_is_named_in_the_reader_language(client, latvia, jurmala, language):
    """Latvia is Lettonia in Italian, Latvija in Latvian and Letonia in Spanish, on its page and
    in the directory; Jūrmala, a local member, keeps its name in every language."""
    name = LATVIA[language]
    page = get(client, latvia.get_absolute_url(), language)
    assert h1(page) == name
    assert f"<title>{name}" in page
    assert h1(get(client, jurmala.get_absolute_url(), language)) == "Jūrmala"
    directory = get(client, reverse("members:directory"), language)
    assert links_to(directory, "latvia") == {name}
    assert links_to(directory, "jurmala") == {"Jūrmala"}
    if language != "en":
        assert "Latvia" not in plain(page) and "Latvia" not in plain(directory)
    with translation.override(language):
        assert str(latvia) == latvia.localised_name == name
        assert str(jurmala) == "Jūrmala"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plans_the_explorer_and_the_pdf_name_the_member_in_the_reader_language(
    client, plan, language
):
    """The plan's heading, the commitment explorer (a result and its member filter) and the
    plan's PDF name the member as the reader's language does."""
    name = LATVIA[language]
    assert links_to(get(client, plan.get_absolute_url(), language), "latvia") == {name}
    explorer = get(client, reverse("commitments:explorer"), language)
    assert links_to(explorer, "latvia") == {name}
    assert f'<option value="latvia">{name}</option>' in explorer
    html = render_document(plan, language=language).html
    cover = re.search(r'<p class="cover__member">(.*?)</p>', html).group(1)
    assert plain(cover) == name


def test_the_directory_and_the_explorer_sort_by_the_names_the_reader_sees(client):
    """Germany, Latvia and Spain come in the order of their names in each language: Alemania,
    España, Letonia in Spanish; Latvija, Spānija, Vācija in Latvian."""
    for country, name in (("DE", "Germany"), ("LV", "Latvia"), ("ES", "Spain")):
        member = MemberFactory(country=country, name=name, slug=name.lower())
        ActionPlanFactory(member=member, status="cocreation", published=True)
    expected = {
        "en": ["Germany", "Latvia", "Spain"],
        "it": ["Germania", "Lettonia", "Spagna"],
        "lv": ["Latvija", "Spānija", "Vācija"],
        "es": ["Alemania", "España", "Letonia"],
    }
    for language, names in expected.items():
        directory = get(client, reverse("members:directory"), language)
        listed = [
            plain(text) for text in re.findall(r'href="/members/[a-z-]+/">(.*?)</a>', directory)
        ]
        assert [name for name in listed if name in names] == names, language
        with translation.override(language):
            choices = [label for _slug, label in explorer_member_choices(AnonymousUser())]
        assert choices == names, language


def test_the_directory_finds_a_country_by_its_name_in_the_reader_language(client, jurmala):
    """Searching "Lettonia" in Italian finds Latvia and the local members in it."""
    directory = get(client, reverse("members:directory") + "?q=lettonia", "it")
    assert links_to(directory, "latvia") == {"Lettonia"}
    assert links_to(directory, "jurmala") == {"Jūrmala"}
    directory = get(client, reverse("members:directory") + "?q=lettonia", "en")
    assert "/members/latvia/" not in directory


def test_each_language_gets_its_own_cached_page(client, latvia):
    """The page cache keeps one copy of a page per language: the Latvian page is not served to
    the next Italian reader, nor the other way round."""
    for language in ("it", "lv", "it", "es", "lv"):
        page = get(client, latvia.get_absolute_url(), language)
        assert h1(page) == LATVIA[language], language
        directory = get(client, reverse("members:directory"), language)
        assert links_to(directory, "latvia") == {LATVIA[language]}, language


def test_open_data_keeps_the_english_name_and_the_country_code(client, plan):
    """A file downloaded from the Italian interface names the member as every other download
    does: by its English name, with its ISO code."""
    client.cookies["django_language"] = "it"
    response = client.get(reverse("commitments:explorer_download", args=["csv"]))
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert [(row["member"], row["country"]) for row in rows] == [("Latvia", "LV")]


def test_the_catalog_is_read_for_the_name_it_translates():
    """pycountry's Latvian catalog translates South Korea only under its ISO name; English has
    no catalog (the names are English) and unknown codes have no translation."""
    assert countries.translated("KR", "lv") == "Dienvidkoreja"
    assert countries.translated("KR", "it") == "Corea del Sud"
    assert countries.translated("LV", "en") is None
    assert countries.translated("QQ", "it") is None
    assert countries.name("LV", "en") == "Latvia"
