"""The accessibility and language tour: every page type the journeys visit, with the demo data,
signed out and signed in as each role, in its states (empty, filled, with form errors).

On each page, at 1280 px and at 390 px: axe-core finds no serious or critical violation of
WCAG 2.1 A/AA (and best practice), `<html lang>` is right, there is one h1 and no heading level
is skipped, every image has an alt attribute, and at 390 px nothing scrolls sideways. Full-page
screenshots go to screenshots/ as `<page>[-<role>]-<lang>-<desktop|phone>.png`.

The Latvian tour opens the journeys' key pages in Latvian and fails on any interface text left
in English: a text node (or an accessible name) equal to an English message that the Latvian
catalog translates differently.

A tour collects every problem of its pages and fails once at the end, listing them all.
"""

import io
import re
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from action_plans import exports
from action_plans.models import ActionPlan
from participation.links import args_of
from participation.models import Consultation, Input, Report
from tests.browser import a11y
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.imports.dataset import dataset_bytes, latvia, madrid

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADMIN = ("admin@demo.ogp.example", "demo-admin-pass")
OFFICER_LV = ("officer@demo.ogp.example", "demo-officer-pass")
OFFICER_IT = ("officer.it@demo.ogp.example", "demo-officer-it-pass")
CITIZEN = ("citizen1@demo.ogp.example", "demo-citizen-pass")


