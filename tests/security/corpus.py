"""Hostile inputs: what an attacker, a careless paste or an odd keyboard may put in any field.

Each payload has a name (the test ids). The tests put them in every field people edit and check
that they come back inert in HTML, PDF, CSV, JSON and email: shown as the text they are, never
run, never a formula, never a new mail header, never a server error.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Payload:
    name: str
    text: str


MARKUP = [
    Payload("script", "<script>alert(1)</script>"),
    Payload("img_onerror", '"><img src=x onerror=alert(1)>'),
    Payload("attribute_break", "' autofocus onfocus='alert(1)"),
    Payload("svg_onload", "<svg onload=alert(1)>"),
    Payload("svg_script", "<svg><script>alert(1)</script></svg>"),
    Payload("iframe", '<iframe src="javascript:alert(1)"></iframe>'),
    Payload("style_break", "</style><script>alert(1)</script>"),
    Payload("textarea_break", "</textarea><script>alert(1)</script>"),
    Payload("title_break", "</title><script>alert(1)</script>"),
    Payload("comment_break", "--><script>alert(1)</script><!--"),
]

LINKS = [
    # Markdown is allowed in comments (participation/markdown.py): links must keep to
    # http, https and mailto whatever the spelling.
    Payload("markdown_javascript", "[x](javascript:alert(1))"),
    Payload("markdown_mixed_case", "[x](JaVaScRiPt:alert(1))"),
    Payload("markdown_entity", "[x](javascript&#58;alert(1))"),
    Payload("markdown_data", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    Payload("markdown_vbscript", "[x](vbscript:msgbox(1))"),
    Payload("markdown_autolink", "<javascript:alert(1)>"),
    Payload("html_link", '<a href="javascript:alert(1)">x</a>'),
    Payload("html_link_mixed_case", '<a href="JaVaScRiPt:alert(1)">x</a>'),
    Payload("data_url", "data:text/html,<script>alert(1)</script>"),
]

SQL = [
    Payload("sql", "' OR 1=1; DROP TABLE x; --"),
    Payload("sql_quote", 'Robert"); DROP TABLE members_member;--'),
]

# Cells a spreadsheet would run as a formula (CSV injection).
FORMULAS = [
    Payload("formula_hyperlink", '=HYPERLINK("http://evil","x")'),
    Payload("formula_dde", "+cmd|' /C calc'!A0"),
    Payload("formula_minus", "-2+3"),
    Payload("formula_at", "@SUM(1)"),
    Payload("formula_tab", "\t=1"),
    Payload("formula_cr", "\r=1"),
]

TEMPLATES = [
    Payload("template_variable", "{{ 7*7 }}"),
    Payload("template_tag", "{% debug %}"),
    Payload("gettext_format", "%(name)s %s %d {0}"),
]

UNICODE = [
    Payload("escape_and_bell", "bell\u0007 escape\x1b[31m red"),
    Payload("rtl_override", "invoice\u202egnp.exe"),
    # Isolates and embeddings reorder text too, and marks change where words go.
    Payload("bidi_isolate", "\u2067evil\u2069 \u202bembedded\u202c \u200fmark"),
    Payload("zero_width", "zero\u200bwidth\u200c\u200d\ufeffjoiners"),
    # Invisible, and a copy of a name with them in it looks like the name.
    Payload("invisible", "Del\u00adna\u2060 \u180e Hangul\u3164filler"),
    Payload("astral", "emoji 🏛️🇱🇻 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𓀀"),
    Payload("combining", "Z̴̡̛a̶l̷g̸o̵ ŗāķī"),
    # Digits to str.isdigit() but not to int(): where a number is expected.
    Payload("unicode_digits", "²³"),
]

HEADERS = [
    # In a subject or any other mail header: must never start a new header.
    Payload("crlf_header", "x\r\nBcc: evil@x"),
    Payload("lf_header", "x\nBcc: evil@x"),
    # Line breaks other than CR and LF, which some mail and text readers honour.
    Payload("line_separator", "x\u2028Bcc: evil@x"),
    Payload("next_line", "x\x85Bcc: evil@x"),
]

# Together: what every field gets, joined into a few values (see `batches`).
ALL = [*MARKUP, *LINKS, *SQL, *FORMULAS, *TEMPLATES, *UNICODE, *HEADERS]

# What a name or a title (one line of visible text) refuses: line breaks, tabs and other
# control characters, direction overrides, isolates and marks, invisible characters.
NOT_IN_A_NAME = [
    *(p for p in UNICODE if p.name in {"escape_and_bell", "rtl_override", "bidi_isolate"}),
    *(p for p in UNICODE if p.name in {"zero_width", "invisible"}),
    *(p for p in FORMULAS if p.name in {"formula_tab", "formula_cr"}),
    *HEADERS,
]

# Alone, because each must be refused or cleaned by itself and would spoil the others' value.
NUL = Payload("nul", "before\x00after")
LONG = Payload("long", "A" * 50_000 + " <script>alert(1)</script> " + "B" * 49_973)

# What the page must show as text when the value was saved: proof it was not evaluated.
LITERAL = "{{ 7*7 }}"


def batches(limit: int, payloads=ALL) -> list[str]:
    """The payloads joined with spaces into as few values as fit in `limit` characters each."""
    values, current = [], ""
    for payload in payloads:
        text = payload.text[:limit]
        if current and len(current) + 1 + len(text) > limit:
            values.append(current)
            current = text
        else:
            current = f"{current} {text}" if current else text
    if current:
        values.append(current)
    return values


def by_name(name: str) -> Payload:
    return next(payload for payload in [*ALL, NUL, LONG] if payload.name == name)
