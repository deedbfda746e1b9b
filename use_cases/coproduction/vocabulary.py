"""The words of INTERLINK's catalogue: the values its records use for an enabler's form, format,
licence and administrative scope, and the labels the platform shows for them in the reader's
language.

The source's vocabularies are open lists (INTERLINK's backend-catalogue declares forms, formats
and scopes; licences are whatever its records say), so the models keep values as given and a
value this module does not know is shown as it is written, made readable (`other_thing` →
"Other thing"), and not offered as a filter.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# What a knowledge enabler is (INTERLINK's `FormTypes`).
FORMS = {
    "visual_template": _("Visual template"),
    "document_template": _("Document template"),
    "canvas": _("Canvas"),
    "best_practices": _("Best practices"),
    "guidelines": _("Guidelines"),
    "checklist": _("Checklist"),
    "survey_template": _("Survey template"),
    "legal_agreement_template": _("Legal agreement template"),
    "other": _("Other"),
}

# The file it comes as (INTERLINK's `Formats`).
FORMATS = {
    "pdf": _("PDF"),
    "editable_source_document": _("Editable document"),
    "open_document": _("Open document format"),
    "structured_format": _("Structured data"),
}

# The enabler's own licence. INTERLINK's records spell "proprietary" as "propietary": the
# importer reads both as one value (see LICENCE_ALIASES).
LICENCES = {
    "public_domain": _("Public domain"),
    "permissive": _("Permissive open licence"),
    "copyleft": _("Copyleft open licence"),
    "proprietary": _("Proprietary"),
}
LICENCE_ALIASES = {"propietary": "proprietary"}

# The level of government it suits.
SCOPES = {
    "eu": _("European"),
    "national": _("National"),
    "local": _("Local"),
}


def _readable(value: str) -> str:
    return value.replace("_", " ").replace(";", " – ").strip().capitalize()


def label(vocabulary: dict, value: str) -> str:
    """The label of `value` in `vocabulary`, or the value made readable when it is unknown;
    "" for no value."""
    if not value:
        return ""
    return str(vocabulary.get(value, _readable(value)))


def labels(vocabulary: dict, values) -> list[str]:
    return [label(vocabulary, value) for value in values or () if value]


def choices(vocabulary: dict) -> list[tuple[str, str]]:
    """The vocabulary as form choices, in the order it declares them."""
    return list(vocabulary.items())


def normalise_licence(value) -> str:
    value = value.strip() if isinstance(value, str) else ""
    return LICENCE_ALIASES.get(value, value)


def language_choices() -> list[tuple[str, str]]:
    """The languages an enabler may be written in: the platform's (INTERLINK's pilots wrote in
    the same four)."""
    return list(settings.LANGUAGES)


def language_label(code: str) -> str:
    return str(dict(language_choices()).get(code, code))
