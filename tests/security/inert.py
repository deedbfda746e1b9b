"""Checks that a document shows hostile text as text: the parsed HTML (tags and attributes, not
substrings of escaped text), CSV cells, mail headers."""

import html
import re
from html.parser import HTMLParser

# Schemes a link, a form or an embedded resource must never point to.
_DANGEROUS_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "poster"}
# Tags that run or embed something; the platform's own pages use none of them but `script` with
# a `src` under /static/.
_EMBEDDING_TAGS = {"iframe", "object", "embed", "frame", "frameset", "base", "meta"}
# What a spreadsheet runs as a formula when a cell starts with it (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _url_scheme_text(value: str) -> str:
    """The value as a browser reads a URL: entities decoded, control characters and spaces
    dropped (`java\tscript:` is `javascript:` to a browser)."""
    return "".join(char for char in html.unescape(value) if ord(char) > 32)


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "script":
            self.in_script = True

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:80]!r}")

    def _check(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script> not from /static/: {attrs!r}"[:200])
        if tag in _EMBEDDING_TAGS and not (tag == "meta" and self._harmless_meta(attributes)):
            self.problems.append(f"<{tag}> element: {attrs!r}"[:200])
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style" and value:
                self.problems.append(f"style attribute on <{tag}>: {value[:80]!r}")
            if (
                name in _URL_ATTRIBUTES
                and value
                and _DANGEROUS_SCHEME.match(_url_scheme_text(value))
            ):
                self.problems.append(f'<{tag} {name}="{value[:80]}">')

    @staticmethod
    def _harmless_meta(attributes: dict) -> bool:
        # The layout's charset, viewport, description and the like; never a refresh or a CSP
        # typed by someone.
        return "http-equiv" not in attributes


def html_problems(document: str | bytes) -> list[str]:
    """What in the HTML would run or fetch something: scripts not from /static/, event handler
    attributes, style attributes, embedding elements, javascript:/data:/vbscript: URLs."""
    if isinstance(document, bytes):
        document = document.decode("utf-8")
    inspector = _Inspector()
    inspector.feed(document)
    inspector.close()
    return inspector.problems


def text_of(document: str | bytes) -> str:
    """The document's text with entities decoded, for checks on what a reader sees."""
    if isinstance(document, bytes):
        document = document.decode("utf-8")
    return html.unescape(document)


def formula_cells(rows) -> list[str]:
    """The cells of a CSV a spreadsheet would run as a formula."""
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]


def header_problems(message) -> list[str]:
    """Line breaks in a mail's subject or extra headers (a new header smuggled in)."""
    found = []
    headers = {"Subject": str(message.subject), **message.extra_headers}
    for name, value in headers.items():
        if "\r" in str(value) or "\n" in str(value):
            found.append(f"{name} holds a line break: {str(value)[:80]!r}")
    if found:
        return found
    # The rendered message must parse back to the same recipients: no Bcc added on the way.
    rendered = message.message()
    if rendered.get("Bcc") or rendered.get("Cc"):
        found.append(
            f"the message grew a header: Bcc={rendered.get('Bcc')} Cc={rendered.get('Cc')}"
        )
    return found
