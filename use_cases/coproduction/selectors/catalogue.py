"""Reads of the catalogue: the list with its filters and full-text search, an enabler's page,
the enablers suggested for a task, and the schemas shown as templates.

Search is in the reader's language. On PostgreSQL it is full-text search over the enablers'
search documents of that language (`EnablerSearchDocument`, written by the catalogue's
services), with the language's text-search configuration (english, italian, spanish, and
`simple` for Latvian), in web-search syntax ("quoted phrases", -excluded, or), answered by the
GIN index of the stored vectors, and ranked. Other databases (SQLite in development) have no
full-text search: every word must appear in the document (case-insensitively for ASCII letters
only), as in the commitment explorer (`commitments.explorer`).

Links and files: INTERLINK's records give an enabler's web address (`uri_translations`) or a
file of its own repository by a relative path (`file_translations`,
"./interlinkers/knowledge/…/resource.pptx"). The address is a link. The path is shown as text
with a link to the repository that holds it (interlink-project/interlinkers-data), not to the
file: the catalogue names no commit, and not every file it names is still where it says on the
repository's default branch, so a link built from the path could lead nowhere.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, router
from django.db.models import (
    Avg,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Lower
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from .. import policies, vocabulary
from ..models import (
    Enabler,
    EnablerRating,
    EnablerSearchDocument,
    ProblemProfile,
    Resource,
    Schema,
    TreeItem,
    translated,
)
from ..models.catalogue import FALLBACK_LANGUAGE
from ..services.catalogue import description_html, plain_text, search_config
from ..vocabulary import FORMATS, FORMS, LICENCES, SCOPES, label, labels

# The repository where the relative paths of INTERLINK's records point.
INTERLINK_REPOSITORY = "https://github.com/interlink-project/interlinkers-data"
EXCERPT_WORDS = 40
# How many of the comments given with ratings an enabler's page shows (the newest).
RATING_COMMENTS_SHOWN = 20


def reader_language(language: str | None = None) -> str:
    return (language or get_language() or FALLBACK_LANGUAGE).split("-")[0]


def _uses_postgres() -> bool:
    return connections[router.db_for_read(Enabler)].vendor == "postgresql"


def _holding(enablers: QuerySet[Enabler], field_name: str, value: str) -> QuerySet[Enabler]:
    """The enablers whose JSON list `field_name` holds the string `value`."""
    if _uses_postgres():
        return enablers.filter(**{f"{field_name}__contains": [value]})
    # SQLite keeps the list as JSON text and has no containment lookup: the value in quotes.
    text = f"{field_name}_text"
    return enablers.alias(**{text: Cast(field_name, output_field=TextField())}).filter(
        **{f"{text}__contains": f'"{value}"'}
    )


def _name_in(language: str):
    """The enabler's name as the reader sees it, for sorting (their language, else English)."""
    return Lower(
        Coalesce(
            KeyTextTransform(language, "name_translations"),
            KeyTextTransform(FALLBACK_LANGUAGE, "name_translations"),
            "key",
            output_field=TextField(),
        )
    )


def with_ratings(enablers: QuerySet[Enabler]) -> QuerySet[Enabler]:
    """The enablers with `rating_average` (None without ratings) and `rating_count`, each a
    subquery, so that other joins cannot multiply them."""
    ratings = EnablerRating.objects.filter(enabler=OuterRef("pk")).order_by().values("enabler")
    return enablers.annotate(
        rating_average=Subquery(ratings.annotate(value=Avg("stars")).values("value")),
        rating_count=Coalesce(
            Subquery(ratings.annotate(value=Count("pk")).values("value")),
            0,
            output_field=IntegerField(),
        ),
    )


