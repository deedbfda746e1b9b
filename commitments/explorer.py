"""The public commitment explorer: its selector and the choices of its filter form
(`commitments.forms.ExplorerFilterForm`).

Every filter is optional and travels in the query string, so each state of the explorer has a
URL of its own that can be shared. Searching uses PostgreSQL's full-text search where the
database is PostgreSQL (a stored, indexed vector: migration 0006) and a plain substring
match elsewhere (SQLite in development).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, router
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear, Lower
from django.utils.translation import gettext_lazy as _

from action_plans.policies import plans_visible_to
from ogp_platform.members import countries
from ogp_platform.members.models import Member

from . import policies
from .models import Commitment, OgpValue, PolicyArea

# The value of the completion filter for commitments nobody reported on yet.
NOT_REPORTED = "not_reported"


class Sort:
    RELEVANCE = ""  # relevance when searching, else the newest plans first
    NEWEST = "newest"
    IDENTIFIER = "id"
    TITLE = "title"


SORT_CHOICES = [
    (Sort.RELEVANCE, _("Best match")),
    (Sort.NEWEST, _("Newest plan first")),
    (Sort.IDENTIFIER, _("Commitment id")),
    (Sort.TITLE, _("Title (A–Z)")),
]

_NEWEST = ("-plan__start_date", "plan__member__name", "-plan__sequence", "position", "pk")


def _search_vector():
    """The search document's stored tsvector: a column PostgreSQL generates and indexes
    (migration 0006), unknown to the model."""
    return RawSQL('"commitments_commitment"."search_vector"', [], output_field=SearchVectorField())


def _uses_postgres_search() -> bool:
    return connections[router.db_for_read(Commitment)].vendor == "postgresql"


def commitment_explorer(
    *,
    user,
    member: str = "",
    kind: str = "",
    region: str = "",
    policy_area: str = "",
    value: str = "",
    status: str = "",
    completion: str = "",
    year: int | None = None,
    q: str = "",
    sort: str = Sort.RELEVANCE,
) -> QuerySet[Commitment]:
    """The commitments of the plans the user may see, filtered, searched and sorted, with the
    plan, member, lead institution and policy areas each result shows (a constant number of
    queries per page).

    Filters take plain values and an empty one means "any": `member` is a member's slug, `kind`
    and `region` the member's, `policy_area` a policy area's slug, `value` an `OgpValue`,
    `status` a `Commitment.Status`, `completion` a `Completion` or `NOT_REPORTED` (no progress
    reported yet), `year` the year the plan starts.

    `q` searches the commitment's search document (ids, title, template sections). On PostgreSQL
    it is a full-text query in web-search syntax ("quoted phrases", -excluded, or) with the
    `simple` configuration, answered by the GIN index of the stored vector (migration 0006), and
    results are ranked by relevance. Other databases have no full-text search: every word of `q`
    must appear in the document (case-insensitively for ASCII letters only: SQLite's LIKE does
    not fold "Ā" to "ā"), and "relevance" falls back to the newest plans first.

    `sort` is one of `Sort`: relevance (the default), newest plan first, id or title.
    """
    commitments = policies.commitments_visible_to(user)
    if member:
        commitments = commitments.filter(plan__member__slug=member)
    if kind:
        commitments = commitments.filter(plan__member__kind=kind)
    if region:
        commitments = commitments.filter(plan__member__region=region)
    if policy_area:
        # Slugs are unique, so this join cannot repeat a commitment.
        commitments = commitments.filter(policy_areas__slug=policy_area)
    if value:
        commitments = commitments.filter(**{f"value_{OgpValue(value).value}": True})
    if status:
        commitments = commitments.filter(status=status)
    if completion == NOT_REPORTED:
        commitments = commitments.filter(completion="")
    elif completion:
        commitments = commitments.filter(completion=completion)
    if year:
        commitments = commitments.filter(plan__start_date__year=year)

    ranked = False
    q = q.strip()
    if q and _uses_postgres_search():
        query = SearchQuery(q, config="simple", search_type="websearch")
        commitments = (
            commitments.alias(search=_search_vector())
            .filter(search=query)
            .annotate(rank=SearchRank(_search_vector(), query))
        )
        ranked = True
    elif q:
        for word in q.replace('"', " ").split():
            commitments = commitments.filter(search_document__icontains=word)

    if sort == Sort.IDENTIFIER:
        ordering = ("identifier",)
    elif sort == Sort.TITLE:
        ordering = (Lower("title"), "pk")
    elif sort == Sort.RELEVANCE and ranked:
        ordering = ("-rank", *_NEWEST)
    else:
        ordering = _NEWEST

    return (
        commitments.select_related("plan", "plan__member", "lead_institution")
        .prefetch_related(
            Prefetch("policy_areas", queryset=PolicyArea.objects.order_by("position"))
        )
        .order_by(*ordering)
    )


def explorer_member_choices(user) -> list[tuple[str, str]]:
    """Members with at least one plan the user may see, by their name in the reader's language:
    (slug, name)."""
    members = Member.objects.filter(pk__in=plans_visible_to(user).values("member")).only(
        "slug", "name", "kind", "country"
    )
    names = [(member.slug, member.localised_name) for member in members]
    return sorted(names, key=lambda choice: (countries.sort_key(choice[1]), choice[0]))


def explorer_year_choices(user) -> list[int]:
    """The years in which the plans the user may see start, newest first."""
    return list(
        plans_visible_to(user)
        .annotate(year=ExtractYear("start_date"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
