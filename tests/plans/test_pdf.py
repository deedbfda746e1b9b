"""The PDF document of a plan and of a commitment: what it holds, in which language, its table
of contents and page numbers, its fonts, and the renderer's refusal to fetch anything but the
platform's own static files."""

import io
import re
import urllib.request

import pytest
from django.contrib.contenttypes.models import ContentType
from pypdf import PdfReader

from action_plans import pdf as plan_pdf
from action_plans.models import ActionPlan
from action_plans.pdf import BASE_URL, StaticFilesFetcher, render_document, static_path_for
from action_plans.templatetags.plan_pdf import css_string
from tests.members.factories import InstitutionFactory, MemberFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory
from tests.plans.test_page_queries import build_plan
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db

LETTERS = list("āčēģīķļņšūžñàèéìòù€")
TITLES = [
    "Ģimeņu ārsti un šķūņu žogi: ā č ē ģ ī ķ ļ ņ š ū ž",
    "Niñez y año: contratación abierta en España",
    "Città più aperta, perché: è ì ò ù à, bilancio di 5 000 €",
]


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def render(plan, language="en", commitment=""):
    document = render_document(plan, language=language, commitment_identifier=commitment)
    return plan_pdf.write_pdf(document.dated(language))


@pytest.fixture
def plan():
    plan = ActionPlanFactory(
        status="cocreation",
        published=True,
        title="Rīcības plāns atklātai pārvaldībai",
        introduction="Ievads.\n\nOtrā rindkopa par līdzdalību.",
    )
    institution = InstitutionFactory(member=plan.member, name="Valsts kanceleja")
    for title in TITLES:
        commitment = CommitmentFactory(plan=plan, title=title, lead_institution=institution)
        for n in range(2):
            MilestoneFactory(
                commitment=commitment,
                title=f"{title[:12]} – posms {n + 1}",
                responsible_institution=institution,
            )
    return plan


def test_the_plan_pdf_holds_every_commitment_title_and_the_letters_of_the_pilot_languages(plan):
    result = render(plan)
    text = flat("\n".join(pages_of(result.content)))
    assert result.content.startswith(b"%PDF-")
    assert plan.title in text
    assert plan.member.name in text
    assert plan.identifier in text
    for commitment in plan.commitments.all():
        assert commitment.title in text
        assert commitment.identifier in text
    for letter in LETTERS:
        assert letter in text, letter


def test_the_fonts_ship_with_the_platform_and_are_embedded(plan):
    reader = PdfReader(io.BytesIO(render(plan).content))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # The shipped Noto Sans ("OGP Sans" in pdf.css), not whatever the machine has, is embedded
    # as a subset: no fallback font was needed for any character.
    assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+OGP-Sans(-Bold)?", name) for name in fonts), (
        fonts
    )


def test_the_table_of_contents_gives_the_page_each_commitment_starts_on(plan):
    result = render(plan)
    pages = pages_of(result.content)
    assert result.pages == len(pages)
    contents = pages[1]
    assert "Contents" in contents
    for commitment in plan.commitments.all():
        start = next(
            number
            for number, text in enumerate(pages[2:], start=3)
            if commitment.identifier in text
        )
        line = next(line for line in contents.splitlines() if commitment.identifier in line)
        assert line.rstrip().endswith(f" {start}"), (line, start)
        assert commitment.title in flat(pages[start - 1])


def test_every_page_after_the_cover_says_which_plan_and_which_page_of_how_many(plan):
    pages = pages_of(render(plan).content)
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "Generated on" in text
        if number > 1:
            assert plan.identifier in text.splitlines()[0] or plan.identifier in text
    assert plan.get_absolute_url() in flat(pages[0])


def test_the_pdf_speaks_the_language_the_user_browses_in(plan):
    latvian = flat(" ".join(pages_of(render(plan, "lv").content)))
    spanish = flat(" ".join(pages_of(render(plan, "es").content)))
    italian = flat(" ".join(pages_of(render(plan, "it").content)))
    assert "Starpposma mērķi" in latvian and "Milestones" not in latvian
    assert "Hitos" in spanish and "Milestones" not in spanish
    assert "Tappe" in italian or "Traguardi" in italian
    assert "Milestones" not in italian


def test_the_cocreation_chapter_holds_the_participation_figures_and_the_register(plan):
    text = flat(" ".join(pages_of(render(plan).content)))
    for heading in (
        "The co-creation process",
        "Consultations",
        "Multistakeholder forum meetings",
        "Participation in figures",
        "The reasoned response register",
    ):
        assert heading in text
    assert "No input has been received yet." in text


