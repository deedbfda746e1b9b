"""Numbers, money, dates and plurals as each language writes them."""

import datetime
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

from tests.plans.factories import ActionPlanFactory, CommitmentFactory

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
    assert render(source, "en", day=day) == "Aug. 31, 2026"
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
