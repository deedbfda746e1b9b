"""The links a module adds to the header's main navigation, after the core's own (which
`templates/base.html` writes). A module registers them in its `AppConfig.ready()`; the
`navigation` context processor hands them to the header, in the order of `position`, each
marked current on the pages of its URL namespaces.

    navigation.register(
        navigation.Link("coproduction", _("Co-production"), "coproduction:processes",
                        namespaces=("coproduction",), position=10)
    )
"""

from dataclasses import dataclass

from django.urls import reverse

LINKS: dict[str, "Link"] = {}


@dataclass(frozen=True)
class Link:
    key: str
    label: str  # a lazy translation
    url_name: str
    # The link is the current page's on every page of these URL namespaces.
    namespaces: tuple[str, ...] = ()
    position: int = 100


def register(link: Link) -> None:
    """Add (or replace, under its key) a link of the header's navigation."""
    LINKS[link.key] = link


def links_for(request) -> list[dict]:
    """The registered links as the header shows them: label, address, whether current."""
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match is not None else ""
    return [
        {
            "label": link.label,
            "url": reverse(link.url_name),
            "current": bool(namespace) and namespace in link.namespaces,
        }
        for link in sorted(LINKS.values(), key=lambda link: (link.position, link.key))
    ]
