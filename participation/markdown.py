"""Plain text with a small, safe Markdown subset, turned into HTML for comments.

What people may write: paragraphs and line breaks, *emphasis* and **strong**, links
(`[text](https://…)`, `<https://…>`; http, https and mailto only), bulleted and numbered lists.
Everything else stays the text it was: raw HTML is escaped, never interpreted.

Two locks, so that one failing does not open the door: the Markdown parser runs with HTML off
and refuses link targets outside the allowed schemes, then nh3 (an allow-list sanitiser) keeps
only the tags and attributes the subset produces, and only links with the allowed schemes.
"""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "a", "ul", "ol", "li"})
# "*" (attributes on every tag) is empty: nh3 would otherwise allow `lang` and `title`.
ALLOWED_ATTRIBUTES = {"*": set(), "a": {"href"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener ugc"

# The inline and block rules of the subset, on top of markdown-it's "zero" preset (paragraphs
# and text only). `escape` lets people write a literal `*` as `\*`.
_RULES = ["emphasis", "link", "autolink", "list", "newline", "escape"]


def _validate_link(url: str) -> bool:
    scheme, colon, _rest = url.partition(":")
    return bool(colon) and scheme.strip().lower() in ALLOWED_URL_SCHEMES


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("zero", {"html": False, "breaks": True}).enable(_RULES)
    # Markdown-it already refuses javascript:, vbscript:, file: and data: targets; refuse
    # everything but the allowed schemes too (relative links and unknown schemes stay text).
    parser.validateLink = _validate_link
    return parser


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render(text: str) -> str:
    """The safe HTML of `text` (plain text with the Markdown subset); "" for empty text."""
    if not text or not text.strip():
        return ""
    return _cleaner().clean(_parser().render(text)).strip()
