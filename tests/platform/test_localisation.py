"""Numbers, money, dates and plurals as each language writes them."""

import datetime
import html as html_lib
import re
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django import forms
from django.contrib.auth.models import Group
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import ngettext

from ogp_platform.members.models import OnboardingEvent
from ogp_platform.members.policies import OGP_ADMINS_GROUP
from tests.factories import UserFactory
from tests.members.factories import InvitationFactory, OnboardingFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

ROOT = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load formatting %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "€125,000.50"),
        ("it", f"125.000,50{NBSP}€"),
        ("es", f"125{NBSP}000,50{NBSP}€"),
        ("lv", f"125{NBSP}000,50{NBSP}€"),
    ],
)
def test_money_is_written_the_way_each_language_writes_it(language, expected):
    assert render("{{ amount|money:'EUR' }}", language, amount=Decimal("125000.50")) == expected


def test_whole_amounts_and_other_currencies():
    assert render("{{ amount|money:'EUR' }}", "en", amount=Decimal("2000000")) == "€2,000,000"
    assert render("{{ amount|money:'SEK' }}", "it", amount=Decimal("1500")) == f"1.500{NBSP}SEK"
    assert render("{{ amount|money:'' }}", "it", amount=Decimal("1500")) == "1.500"
    assert render("{{ amount|money:'EUR' }}", "en", amount=None) == ""


@pytest.mark.django_db
def test_the_commitment_page_shows_its_budget_in_the_reader_language(client):
    plan = ActionPlanFactory(status="cocreation", published=True)
    commitment = CommitmentFactory(plan=plan, budget=Decimal("125000.50"), budget_currency="EUR")
    client.cookies["django_language"] = "lv"
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert f"125{NBSP}000,50{NBSP}€" in page


def test_dates_are_written_the_way_each_language_writes_them():
    day = datetime.date(2026, 8, 31)
    source = "{{ day|date:'DATE_FORMAT' }}"
    assert render(source, "en", day=day) == "31 August 2026"
    assert render(source, "it", day=day) == "31 Agosto 2026"
    assert render(source, "es", day=day) == "31 de agosto de 2026"
    assert render(source, "lv", day=day) == "2026. gada 31. augusts"


def test_latvian_plurals_use_its_three_forms():
    catalog = polib.pofile(str(ROOT / "locale/lv/LC_MESSAGES/django.po"))
    assert "nplurals=3" in catalog.metadata["Plural-Forms"]
    plurals = [entry for entry in catalog if entry.msgid_plural]
    assert len(plurals) > 20
    for entry in plurals:
        assert sorted(entry.msgstr_plural) == [0, 1, 2], entry.msgid
        assert all(entry.msgstr_plural[i].strip() for i in range(3)), entry.msgid
    singular, plural = (
        "%(count)d input is still waiting for a reasoned response.",
        ("%(count)d inputs are still waiting for a reasoned response."),
    )
    entry = next(e for e in plurals if e.msgid == singular and e.msgid_plural == plural)
    with translation.override("lv"):
        used = {n: ngettext(singular, plural, n) for n in (1, 21, 2, 11, 0)}
    # 1 and 21 take the first form, 2 and 11 the second, 0 the third.
    for n, form in ((1, 0), (21, 0), (2, 1), (11, 1), (0, 2)):
        assert used[n] == entry.msgstr_plural[form], n


# --- Dates day first, in every language --------------------------------------------------------

# 7 December 2026 at 18:44, which month-first English wrote "12/07/2026 6:44 p.m.".
MOMENT = datetime.datetime(2026, 12, 7, 18, 44, tzinfo=datetime.UTC)
# (DATE_FORMAT, SHORT_DATE_FORMAT)
DATES = {
    "en": ("7 December 2026", "7 Dec 2026"),
    "it": ("7 Dicembre 2026", "7 dic 2026"),
    "es": ("7 de diciembre de 2026", "7 dic 2026"),
    "lv": ("2026. gada 7. decembris", "07.12.2026."),
}
SHORT_DATETIME = {
    "en": "7 Dec 2026, 18:44",
    "it": "7 dic 2026, 18:44",
    "es": "7 dic 2026, 18:44",
    "lv": "07.12.2026. 18:44",
}
LONG_DATETIME = {
    "en": "7 December 2026, 18:44",
    "it": "7 Dicembre 2026, 18:44",
    "es": "7 de diciembre de 2026 a las 18:44",
    "lv": "2026. gada 7. decembris, 18:44",
}
MILESTONE_DATES = {
    "en": "7 Dec 2026 – 5 Mar 2027",
    "it": "7 dic 2026 – 5 mar 2027",
    "es": "7 dic 2026 – 5 mar 2027",
    "lv": "07.12.2026. – 05.03.2027.",
}
# Any date of digits and slashes (12/07/2026, 7/12/26) is read month first by some readers;
# 12.07.2026 would be the 12th of July; and a 12-hour clock gives "p.m." away.
AMBIGUOUS = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b12\.07\.2026|\b[ap]\.m\.")


