"""Participation in figures for a space (a plan): who took part, how much, through which
channels, and how much of it was answered. Shown on the plan page; used by the PDF later.

The figures are aggregates over every comment and vote of the space, so they are computed in a
handful of queries and kept in the cache for a minute: a page view never recounts them.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from .interface import space_adapter
from .models import Comment, Input, Vote
from .selectors import content_type_of, register_of

CACHE_SECONDS = 60


@dataclass
class Figures:
    participants: int = 0
    comments: int = 0
    votes_support: int = 0
    votes_oppose: int = 0
    inputs: int = 0
    answered: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    by_contributor: dict[str, int] = field(default_factory=dict)

    @property
    def votes(self) -> int:
        return self.votes_support + self.votes_oppose

    @property
    def coverage(self) -> int | None:
        """The share of inputs with a response, in whole per cent (rounded down)."""
        return self.answered * 100 // self.inputs if self.inputs else None

    def source_rows(self) -> list[tuple[str, int]]:
        return [(Input.Source(key).label, n) for key, n in self.by_source.items() if n]

    def contributor_rows(self) -> list[tuple[str, int]]:
        return [
            (Input.OrganisationKind(key).label, n) for key, n in self.by_contributor.items() if n
        ]


def _compute(space, *, consulted: bool) -> Figures:
    figures = _count_participation(space) if consulted else Figures()
    rows = (
        register_of(space)
        .order_by()
        .values_list("source", "organisation_kind", "disposition")
        .annotate(n=Count("pk"))
    )
    for source, kind, disposition, n in rows:
        figures.inputs += n
        if disposition != Input.Disposition.PENDING:
            figures.answered += n
        figures.by_source[source] = figures.by_source.get(source, 0) + n
        figures.by_contributor[kind] = figures.by_contributor.get(kind, 0) + n
    return figures


def _count_participation(space) -> Figures:
    """Comments, votes and the people behind them (three queries)."""
    space_type = content_type_of(space)
    comments = Comment.objects.filter(space_type=space_type, space_id=space.pk)
    children = space_adapter(space).children(space)
    vote_filter = Q(target_type=space_type, target_id=space.pk)
    if isinstance(children, QuerySet):
        # One subquery instead of reading the children first.
        child_type = ContentType.objects.get_for_model(children.model)
        vote_filter |= Q(target_type=child_type, target_id__in=children.order_by().values("pk"))
    else:
        by_type: dict[int, list[int]] = {}
        for child in children:
            by_type.setdefault(ContentType.objects.get_for_model(child).pk, []).append(child.pk)
        for type_id, ids in by_type.items():
            vote_filter |= Q(target_type_id=type_id, target_id__in=ids)
    votes = Vote.objects.filter(vote_filter)
    tally = votes.aggregate(
        support=Count("pk", filter=Q(value=Vote.Value.SUPPORT)),
        oppose=Count("pk", filter=Q(value=Vote.Value.OPPOSE)),
    )
    participants = (
        comments.order_by().values("author_id").union(votes.order_by().values("user_id")).count()
    )
    return Figures(
        participants=participants,
        comments=comments.count(),
        votes_support=tally["support"],
        votes_oppose=tally["oppose"],
    )


def participation_figures(space, *, consulted: bool = True, fresh: bool = False) -> Figures:
    """The space's figures, at most a minute old (`fresh=True` recounts, e.g. for the PDF).
    `consulted=False` says the space never held a consultation and needs one to take part, so
    there is no comment or vote to count (only inputs recorded by officers)."""
    key = f"participation:figures:{content_type_of(space).pk}:{space.pk}:{int(consulted)}"
    figures = None if fresh else cache.get(key)
    if figures is None:
        figures = _compute(space, consulted=consulted)
        cache.set(key, figures, CACHE_SECONDS)
    return figures
