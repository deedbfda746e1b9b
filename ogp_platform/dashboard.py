"""My work: each signed-in person's starting point, filled by the apps with panels.

The core knows nothing of plans, commitments or comments: an app registers its panels (usually
in its `AppConfig.ready()`), each in a section, and the page shows, section by section, the
panels that apply to the person:

    dashboard.register_section("government", title=_("Government work"), order=10)
    dashboard.register_panel(
        name="action_plans.plans",
        section="government",
        template="action_plans/dashboard/_plans.html",
        applies=lambda request: bool(officer_members(request)),
        context=lambda request: {"plans": ...},
        order=10,
    )

Someone to whom no panel applies (a person who just signed up) sees a friendly empty page with
pointers to where to begin, and the *starting points* apps registered with
`register_starting_point` (the consultations open now, say).

A panel decides whether it applies cheaply (a question already asked for another panel is
answered from `per_request`); its `context` reads, through the app's selectors, a number of rows
that does not grow with the data (the latest few, with a count and a link to the page that lists
them all). Sections and panels are shown in a stable order: by `order`, then by name.

The page is personal: never kept in the page cache, and only for people who are signed in.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

# How many rows a panel lists at most; a panel with more says how many and links to the rest.
LIMIT = 10


@dataclass(frozen=True)
class Section:
    name: str
    title: Any  # a lazy translation
    order: int = 100
    intro: Any = ""


@dataclass(frozen=True)
class Panel:
    name: str
    section: str
    template: str
    applies: Callable[[HttpRequest], bool]
    context: Callable[[HttpRequest], dict]
    order: int = 100

    @property
    def html_id(self) -> str:
        """The panel's name as an HTML id (`action_plans.plans` → `panel-action_plans-plans`)."""
        return "panel-" + self.name.replace(".", "-")


@dataclass
class ShownSection:
    section: Section
    panels: list = field(default_factory=list)  # the rendered panels, in order


_sections: dict[str, Section] = {}
_panels: dict[str, Panel] = {}
_starting_points: dict[str, Panel] = {}


def register_section(name: str, *, title, order: int = 100, intro="") -> Section:
    """Declare a section of the page (registering a name again replaces it)."""
    section = Section(name=name, title=title, order=order, intro=intro)
    _sections[name] = section
    return section


def register_panel(
    *,
    name: str,
    section: str,
    template: str,
    applies: Callable[[HttpRequest], bool],
    context: Callable[[HttpRequest], dict],
    order: int = 100,
) -> Panel:
    """Add a panel to a section (registering a name again replaces it: `ready()` may run more
    than once). `applies(request)` says whether the person sees it; `context(request)` gives
    what its template shows."""
    panel = Panel(
        name=name,
        section=section,
        template=template,
        applies=applies,
        context=context,
        order=order,
    )
    _panels[name] = panel
    return panel


def register_starting_point(
    *,
    name: str,
    template: str,
    applies: Callable[[HttpRequest], bool],
    context: Callable[[HttpRequest], dict],
    order: int = 100,
) -> Panel:
    """Add a panel shown only to people to whom no other panel applies, below the pointers of
    the empty page: somewhere to begin."""
    panel = Panel(
        name=name, section="", template=template, applies=applies, context=context, order=order
    )
    _starting_points[name] = panel
    return panel


def _section_of(panel: Panel) -> Section:
    try:
        return _sections[panel.section]
    except KeyError:
        raise LookupError(
            f"dashboard panel {panel.name!r} is in section {panel.section!r}, which nobody "
            "registered"
        ) from None


def _sort_key(panel: Panel):
    section = _section_of(panel)
    return (section.order, section.name, panel.order, panel.name)


def panels_for(request: HttpRequest) -> list[Panel]:
    """The panels that apply to the person making the request, in the page's order."""
    if not request.user.is_authenticated:
        return []
    return [panel for panel in sorted(_panels.values(), key=_sort_key) if panel.applies(request)]


def _render(panel: Panel, request: HttpRequest) -> str:
    return render_to_string(
        panel.template, {**panel.context(request), "panel": panel}, request=request
    )


def sections_for(request: HttpRequest) -> list[ShownSection]:
    """The sections that have at least one panel for this person, each with its panels
    rendered (the panel's own template with its context, plus `panel`)."""
    shown: dict[str, ShownSection] = {}
    for panel in panels_for(request):
        section = _section_of(panel)
        shown.setdefault(section.name, ShownSection(section)).panels.append(_render(panel, request))
    return list(shown.values())


def starting_points_for(request: HttpRequest) -> list[str]:
    """The starting points that apply to this person, rendered, in order (call it for people
    to whom no panel applies)."""
    points = sorted(_starting_points.values(), key=lambda panel: (panel.order, panel.name))
    return [_render(panel, request) for panel in points if panel.applies(request)]


def per_request(request: HttpRequest, key: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, once per request: for what several panels ask (the members someone works
    for, the organisations they administer), so that the page asks the database once."""
    memo = request.__dict__.setdefault("_dashboard_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]