@pytest.fixture
def demo(monkeypatch):
    """The demo data of `./ogp run`; PDFs are queued but never rendered (the status page waits)."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    monkeypatch.setattr(exports, "_queue", lambda export: None)


def space_args(identifier):
    plan = ActionPlan.objects.get(identifier=identifier)
    return args_of(plan)


class Tour:
    """Visits pages in one browser context and checks each at both widths."""

    def __init__(self, context, screenshot, *, language="en", role=""):
        self.page = context.new_page()
        self.screenshot = screenshot
        self.language = language
        self.role = role
        self.problems = []
        self.visited = []
        self.minor = {}

    def _record(self, name, check, *args):
        try:
            result = check(*args)
        except AssertionError as error:
            self.problems.append(f"[{name}] {error}")
        else:
            # axe's moderate and minor findings do not fail the tour; they are printed.
            for violation in result or ():
                self.minor.setdefault(f"{violation['id']} ({violation['impact']})", set()).add(name)

    def check(self, name, *, extra=None):
        """Check the page as it is now (after a goto, a click or a submitted form)."""
        page = self.page
        page.wait_for_load_state()
        label = f"{name}-{self.role}" if self.role else name
        self.visited.append(label)
        page.set_viewport_size(DESKTOP)
        self._record(label, a11y.assert_lang, page, self.language)
        self._record(label, a11y.assert_headings_in_order, page)
        self._record(label, a11y.assert_images_have_alt, page)
        self._record(label, a11y.assert_no_axe_violations, page)
        if extra:
            self._record(label, extra, page)
        self.screenshot(page, f"{label}-{self.language}-desktop")
        page.set_viewport_size(PHONE)
        self._record(label, a11y.assert_no_horizontal_overflow, page)
        self._record(f"{label} at 390 px", a11y.assert_no_axe_violations, page)
        self.screenshot(page, f"{label}-{self.language}-phone")
        page.set_viewport_size(DESKTOP)

    def visit(self, name, url, **options):
        response = self.page.goto(url)
        assert response.ok, f"{url}: HTTP {response.status}"
        self.check(name, **options)

    def assert_clean(self):
        for rule, pages in sorted(self.minor.items()):
            print(f"axe, not failing: {rule} on {', '.join(sorted(pages))}")
        assert not self.problems, (
            f"{len(self.problems)} problem(s) on {len(self.visited)} pages:\n\n"
            + "\n\n".join(self.problems)
        )


@pytest.fixture
def english_context(new_context, live_server):
    """A browser that chose English (the demo people prefer Latvian, Italian or Spanish)."""

    def make():
        context = new_context()
        cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}
        context.add_cookies([cookie])
        return context

    return make


# --- Signed out, in English ------------------------------------------------------------------


def test_tour_of_members_and_accounts_signed_out(demo, english_context, screenshot):
    tour = Tour(english_context(), screenshot)
    page = tour.page
    tour.visit("home", reverse("home"))
    tour.visit("sign-in", reverse("account_login"))
    page.get_by_label("Email").fill(CITIZEN[0])
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("alert").first.wait_for()
    tour.check("sign-in-error")
    tour.visit("sign-up", reverse("account_signup"))
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("alert").first.wait_for()
    tour.check("sign-up-error")
    tour.visit("members", reverse("members:directory"))
    tour.visit("members-filtered", reverse("members:directory") + "?kind=local")
    tour.visit("member", reverse("members:detail", args=["latvia"]))
    tour.visit("forum", reverse("members:forum", args=["latvia"]))
    tour.visit("repository", reverse("members:repository", args=["latvia"]))
    tour.visit("organisations", reverse("members:organisations"))
    tour.visit("organisation", reverse("members:organisation", args=["delna"]))
    tour.visit("open-data", reverse("commitments:open_data"))
    tour.assert_clean()


def test_tour_of_plans_and_commitments_signed_out(demo, english_context, screenshot):
    tour = Tour(english_context(), screenshot)
    page = tour.page
    tour.visit("plan-cocreation", reverse("action_plans:detail", args=["AP_LVA01"]))
    tour.visit("plan-implementation", reverse("action_plans:detail", args=["AP_ESP02"]))
    tour.visit("plan-ended", reverse("action_plans:detail", args=["AP_ESP01"]))
    tour.visit("plan-changes", reverse("action_plans:changes", args=["AP_LVA01"]))
    _plan, space_id = space_args("AP_LVA01")
    consultation = Consultation.objects.get(space_type__model="actionplan", space_id=space_id)
    tour.visit("consultation", reverse("participation:consultation_detail", args=[consultation.pk]))
    tour.visit("commitment-comments", reverse("commitments:detail", args=["LV0001"]))
    tour.visit("commitment-progress", reverse("commitments:detail", args=["ES0006"]))
    tour.visit("commitment-assessed", reverse("commitments:detail", args=["ES0001"]))
    tour.visit("commitment-changes", reverse("commitments:changes", args=["LV0001"]))
    tour.visit("explorer", reverse("commitments:explorer"))
    tour.visit("explorer-empty", reverse("commitments:explorer") + "?q=zzxqv")
    tour.visit("explorer-filtered", reverse("commitments:explorer") + "?member=latvia")
    tour.visit(
        "register-report", reverse("participation:register_report", args=space_args("AP_LVA01"))
    )
    page.goto(reverse("action_plans:detail", args=["AP_ESP02"]))
    page.get_by_role("button", name="Download the plan as PDF").click()
    page.wait_for_url("**/pdf/*/")
    tour.check("pdf-status")
    tour.assert_clean()


# --- Signed in -------------------------------------------------------------------------------


def test_tour_as_a_citizen(demo, english_context, screenshot):
    tour = Tour(english_context(), screenshot, role="citizen")
    page = tour.page
    sign_in(page, *CITIZEN)
    tour.visit("my-work", reverse("dashboard"))
    tour.visit("plan-cocreation", reverse("action_plans:detail", args=["AP_LVA01"]))
    tour.visit("commitment-comments", reverse("commitments:detail", args=["LV0001"]))
    assert page.get_by_role("button", name="Post the comment").first.is_visible()
    page.locator("#comments summary", has_text="Reply").first.click()
    tour.check("reply-open")
    page.goto(reverse("commitments:detail", args=["LV0001"]))
    page.get_by_role("button", name="Post the comment").first.click()
    page.get_by_role("alert").first.wait_for()
    tour.check("comment-error")
    tour.visit("notifications", reverse("participation:notifications_settings"))
    tour.visit("profile", reverse("profile"))
    tour.visit("account-delete", reverse("accounts:delete"))
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_role("alert").first.wait_for()
    tour.check("account-delete-error")
    tour.assert_clean()


def test_tour_as_government_officers(demo, english_context, screenshot):
    tour = Tour(english_context(), screenshot, role="officer")
    page = tour.page
    sign_in(page, *OFFICER_IT)
    tour.visit("plan-draft", reverse("action_plans:detail", args=["AP_ITA01"]))
    tour.visit("commitment-draft", reverse("commitments:detail", args=["IT0001"]))
    page.goto(reverse("commitments:edit", args=["IT0001"]))
    page.get_by_label("End date").fill("2040-01-01")
    page.get_by_role("button", name="Save the commitment").click()
    page.get_by_role("alert").first.wait_for()
    tour.check("commitment-edit-error")
    page.goto(reverse("action_plans:create", args=["italy"]))
    page.get_by_role("button", name="Create the draft").click()
    page.get_by_role("alert").first.wait_for()
    tour.check("plan-create-error")

    # Latvia's point of contact, in a browser of their own.
    page = tour.page = english_context().new_page()
    sign_in(page, *OFFICER_LV)
    tour.visit("my-work", reverse("dashboard"))
    tour.visit("plan-cocreation", reverse("action_plans:detail", args=["AP_LVA01"]))
    tour.visit("register", reverse("participation:register", args=space_args("AP_LVA01")))
    pending = Input.objects.filter(disposition=Input.Disposition.PENDING).first()
    tour.visit("respond", reverse("participation:register_respond", args=[pending.pk]))
    page.get_by_label("Not accepted", exact=True).check()
    page.get_by_role("button", name="Save the response").click()
    page.get_by_role("alert").first.wait_for()
    tour.check("respond-error")
    tour.visit("member", reverse("members:detail", args=["latvia"]))
    tour.visit("forum", reverse("members:forum", args=["latvia"]))
    tour.visit("team", reverse("members:team", args=["latvia"]))
    tour.assert_clean()


def test_tour_as_an_ogp_admin(demo, english_context, screenshot, tmp_path):
    tour = Tour(english_context(), screenshot, role="admin")
    page = tour.page
    sign_in(page, *ADMIN)
    tour.visit("moderation", reverse("participation:moderation_queue"))
    reported = Report.objects.first().comment_id
    tour.visit("moderation-comment", reverse("participation:moderation_comment", args=[reported]))
    tour.visit("audit-log", reverse("audit:log"))
    page.goto(reverse("audit:log") + "?date_from=2030-01-01&date_to=2020-01-01")  # a 400
    tour.check("audit-log-error")
    tour.visit("onboarding", reverse("members:onboarding_dashboard"))
    tour.visit("onboarding-checklist", reverse("members:onboarding", args=["jurmala"]))
    tour.visit("onboarding-step", reverse("members:onboarding_eligibility", args=["jurmala"]))
    tour.visit("import", reverse("commitments:import_upload"))
    page.get_by_role("button", name="Upload and import").click()
    page.get_by_role("alert").first.wait_for()
    tour.check("import-error")
    dataset = tmp_path / "irm-commitments.csv"
    dataset.write_bytes(
        dataset_bytes(
            [latvia(), latvia("LV0020", **{"Start Date": "Permanent activity"}), madrid()]
        )
    )
    page.get_by_label(re.compile("commitments dataset")).set_input_files(str(dataset))
    page.get_by_label(re.compile("^Dry run")).check()
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_url("**/imports/commitments/*/")
    tour.check("import-report")
    tour.assert_clean()


# --- In Latvian --------------------------------------------------------------------------------

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|%[sd]")


@cache
def english_interface_text() -> tuple[frozenset, tuple]:
    """The English messages that Latvian translates differently: exact texts, and patterns for
    the messages with placeholders (the placeholder matches any text)."""
    import allauth

    english = {
        e.msgid: e.msgstr or e.msgid for e in polib.pofile(LOCALE / "en/LC_MESSAGES/django.po")
    }
    ours = polib.pofile(LOCALE / "lv/LC_MESSAGES/django.po")
    theirs = polib.pofile(Path(allauth.__file__).parent / "locale/lv/LC_MESSAGES/django.po")
    own_ids = {entry.msgid for entry in ours}
    # A Latvian word can be spelt like an English one ("No" is Latvian for "From").
    latvian = {" ".join(t.split()) for e in ours for t in [e.msgstr, *e.msgstr_plural.values()]}
    texts, patterns = set(), []
    entries = [*ours, *(entry for entry in theirs if entry.msgid not in own_ids)]
    for entry in entries:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            translations = [s for s in entry.msgstr_plural.values() if s]
            sources = [entry.msgid, entry.msgid_plural]
        else:
            translations = [entry.msgstr] if entry.msgstr else []
            sources = [english.get(entry.msgid, entry.msgid)]
        if not translations or all(t in sources for t in translations):
            continue
        for source in sources:
            source = " ".join(source.replace("%%", "%").split())
            if PLACEHOLDER.search(source):
                literal = PLACEHOLDER.sub("", source)
                if sum(ch.isalpha() for ch in literal) >= 12:
                    parts = [re.escape(part) for part in PLACEHOLDER.split(source)]
                    patterns.append(re.compile(".+?".join(parts)))
            elif sum(ch.isalpha() for ch in source) >= 2:
                texts.add(source)
    return frozenset(texts - latvian), tuple(patterns)


# Every piece of text a person reads or hears in the page's language: rendered text nodes
# (options of a select included; visually hidden text too, screen readers read it) and
# accessible names set in attributes. Text marked as another language (the switcher's
# "English") and code (the open-data column names) are not interface text.
PAGE_TEXT = """() => {
    const seen = [];
    const page = document.documentElement.lang;
    const foreign = (el) => el.closest("code, kbd, samp") || el.closest("[lang]").lang !== page;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const el = node.parentElement;
        if (!el || el.closest("script, style, template, noscript") || foreign(el)) continue;
        const box = el.closest("select") || el;
        if (!box.checkVisibility({visibilityProperty: true})) continue;
        const text = node.textContent.replace(/\\s+/g, " ").trim();
        if (text) seen.push([text, el.tagName.toLowerCase()]);
    }
    for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
        if (foreign(el)) continue;
        for (const name of ["aria-label", "title", "placeholder", "alt"]) {
            const text = (el.getAttribute(name) || "").replace(/\\s+/g, " ").trim();
            if (text) seen.push([text, `${el.tagName.toLowerCase()}[${name}]`]);
        }
    }
    return seen;
}"""


def assert_no_english_interface_text(page) -> None:
    texts, patterns = english_interface_text()
    left = []
    for text, where in page.evaluate(PAGE_TEXT):
        candidates = {text, text.rstrip(":…").strip(), text.rstrip(".").strip()}
        hit = next((c for c in candidates if c in texts), None)
        if hit is None and len(text) < 300:
            hit = next((p.pattern for p in patterns if p.fullmatch(text)), None)
        if hit is not None:
            left.append(f"{text!r} in <{where}>")
    assert not left, f"English interface text on the Latvian page {page.url}:\n  " + "\n  ".join(
        sorted(set(left))
    )


def test_tour_in_latvian(demo, new_context, screenshot):
    """The journeys' key pages in Latvian: checked like the English ones, and for English
    interface text left untranslated. The header's switcher keeps the page you are on."""
    tour = Tour(new_context(), screenshot, language="lv")
    page = tour.page
    plan_url = reverse("action_plans:detail", args=["AP_LVA01"])
    page.goto(plan_url)
    # The check finds English where there is English.
    with pytest.raises(AssertionError, match="Download the plan as PDF"):
        assert_no_english_interface_text(page)
    page.get_by_role("button", name="Latviešu").click()
    page.wait_for_load_state()
    assert page.url.endswith(plan_url), f"the switcher left {plan_url} for {page.url}"
    untranslated = assert_no_english_interface_text
    tour.check("plan-cocreation", extra=untranslated)

    tour.visit("home", reverse("home"), extra=untranslated)
    tour.visit("member", reverse("members:detail", args=["latvia"]), extra=untranslated)
    tour.visit(
        "commitment-comments", reverse("commitments:detail", args=["LV0001"]), extra=untranslated
    )
    tour.visit(
        "commitment-progress", reverse("commitments:detail", args=["ES0006"]), extra=untranslated
    )
    tour.visit(
        "explorer-filtered", reverse("commitments:explorer") + "?member=latvia", extra=untranslated
    )
    tour.visit(
        "register-report",
        reverse("participation:register_report", args=space_args("AP_LVA01")),
        extra=untranslated,
    )
    tour.visit("open-data", reverse("commitments:open_data"), extra=untranslated)
    tour.visit("sign-in", reverse("account_login"), extra=untranslated)
    page.locator("main form.form--entrance button[type=submit]").first.click()
    tour.check("sign-in-error", extra=untranslated)
    tour.visit("sign-up", reverse("account_signup"), extra=untranslated)
    page.locator("main form.form--entrance button[type=submit]").first.click()
    tour.check("sign-up-error", extra=untranslated)

    page.goto(reverse("action_plans:detail", args=["AP_ESP02"]))
    page.locator("form[action$='/pdf/'] button").click()
    page.wait_for_url("**/pdf/*/")
    tour.check("pdf-status", extra=untranslated)
    tour.assert_clean()


# --- The checks themselves ---------------------------------------------------------------------

BROKEN_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body>
<main><h1>One</h1><h3>Skipped a level</h3><h1>Two</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text" name="unlabelled">
<p style="color: #aaa; background: #fff">Pale grey text</p>
<div style="width: 900px">Too wide for a phone</div></main></body></html>"""


def test_the_checks_find_what_they_look_for(browser):
    """Each check of the tour fails on a page that breaks its rule (no server needed)."""
    page = browser.new_page(viewport=PHONE)
    try:
        page.set_content(BROKEN_PAGE)
        with pytest.raises(AssertionError) as axe_found:
            a11y.assert_no_axe_violations(page)
        for rule in ("image-alt (critical)", "label (critical)", "color-contrast (serious)"):
            assert rule in str(axe_found.value)
        with pytest.raises(AssertionError, match="lang"):
            a11y.assert_lang(page, "lv")
        with pytest.raises(AssertionError, match="2 h1"):
            a11y.assert_headings_in_order(page)
        with pytest.raises(AssertionError, match="without an alt"):
            a11y.assert_images_have_alt(page)
        with pytest.raises(AssertionError, match="scrolls sideways"):
            a11y.assert_no_horizontal_overflow(page)
    finally:
        page.close()