def test_a_commitment_pdf_holds_that_commitment_only(plan):
    first, second, _third = plan.commitments.order_by("position")
    text = flat(" ".join(pages_of(render(plan, commitment=first.identifier).content)))
    assert first.title in text
    assert second.title not in text
    assert "Contents" not in text


def test_a_plan_of_sixty_commitments_with_four_milestones_renders_with_constant_queries():
    small = build_plan(2, status="cocreation", published=True)
    large = build_plan(60, status="cocreation", published=True)
    # A running process has read the content types long before (the first count must not pay).
    ContentType.objects.get_for_model(ActionPlan)
    assert_queries_constant(lambda plan: render_document(plan, language="en"), small, large)

    result = render(large)
    pages = pages_of(result.content)
    # Cover, contents (two pages for 60 entries), three chapters, then a page or more each.
    assert len(pages) >= 60 + 5
    contents = " ".join(pages[1:3])
    for commitment in large.commitments.all():
        assert commitment.identifier in contents


def test_the_fetcher_serves_static_files_and_nothing_else():
    assert static_path_for(BASE_URL + "css/pdf.css").name == "pdf.css"
    assert static_path_for(BASE_URL + "fonts/noto-sans-400-normal.woff2").is_file()
    for url in (
        BASE_URL + "../../etc/passwd",
        BASE_URL + "%2e%2e/%2e%2e/etc/passwd",
        BASE_URL + "css/pdf.css?x=1",
        BASE_URL + "/etc/passwd",
        BASE_URL + "does/not/exist.css",
        "file:///etc/passwd",
        "http://127.0.0.1:9/evil.png",
        "https://pdf.invalid.example.org/static/css/pdf.css",
        "data:text/css,body{}",
    ):
        assert static_path_for(url) is None, url
        with pytest.raises(ValueError):
            StaticFilesFetcher().fetch(url)


def test_user_written_text_cannot_make_the_renderer_fetch_anything(monkeypatch):
    hostile = (
        '<img src="http://127.0.0.1:9/tracker.png"> <link rel="stylesheet" href="file:///etc/passwd">'
        ' <style>@import "http://127.0.0.1:9/x.css";</style> <iframe src="http://127.0.0.1:9/"></iframe>'
    )
    member = MemberFactory(
        name='Evil"; } @page { @top-left { content: url(http://127.0.0.1:9/m) } '
    )
    plan = ActionPlanFactory(
        member=member, status="cocreation", published=True, introduction=hostile
    )
    CommitmentFactory(plan=plan, title="Hostile <b>title</b>", description=hostile)

    fetched = []
    original = StaticFilesFetcher.fetch

    def recording(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer went to the network")

    monkeypatch.setattr(StaticFilesFetcher, "fetch", recording)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    text = flat(" ".join(pages_of(render(plan).content)))

    assert fetched and all(url.startswith(BASE_URL) for url in fetched), fetched
    # The markup is shown as the text it is.
    assert '<img src="http://127.0.0.1:9/tracker' in text
    assert '<style>@import "http://127.0.0.1:9/x.css";</style>' in text
    assert "Hostile <b>title</b>" in text


def test_css_strings_escape_everything_that_could_end_them():
    escaped = css_string('a"b\\c\n</style><script>')
    assert escaped.startswith('"') and escaped.endswith('"')
    inner = escaped[1:-1]
    assert '"' not in inner and "\n" not in inner and "<" not in inner and ">" not in inner
    assert "\\" in inner


def test_dates_known_only_to_the_month_or_year_are_printed_as_such():
    import datetime

    plan = ActionPlanFactory(status="ended", published=True)
    CommitmentFactory(
        plan=plan,
        start_date=datetime.date(2014, 7, 1),
        start_date_precision="month",
        end_date=datetime.date(2016, 12, 31),
        end_date_precision="year",
    )
    text = flat(" ".join(pages_of(render(plan).content)))
    assert "July 2014 – 2016" in text
    assert "1 July 2014" not in text and "31 December 2016" not in text


def test_read_it_online_points_at_the_sites_address(plan, settings):
    """The cover's link is built from DJANGO_SITE_URL (which `./ogp run` sets from PORT)."""
    settings.SITE_URL = "http://127.0.0.1:8765"
    text = flat("\n".join(pages_of(render(plan).content)))
    assert f"http://127.0.0.1:8765{plan.get_absolute_url()}" in text
    assert ":8000" not in text
