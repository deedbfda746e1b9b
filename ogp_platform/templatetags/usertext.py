"""Text people wrote, shown inline next to other text: `{% load usertext %}`.

    {{ comment.author.get_full_name|bdi }}   <bdi>Anna Bērziņa</bdi>
    {{ plan.title|oneline }}                 (emails, attributes) one line, nothing invisible

`bdi` isolates the value's direction, so that a name in Arabic or Hebrew, or a direction
override stored before names were checked (`ogp_platform.text`), cannot reorder the words
around it (the author line of a comment, a breadcrumb trail, a sentence of the PDF); it also
drops line breaks and invisible characters, for the PDF renderer and for anything that reads
the page's text. `oneline` only does the latter: for plain-text emails, where a line break in
a name would start a line that reads as a header.
"""

from django import template
from django.utils.html import format_html

from ogp_platform.text import one_line

register = template.Library()


@register.filter
def bdi(value) -> str:
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", one_line(value))


@register.filter
def oneline(value) -> str:
    return one_line(value)
