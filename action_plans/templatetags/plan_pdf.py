"""Filters for the PDF document (templates/action_plans/pdf/)."""

import re

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

_CSS_UNSAFE = re.compile(r'[\\"\x00-\x1f\x7f<>]')


@register.filter
def css_string(value) -> str:
    """`value` as a double-quoted CSS string, for `content:` in the page margins. Every
    character that could end the string, the declaration or the style element is escaped as a
    CSS hexadecimal escape."""
    escaped = _CSS_UNSAFE.sub(lambda match: f"\\{ord(match.group()):x} ", str(value))
    return mark_safe(f'"{escaped}"')  # noqa: S308 - every unsafe character is escaped above


@register.simple_tag
def page_of_pages() -> str:
    """The footer's "Page n of m" as CSS content, with the words translated and the numbers
    left to the page counters, in the order the language puts them."""
    from django.utils.translation import gettext

    text = gettext("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\((?:page|pages)\)s)", text)
    tokens = []
    for part in parts:
        if part == "%(page)s":
            tokens.append("counter(page)")
        elif part == "%(pages)s":
            tokens.append("counter(pages)")
        elif part:
            tokens.append(css_string(part))
    return mark_safe(" ".join(tokens))  # noqa: S308 - built from escaped strings and counters