def catalogue_enablers(
    *,
    user,
    language: str | None = None,
    q: str = "",
    kind: str = "",
    form: str = "",
    format: str = "",
    difficulty: str = "",
    licence: str = "",
    scope: str = "",
    problem_profile: str = "",
    written_in: str = "",
) -> QuerySet[Enabler]:
    """The published enablers, filtered, searched in the reader's `language` and sorted (best
    match first when searching, else by name in that language), with their problem profiles
    and ratings (a constant number of queries per page).

    Filters take plain values and an empty one means "any": `kind` an `Enabler.Kind`, `form`,
    `format`, `licence` and `scope` values of the source's vocabularies, `difficulty` an
    `Enabler.Difficulty`, `problem_profile` a problem profile's key, `written_in` a language
    code. `q` is searched as the module says."""
    language = reader_language(language)
    enablers = policies.listed_enablers()
    exact = {
        "kind": kind,
        "form": form,
        "format": format,
        "difficulty": difficulty,
        "licence": licence,
        "problem_profiles__key": problem_profile,
    }
    enablers = enablers.filter(**{name: value for name, value in exact.items() if value})
    for field_name, value in (("administrative_scopes", scope), ("languages", written_in)):
        if value:
            enablers = _holding(enablers, field_name, value)

    ranked = False
    q = q.strip()
    if q and _uses_postgres():
        query = SearchQuery(q, config=search_config(language), search_type="websearch")
        # One document per enabler and language: the join cannot repeat an enabler.
        enablers = enablers.filter(
            search_documents__language=language, search_documents__vector=query
        ).annotate(rank=SearchRank(F("search_documents__vector"), query))
        ranked = True
    elif q:
        documents = EnablerSearchDocument.objects.filter(language=language)
        for word in q.replace('"', " ").split():
            documents = documents.filter(document__icontains=word)
        enablers = enablers.filter(pk__in=documents.values("enabler_id"))

    ordering = ("-rank", _name_in(language), "key") if ranked else (_name_in(language), "key")
    return (
        with_ratings(enablers)
        .prefetch_related("problem_profiles")
        .defer("source")
        .order_by(*ordering)
    )


