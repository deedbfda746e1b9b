"""Reads for a process's teams and their rights on items: each a constant number of queries,
whatever the number of teams, people and items."""

from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Prefetch, Value, When

from ogp_platform import roles

from ..models import Process, Team, TreeItem
from ..permissions import RIGHT_LABELS, RIGHTS

ROLE_ORDER = Case(
    When(role=Team.Role.OWNER, then=Value(0)),
    When(role=Team.Role.MEMBER, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def teams_of(process: Process) -> list[Team]:
    """The process's teams, owners first, each with its people and organisations (three
    queries): what the process page's team panel and the teams page show."""
    people = get_user_model().objects.order_by("display_name", "pk")
    return list(
        Team.objects.filter(process=process)
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "name", "pk")
        .prefetch_related(Prefetch("people", queryset=people), "organisations")
    )


def team_page_context(team: Team) -> dict:
    """A team's people (by name) and organisations (by name): two queries."""
    return {
        "people": list(team.people.order_by("display_name", "pk")),
        "organisations": list(team.organisations.order_by("name", "pk")),
    }


def _grants_by_item(process: Process, items, teams) -> dict[int, dict[Team, set[str]]]:
    """{item id: {team: rights granted on the item itself}} (one query)."""
    team_of_group = {team.group_id: team for team in teams}
    found: dict[int, dict[Team, set[str]]] = {}
    for pk, by_group in roles.group_grants(items).items():
        for group_id, permissions in by_group.items():
            team = team_of_group.get(group_id)
            if team is not None:
                found.setdefault(int(pk), {})[team] = set(permissions)
    return found


def rights_overview(process: Process) -> list[dict]:
    """Every item of the process in tree order, with its depth and the rights granted on it
    to each team (as labels): the map owners read before opening an item's rights page.
    Three queries."""
    items = list(
        TreeItem.objects.filter(process=process)
        .only("pk", "parent_id", "process_id", "kind", "name", "position")
        .order_by("position", "pk")
    )
    teams = list(Team.objects.filter(process=process).order_by("name", "pk"))
    grants = _grants_by_item(process, items, teams)
    children: dict[int | None, list[TreeItem]] = {}
    for item in items:
        item.process = process
        children.setdefault(item.parent_id, []).append(item)
    rows = []

    def walk(parent_id, depth):
        for item in children.get(parent_id, []):
            granted = [
                (team, [RIGHT_LABELS[p] for p in RIGHTS if p in permissions])
                for team, permissions in sorted(
                    grants.get(item.pk, {}).items(), key=lambda pair: (pair[0].name, pair[0].pk)
                )
            ]
            rows.append({"item": item, "depth": depth, "granted": granted})
            walk(item.pk, depth + 1)

    walk(None, 0)
    return rows


def rights_context(item: TreeItem) -> dict:
    """What an item's rights page shows: the process's teams (owners first), the rights granted
    on the item itself, as (team id, permission), and for each team the ancestors through which
    it holds each right already; the item's ancestors and children. `item` is read with
    `select_related("parent__parent")` and its process set. Four queries."""
    process = item.process
    ancestors = []
    current = item.parent
    while current is not None:
        current.process = process
        ancestors.append(current)
        current = current.parent
    teams = list(
        Team.objects.filter(process=process)
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "name", "pk")
    )
    grants = _grants_by_item(process, [item, *ancestors], teams)
    here = grants.get(item.pk, {})
    granted_here = {
        (team.pk, permission) for team, permissions in here.items() for permission in permissions
    }
    rows = []
    for team in teams:
        inherited: dict[str, list[TreeItem]] = {}
        for ancestor in ancestors:
            for permission in grants.get(ancestor.pk, {}).get(team, ()):
                inherited.setdefault(permission, []).append(ancestor)
        rows.append({"team": team, "inherited": inherited})
    children = list(TreeItem.objects.filter(parent=item).order_by("position", "pk"))
    for child in children:
        child.process = process
    return {
        "teams": teams,
        "granted_here": granted_here,
        "rows": rows,
        "ancestors": ancestors,
        "children": children,
    }