def visible_text(html: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


def assert_day_first(html: str, *expected: str):
    text = " ".join(visible_text(html).split())
    assert not AMBIGUOUS.search(text), AMBIGUOUS.search(text).group()
    for value in expected:
        assert value in text, value


@pytest.fixture
def dated_pages():
    """An onboarding step, a commitment's changes and its milestones, all on 7 December 2026."""
    admin = UserFactory()
    Group.objects.get(name=OGP_ADMINS_GROUP).user_set.add(admin)
    onboarding = OnboardingFactory()
    OnboardingEvent.objects.create(
        onboarding=onboarding,
        step="eligibility",
        summary="Eligible",
        actor=admin,
        created_at=MOMENT,
    )
    InvitationFactory(member=onboarding.member, expires_at=MOMENT)

    plan = ActionPlanFactory(status="cocreation", published=True)
    commitment = CommitmentFactory(plan=plan)
    commitment.title = "Open procurement, revised"
    commitment.save()
    history = type(commitment).history.filter(id=commitment.pk).order_by("history_id")
    for minutes, record in enumerate(history):
        history.filter(history_id=record.history_id).update(
            history_date=MOMENT + datetime.timedelta(minutes=minutes)
        )
    MilestoneFactory(
        commitment=commitment,
        start_date=datetime.date(2026, 12, 7),
        end_date=datetime.date(2027, 3, 5),
    )
    return {
        "admin": admin,
        "checklist": reverse("members:onboarding", args=[onboarding.member.slug]),
        "contacts": reverse("members:onboarding_contacts", args=[onboarding.member.slug]),
        "changes": reverse("commitments:changes", args=[commitment.identifier]),
        "commitment": commitment.get_absolute_url(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "it", "lv", "es"])
def test_onboarding_history_and_milestones_write_dates_day_first(client, dated_pages, language):
    """The onboarding record, a commitment's changes and its milestones table write 7 December
    2026, 18:44 day first, with a 24-hour clock, in each language: never 12/07/2026 6:44 p.m."""
    client.cookies["django_language"] = language
    client.force_login(dated_pages["admin"])
    assert_day_first(
        client.get(dated_pages["checklist"]).content.decode(), SHORT_DATETIME[language]
    )
    # The invitation's expiry date, in the table of invitations.
    assert_day_first(client.get(dated_pages["contacts"]).content.decode(), DATES[language][1])
    changes = client.get(dated_pages["changes"]).content.decode()
    assert_day_first(changes, LONG_DATETIME[language], SHORT_DATETIME[language])
    assert_day_first(
        client.get(dated_pages["commitment"]).content.decode(), MILESTONE_DATES[language]
    )


@pytest.mark.parametrize("language", ["en", "it", "lv", "es"])
def test_every_named_format_writes_the_day_before_the_month(language):
    """Each named date format of each language writes 7 December 2026 day first (the year may
    lead, as in Latvian), with a 24-hour clock."""
    names = (
        "DATE_FORMAT",
        "SHORT_DATE_FORMAT",
        "DATETIME_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "TIME_FORMAT",
    )
    with translation.override(language):
        written = tuple(date_format(MOMENT, name) for name in names)
    expected = (*DATES[language], LONG_DATETIME[language], SHORT_DATETIME[language], "18:44")
    assert written == expected


class DayForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


@pytest.mark.parametrize("language", ["en", "it", "lv", "es"])
def test_a_date_input_gets_an_iso_date_and_reads_typed_dates_day_first(language):
    """A browser's date picker shows only an ISO date (2026-12-07), so every language gives it
    one; and a date typed by hand, 07/12/2026 (07.12.2026 in Latvian), is the 7th of December."""
    typed = "07.12.2026" if language == "lv" else "07/12/2026"
    with translation.override(language):
        assert 'value="2026-12-07"' in str(DayForm(initial={"day": MOMENT.date()})["day"])
        for text in ("2026-12-07", typed):
            form = DayForm({"day": text})
            assert form.is_valid(), (text, form.errors)
            assert form.cleaned_data["day"] == datetime.date(2026, 12, 7), text