def problem_profile_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(key, name in the reader's language) of every problem profile, by key."""
    language = reader_language(language)
    return [
        (profile.key, translated(profile.name_translations, language))
        for profile in ProblemProfile.objects.order_by("key")
    ]


# --- One enabler ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A way to the enabler: a web address to open, or a file of INTERLINK's repository."""

    language: str  # the language of what it leads to ("" when it is the reader's)
    url: str = ""  # a web address (http or https), when it is one
    path: str = ""  # a file of INTERLINK's repository, shown as text

    @property
    def language_name(self) -> str:
        return vocabulary.language_label(self.language) if self.language else ""


def enabler_links(enabler: Enabler, language: str | None = None) -> list[Link]:
    """The enabler's web addresses and files, the reader's language (else English) first, then
    those of other languages that differ from it."""
    language = reader_language(language)
    links = []
    for translations, kind in (
        (enabler.uri_translations, "url"),
        (enabler.file_translations, "path"),
    ):
        main = translated(translations, language)
        if main:
            links.append(Link(language="", **{kind: main}))
        for code, value in sorted((translations or {}).items()):
            if value and value != main:
                links.append(Link(language=code, **{kind: value}))
    return links


def excerpt(enabler: Enabler, language: str | None = None) -> str:
    """The start of the enabler's description in the reader's language, as plain text."""
    text = plain_text(translated(enabler.description_translations, reader_language(language)))
    return Truncator(text).words(EXCERPT_WORDS)


def shown_html(text: str) -> str:
    """A stored description, sanitised again on its way to the page (the second lock)."""
    return mark_safe(description_html(text))  # noqa: S308 - nh3's allow-list output


@dataclass
class EnablerPage:
    enabler: Enabler
    name: str
    description: str  # safe HTML
    constraints: str  # safe HTML
    regulations: str  # safe HTML
    tags: list
    problem_profiles: list
    facts: list  # (label, value) pairs
    links: list
    used_in: int
    rating_average: float | None
    rating_count: int
    own_rating: EnablerRating | None
    rating_comments: list = field(default_factory=list)
    repository: str = INTERLINK_REPOSITORY


def enabler_for_page(key: str) -> Enabler | None:
    """The enabler with this key, published or withdrawn (its page says which), with its
    problem profiles; None when there is none."""
    return Enabler.objects.filter(key=key).prefetch_related("problem_profiles").first()


def used_in_processes(enabler: Enabler) -> int:
    """In how many processes (distinct) a task works with the enabler."""
    return Resource.objects.filter(enabler=enabler).values("task__process").distinct().count()


def enabler_page(*, user, enabler: Enabler, language: str | None = None) -> EnablerPage:
    """What the enabler's page shows, in the reader's language (a constant number of
    queries: its ratings summed up, the reader's own, the newest comments with their authors,
    the processes using it)."""
    language = reader_language(language)
    summary = EnablerRating.objects.filter(enabler=enabler).aggregate(
        average=Avg("stars"), count=Count("pk")
    )
    own = None
    if user.is_authenticated:
        own = EnablerRating.objects.filter(enabler=enabler, user=user).first()
    comments = list(
        EnablerRating.objects.filter(enabler=enabler)
        .exclude(comment="")
        .select_related("user")
        .order_by("-updated_at", "-pk")[:RATING_COMMENTS_SHOWN]
    )
    facts = [
        (Enabler._meta.get_field("kind").verbose_name, enabler.get_kind_display()),
        (Enabler._meta.get_field("form").verbose_name, label(FORMS, enabler.form)),
        (Enabler._meta.get_field("format").verbose_name, label(FORMATS, enabler.format)),
        (Enabler._meta.get_field("difficulty").verbose_name, enabler.get_difficulty_display()),
        (Enabler._meta.get_field("licence").verbose_name, label(LICENCES, enabler.licence)),
        (
            Enabler._meta.get_field("administrative_scopes").verbose_name,
            ", ".join(labels(SCOPES, enabler.administrative_scopes)),
        ),
        (
            Enabler._meta.get_field("languages").verbose_name,
            ", ".join(vocabulary.language_label(code) for code in enabler.languages),
        ),
    ]
    return EnablerPage(
        enabler=enabler,
        name=translated(enabler.name_translations, language),
        description=shown_html(translated(enabler.description_translations, language)),
        constraints=shown_html(translated(enabler.constraints_translations, language)),
        regulations=shown_html(translated(enabler.regulations_translations, language)),
        tags=list(translated(enabler.tags_translations, language) or ()),
        problem_profiles=sorted(enabler.problem_profiles.all(), key=lambda p: p.key),
        facts=[(name, value) for name, value in facts if value],
        links=enabler_links(enabler, language),
        used_in=used_in_processes(enabler),
        rating_average=summary["average"],
        rating_count=summary["count"],
        own_rating=own,
        rating_comments=comments,
    )


# --- Suggestions ----------------------------------------------------------------------------


def suggested_enablers(task: TreeItem, limit: int = 5, *, language: str | None = None):
    """Up to `limit` published enablers that address problem profiles the task faces, those
    sharing the most first (then by name in the reader's language), each with `shared` (how
    many profiles it shares) and its rating: one query, whatever the task and the catalogue.
    Enablers the task already works with are left out."""
    language = reader_language(language)
    enablers = (
        policies.listed_enablers()
        .filter(problem_profiles__items=task)
        .exclude(pk__in=Resource.objects.filter(task=task, enabler__isnull=False).values("enabler"))
        .annotate(shared=Count("problem_profiles", distinct=True))
        .defer("source")
        .order_by("-shared", _name_in(language), "key")
    )
    return list(with_ratings(enablers)[:limit])


# --- Schemas --------------------------------------------------------------------------------


@dataclass
class OutlineItem:
    """A phase, objective or task of a schema, as the schemas page lists it."""

    key: str
    level: str  # phase, objective or task
    name: str
    description: str
    after: list = field(default_factory=list)  # names of its prerequisites
    problem_profiles: list = field(default_factory=list)  # (key, name)
    children: list = field(default_factory=list)


_CHILDREN = {"phase": ("objectives", "objective"), "objective": ("tasks", "task")}


def ordered_by_prerequisites(items: list[dict]) -> list[dict]:
    """Sibling items of a schema (the source's dicts) in an order where each comes after the
    siblings it requires, otherwise in the source's order (INTERLINK lists the default schema's
    phases as sustain, build, engage, design). Prerequisites outside the siblings, and cycles,
    do not hold an item back forever."""
    ids = {item.get("id") for item in items}
    remaining = list(items)
    placed: list[dict] = []
    done: set = set()
    while remaining:
        for item in remaining:
            needs = {
                p.get("item")
                for p in item.get("prerequisites") or ()
                if isinstance(p, dict) and p.get("item") in ids
            }
            if needs <= done:
                break
        else:
            item = remaining[0]  # a cycle: keep the source's order
        remaining.remove(item)
        placed.append(item)
        done.add(item.get("id"))
    return placed


def _names_by_id(phases, language: str) -> dict:
    names, pending = {}, list(phases or ())
    while pending:
        item = pending.pop()
        names[item.get("id")] = translated(item.get("name_translations"), language)
        for name in ("objectives", "tasks"):
            pending += item.get(name) or []
    return names


def _outline(items, level: str, language: str, names: dict, profiles: dict) -> list:
    outline = []
    for item in ordered_by_prerequisites(list(items or ())):
        children_name, child_level = _CHILDREN.get(level, (None, None))
        outline.append(
            OutlineItem(
                key=item.get("id", ""),
                level=level,
                name=translated(item.get("name_translations"), language),
                description=translated(item.get("description_translations"), language),
                after=[
                    names[p.get("item")]
                    for p in item.get("prerequisites") or ()
                    if isinstance(p, dict) and names.get(p.get("item"))
                ],
                problem_profiles=[
                    (key, profiles[key])
                    for key in item.get("problemprofiles") or ()
                    if key in profiles
                ],
                children=(
                    _outline(item.get(children_name), child_level, language, names, profiles)
                    if children_name
                    else []
                ),
            )
        )
    return outline


@dataclass
class SchemaTemplate:
    schema: Schema
    name: str
    description: str
    phases: list  # of OutlineItem


def schema_templates(language: str | None = None) -> list[SchemaTemplate]:
    """Every schema (INTERLINK's, then those saved from processes) with its phases, objectives
    and tasks in the order of their prerequisites, in the reader's language: two queries."""
    language = reader_language(language)
    schemas = list(Schema.objects.select_related("created_from").order_by("origin", "key"))
    profiles = {
        profile.key: translated(profile.name_translations, language)
        for profile in ProblemProfile.objects.all()
    }
    templates = []
    for schema in schemas:
        names = _names_by_id(schema.phases, language)
        templates.append(
            SchemaTemplate(
                schema=schema,
                name=translated(schema.name_translations, language),
                description=translated(schema.description_translations, language),
                phases=_outline(schema.phases, "phase", language, names, profiles),
            )
        )
    return templates


# --- The list's cards -----------------------------------------------------------------------


@dataclass
class EnablerCard:
    enabler: Enabler
    name: str
    excerpt: str
    facts: list  # labels: kind, form, format, difficulty, licence
    scopes: list
    problem_profiles: list  # (key, name)
    rating_average: float | None
    rating_count: int


def enabler_cards(enablers, language: str | None = None) -> list[EnablerCard]:
    """What the list shows of each enabler of a page of `catalogue_enablers`, in the reader's
    language (no query: everything was read with the page)."""
    language = reader_language(language)
    cards = []
    for enabler in enablers:
        facts = [
            enabler.get_kind_display(),
            label(FORMS, enabler.form),
            label(FORMATS, enabler.format),
            enabler.get_difficulty_display(),
            label(LICENCES, enabler.licence),
        ]
        cards.append(
            EnablerCard(
                enabler=enabler,
                name=translated(enabler.name_translations, language),
                excerpt=excerpt(enabler, language),
                facts=[fact for fact in facts if fact],
                scopes=labels(SCOPES, enabler.administrative_scopes),
                problem_profiles=[
                    (profile.key, translated(profile.name_translations, language))
                    for profile in sorted(enabler.problem_profiles.all(), key=lambda p: p.key)
                ],
                rating_average=getattr(enabler, "rating_average", None),
                rating_count=getattr(enabler, "rating_count", 0),
            )
        )
    return cards
