"""ISO 3166-1 countries, with names in the interface language (pycountry's catalogs), and the
few members OGP lists that ISO 3166-1 does not (Kosovo, XK)."""

import gettext
import unicodedata
from functools import cache

import pycountry
from django.utils import translation
from django.utils.translation import get_language, gettext_noop


class _Untranslated(gettext.NullTranslations):
    """The last fallback of a catalog: None for a name it does not translate, so that callers
    can tell "no translation" from a translation that happens to read the same."""

    def gettext(self, message):
        return None


@cache
def _catalog(language: str):
    catalog = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language.split("-")[0]], fallback=True
    )
    catalog.add_fallback(_Untranslated())
    return catalog


# Members OGP lists that ISO 3166-1 (and so pycountry) does not: Kosovo has only the
# user-assigned code XK (XKX), which OGP, the EU and the World Bank use.
# alpha-2 → (alpha-3, English name; translated in the project's catalogs).
OTHER_COUNTRIES = {"XK": ("XKX", gettext_noop("Kosovo"))}


def alpha3(alpha2: str) -> str:
    other = OTHER_COUNTRIES.get(alpha2.upper())
    if other is not None:
        return other[0]
    country = pycountry.countries.get(alpha_2=alpha2.upper())
    if country is None:
        raise ValueError(f"{alpha2!r} is not an ISO 3166-1 alpha-2 code")
    return country.alpha_3


def by_alpha3(code: str) -> str | None:
    """The alpha-2 code of the country with this alpha-3 code (LVA → LV), or None."""
    code = code.strip().upper()
    if not (len(code) == 3 and code.isalpha() and code.isascii()):
        return None
    for alpha2, (other_alpha3, _name) in OTHER_COUNTRIES.items():
        if other_alpha3 == code:
            return alpha2
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_2 if country is not None else None


def by_name(text: str) -> str | None:
    """The alpha-2 code of the country with this English name, official or common name, or
    code ("Latvia", "Korea, Republic of", "Kosovo"), or None."""
    text = " ".join(text.split())
    for alpha2, (_alpha3, other_name) in OTHER_COUNTRIES.items():
        if text.casefold() in {other_name.casefold(), alpha2.casefold()}:
            return alpha2
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def translated(alpha2: str, language: str | None = None) -> str | None:
    """The country's name as the given (default: the active) language writes it, or None when
    there is no translation: always so in English, the language the names are kept in.

    pycountry's catalogs translate the common name ("South Korea") in some languages and only
    the ISO name ("Korea, Republic of") in others: the common name is preferred when both are.
    """
    language = language or get_language() or "en"
    other = OTHER_COUNTRIES.get(alpha2.upper()) if alpha2 else None
    if other is not None:
        with translation.override(language):
            text = translation.gettext(other[1])
        return text if text != other[1] else None
    country = pycountry.countries.get(alpha_2=alpha2.upper()) if alpha2 else None
    if country is None:
        return None
    catalog = _catalog(language)
    for english in (getattr(country, "common_name", None), country.name):
        if english and (text := catalog.gettext(english)) is not None:
            return text
    return None


def name(alpha2: str, language: str | None = None) -> str:
    """The country's name in the given (default: the active) language."""
    other = OTHER_COUNTRIES.get(alpha2.upper()) if alpha2 else None
    if other is not None:
        return translated(alpha2, language) or other[1]
    country = pycountry.countries.get(alpha_2=alpha2.upper()) if alpha2 else None
    if country is None:
        return alpha2
    return translated(alpha2, language) or getattr(country, "common_name", None) or country.name


def sort_key(text: str) -> str:
    """A key that sorts names as a reader expects: letters with diacritics next to the plain
    letter (Ēģipte among the E, not after Z), capitals and small letters together."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def matching(query: str, language: str | None = None) -> list[str]:
    """The alpha-2 codes of the countries whose name in the language contains `query`, so that
    a search for "Lettonia" in Italian finds Latvia."""
    wanted = sort_key(" ".join(query.split()))
    if not wanted:
        return []
    return [code for code, label in choices(language) if wanted in sort_key(label)]


def choices(language: str | None = None) -> list[tuple[str, str]]:
    """(alpha-2, localised name) pairs sorted by name, for select boxes."""
    codes = [*(c.alpha_2 for c in pycountry.countries), *OTHER_COUNTRIES]
    pairs = [(code, name(code, language)) for code in codes]
    return sorted(pairs, key=lambda pair: sort_key(pair[1]))
