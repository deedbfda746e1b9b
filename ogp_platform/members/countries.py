"""ISO 3166-1 countries, with names in the interface language (pycountry's catalogs)."""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language


@cache
def _catalog(language: str):
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def alpha3(alpha2: str) -> str:
    country = pycountry.countries.get(alpha_2=alpha2.upper())
    if country is None:
        raise ValueError(f"{alpha2!r} is not an ISO 3166-1 alpha-2 code")
    return country.alpha_3


def name(alpha2: str, language: str | None = None) -> str:
    """The country's name in the given (default: the active) language."""
    country = pycountry.countries.get(alpha_2=alpha2.upper()) if alpha2 else None
    if country is None:
        return alpha2
    return _catalog(language or get_language() or "en").gettext(
        getattr(country, "common_name", None) or country.name
    )


def choices(language: str | None = None) -> list[tuple[str, str]]:
    """(alpha-2, localised name) pairs sorted by name, for select boxes."""
    pairs = [(c.alpha_2, name(c.alpha_2, language)) for c in pycountry.countries]
    return sorted(pairs, key=lambda pair: pair[1].casefold())
