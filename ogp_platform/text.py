"""Names and titles people type: one line of visible text, checked on the way in and made safe
on the way out.

A name or a title is shown inline, next to other text, in pages, emails, PDF documents and
open data. A line break in it starts a new line of an email (where "Bcc: …" reads as a header
to a person, and to a careless mail client); a direction override (U+202E) reverses whatever
follows it; invisible characters (a zero-width space, a soft hyphen) make two different names
look the same. So:

- `validate_single_line` refuses control, format, line- and paragraph-separator characters and
  the letters that draw nothing, in every name and title field (models and forms);
- `one_line` drops them from a value that was stored before the validator existed (or came
  from an import), wherever such a value reaches an email or an inline place of a page;
- `name_key` is what two names that look alike have in common, for uniqueness
  (organisations).

The checks use the Unicode categories of Python's own database: Cc (controls, including tab,
CR, LF and NEL), Cf (format: direction marks, overrides and isolates, zero-width spaces and
joiners, the byte-order mark, the soft hyphen, the word joiner), Zl and Zp (the line and
paragraph separators).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

# Categories that never belong in one line of visible text.
_BREAKS = {"Cc", "Zl", "Zp"}
_FORMAT = "Cf"
# Letters and marks of other categories that draw nothing, alone: the combining grapheme
# joiner, the Hangul fillers and the Khmer inherent vowels.
INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
# Marks that only choose how the letter before them is drawn (the variation selectors, which
# make an emoji colourful, and the Mongolian free variation selectors): a name may use them,
# but two names differing only by them are the same name.
_VARIATION_SELECTORS = frozenset(
    "\u180b\u180c\u180d\u180f" + "".join(chr(code) for code in range(0xFE00, 0xFE10))
)


def _unwanted(char: str) -> bool:
    category = unicodedata.category(char)
    return category in _BREAKS or category == _FORMAT or char in INVISIBLE


def validate_single_line(value) -> None:
    """One line of visible text: no line break, tab or other control character, no format
    character (direction marks and overrides, zero-width and invisible characters)."""
    for char in str(value):
        if _unwanted(char):
            raise ValidationError(
                _(
                    "Names and titles are one line of visible text. Remove the line break, "
                    "tab or invisible character (%(character)s)."
                ),
                code="invisible_character",
                params={"character": f"U+{ord(char):04X}"},
            )


def one_line(value) -> str:
    """The value as one line of visible text: line breaks and other control characters become
    spaces, format and invisible characters go. A value without any comes back unchanged."""
    text = "" if value is None else str(value)
    if text.isprintable() and not INVISIBLE.intersection(text):
        # isprintable() is False for every character of the categories above (and for
        # spaces other than " ", which are harmless and go to the slow path).
        return text
    kept = []
    changed = False
    for char in text:
        category = unicodedata.category(char)
        if category in _BREAKS:
            kept.append(" ")
            changed = True
        elif category == _FORMAT or char in INVISIBLE:
            changed = True
        else:
            kept.append(char)
    result = "".join(kept)
    return " ".join(result.split()) if changed else result


# Longest key kept: NFKC and case folding can lengthen a name (ß → ss, ﷺ → 18 letters), and a
# unique index entry has a size limit in PostgreSQL; names that agree this far are one name.
NAME_KEY_LENGTH = 600


def name_key(value: str) -> str:
    """What a name has in common with every name that looks the same: compatibility forms
    folded (NFKC: full-width letters, ligatures, non-breaking spaces), case folded, format and
    invisible characters and variation selectors removed, line breaks and runs of spaces made
    one space."""
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(
        " " if unicodedata.category(char) in _BREAKS else char
        for char in text
        if not (
            unicodedata.category(char) == _FORMAT
            or char in INVISIBLE
            or char in _VARIATION_SELECTORS
        )
    )
    text = unicodedata.normalize("NFKC", text.casefold())
    return " ".join(text.split())[:NAME_KEY_LENGTH]


def unique_slug(model, text: str, *, fallback: str = "item") -> str:
    """`text` as a slug for a new row of `model` (its `slug` field), with a number after it when
    another row has it already ("better-buses", "better-buses-2"...), within the field's length.
    One query."""
    length = model._meta.get_field("slug").max_length
    base = slugify(text)[: length - 8].strip("-") or fallback
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
