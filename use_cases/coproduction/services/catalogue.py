"""Every write to the catalogue of enablers: ratings, curation by OGP staff (add, edit,
withdraw), and the search documents both keep up to date (the importer,
`use_cases.coproduction.importer`, writes through the same helpers).

Descriptions are HTML in INTERLINK's records (paragraphs, lists, line breaks). Whatever comes in,
from the source or from a curator, is sanitised when written by `description_html` (an nh3
allow-list), and again when shown (`use_cases.coproduction.selectors.catalogue`): two locks, as
for comments (`participation.markdown`).
"""

import html
import re
from functools import lru_cache

import nh3
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Case, Value, When
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ogp_platform import pagecache
from ogp_platform.services import require
from ogp_platform.text import one_line, validate_single_line

from .. import policies, vocabulary
from ..models import Enabler, EnablerRating, EnablerSearchDocument, translated
from ..models.catalogue import Origin

# Keys the catalogue's own pages take (`/catalogue/new/`, `/catalogue/schemas/`): no enabler
# may have them, or its page could not be reached.
RESERVED_KEYS = frozenset({"new", "schemas"})
KEY_LENGTH = 100

# PostgreSQL's text-search configuration for each language of the platform; Latvian has no
# stemmer there, so its words are matched as written (`simple`).
SEARCH_CONFIGS = {"en": "english", "it": "italian", "es": "spanish"}
SIMPLE = "simple"

DESCRIPTION_TAGS = frozenset({"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a"})
DESCRIPTION_ATTRIBUTES = {"*": set(), "a": {"href"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_BLOCK_END = re.compile(r"</(p|li)>|<br\s*/?>", re.IGNORECASE)


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get(language, SIMPLE)


# --- Texts ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(DESCRIPTION_TAGS),
        attributes={tag: set(names) for tag, names in DESCRIPTION_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def description_html(text) -> str:
    """Safe HTML for a description: HTML (INTERLINK's, or typed by a curator) keeps paragraphs,
    lists, line breaks, emphasis and http(s)/mailto links, and loses everything else; plain
    text becomes paragraphs at blank lines, its line breaks kept. "" for no text."""
    text = str(text or "").strip()
    if not text:
        return ""
    if not _TAG.search(text):
        text = linebreaks(escape(text))
    return _cleaner().clean(text).strip()


def plain_text(description: str) -> str:
    """A description's words without markup (for excerpts and search): the end of a paragraph,
    list item or line is a space."""
    return " ".join(html.unescape(strip_tags(_BLOCK_END.sub(" ", description or ""))).split())


def clean_translations(translations, *, html_text=False, single_line=False) -> dict:
    """{language: text} with only non-empty texts, each sanitised (`html_text`) or made one line
    of visible text (`single_line`), else stripped. What is not a text is left out."""
    cleaned = {}
    for language, text in (translations or {}).items():
        if not isinstance(language, str) or not isinstance(text, str):
            continue
        if html_text:
            text = description_html(text)
        elif single_line:
            text = " ".join(one_line(text).split())
        else:
            text = text.strip()
        if text:
            cleaned[language] = text
    return cleaned


def clean_tags(translations) -> dict:
    """{language: [tag, …]}: one-line tags, without empty ones or repeats."""
    cleaned = {}
    for language, tags in (translations or {}).items():
        if not isinstance(language, str) or not isinstance(tags, list):
            continue
        kept = []
        for tag in tags:
            tag = " ".join(one_line(tag).split()) if isinstance(tag, str) else ""
            if tag and tag not in kept:
                kept.append(tag)
        if kept:
            cleaned[language] = kept
    return cleaned


def safe_uri(value) -> str:
    """A web address to link to (http or https), or "" for anything else."""
    value = value.strip() if isinstance(value, str) else ""
    scheme = value.partition(":")[0].lower()
    return value if scheme in ("http", "https") and "://" in value else ""


# --- Search documents -----------------------------------------------------------------------


def search_document(enabler: Enabler, language: str) -> str:
    """What a reader of `language` searches in: the enabler's name, description, tags, problem
    profiles and the labels of its kind, form and format, as the pages show them to that reader
    (with the same fallbacks), plus its identifier. Problem profiles must be prefetched."""
    with translation.override(language):
        parts = [
            enabler.key.replace("-", " "),
            translated(enabler.name_translations, language),
            plain_text(translated(enabler.description_translations, language)),
            " ".join(translated(enabler.tags_translations, language) or ()),
            enabler.get_kind_display(),
            vocabulary.label(vocabulary.FORMS, enabler.form),
            vocabulary.label(vocabulary.FORMATS, enabler.format),
        ]
        parts += [
            translated(profile.name_translations, language)
            for profile in enabler.problem_profiles.all()
        ]
    return "\n".join(str(part) for part in parts if part)


def _uses_postgres() -> bool:
    return connections[router.db_for_write(EnablerSearchDocument)].vendor == "postgresql"


def enabler_search_documents_refresh(*, enabler_ids) -> None:
    """Write the search documents of these enablers, one per language of the platform (and, on
    PostgreSQL, their vectors in one statement), whatever their number: a constant number of
    queries."""
    enabler_ids = list(enabler_ids)
    if not enabler_ids:
        return
    enablers = Enabler.objects.filter(pk__in=enabler_ids).prefetch_related("problem_profiles")
    documents = [
        EnablerSearchDocument(
            enabler=enabler, language=language, document=search_document(enabler, language)
        )
        for enabler in enablers
        for language, _name in settings.LANGUAGES
    ]
    EnablerSearchDocument.objects.filter(enabler_id__in=enabler_ids).delete()
    EnablerSearchDocument.objects.bulk_create(documents)
    if _uses_postgres():
        config = Case(
            *(When(language=code, then=Value(name)) for code, name in SEARCH_CONFIGS.items()),
            default=Value(SIMPLE),
        )
        EnablerSearchDocument.objects.filter(enabler_id__in=enabler_ids).update(
            vector=SearchVector("document", config=config)
        )


# --- Ratings --------------------------------------------------------------------------------


@transaction.atomic
def enabler_rate(*, actor, enabler: Enabler, stars: int, comment: str = "") -> EnablerRating:
    """Record the actor's rating of a published enabler (1 to 5, with an optional comment), or
    change the one they gave: one per person, whatever the number of requests at once (a single
    INSERT … ON CONFLICT DO UPDATE against the unique constraint)."""
    require(policies.can_rate_enabler(actor, enabler))
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": _("Choose a rating from 1 to 5.")})
    now = timezone.now()
    EnablerRating.objects.bulk_create(
        [
            EnablerRating(
                enabler=enabler,
                user=actor,
                stars=stars,
                comment=comment.strip(),
                created_at=now,
                updated_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["enabler", "user"],
        update_fields=["stars", "comment", "updated_at"],
    )
    rating = EnablerRating.objects.get(enabler=enabler, user=actor)
    pagecache.objects_changed(rating)
    return rating


# --- Curation -------------------------------------------------------------------------------


def _unique_key(name: str) -> str:
    base = slugify(name)[:KEY_LENGTH].strip("-") or "enabler"
    if base in RESERVED_KEYS:
        base = f"{base}-enabler"
    taken = set(Enabler.objects.filter(key__startswith=base).values_list("key", flat=True)) | set(
        RESERVED_KEYS
    )
    key, number = base, 1
    while key in taken:
        number += 1
        suffix = f"-{number}"
        key = f"{base[: KEY_LENGTH - len(suffix)]}{suffix}"
    return key


def _set_text(translations: dict, language: str, text) -> dict:
    """The translations with the text of `language` replaced (removed when empty), the other
    languages' untouched."""
    translations = dict(translations or {})
    if text:
        translations[language] = text
    else:
        translations.pop(language, None)
    return translations


def _validated(*, name: str, kind: str, difficulty: str, other_names: bool = False) -> str:
    """The name, made one line of spaces; refused when missing, unless the enabler has a name
    in another language (`other_names`)."""
    name = str(name or "")
    errors = {}
    try:
        validate_single_line(name)
    except ValidationError as error:
        errors["name"] = error.messages
    name = " ".join(name.split())
    if not name and not other_names:
        errors["name"] = _("Give the enabler a name.")
    if kind not in Enabler.Kind.values:
        errors["kind"] = _("Choose a kind of enabler.")
    if difficulty and difficulty not in Enabler.Difficulty.values:
        errors["difficulty"] = _("Choose a level of difficulty from the list.")
    if errors:
        raise ValidationError(errors)
    return name


def _write_fields(
    enabler: Enabler,
    *,
    language: str,
    name: str,
    description: str,
    tags,
    uri: str,
    kind: str,
    form: str,
    format: str,
    difficulty: str,
    licence: str,
    administrative_scopes,
    languages,
) -> None:
    enabler.name_translations = _set_text(enabler.name_translations, language, name)
    enabler.description_translations = _set_text(
        enabler.description_translations, language, description_html(description)
    )
    enabler.tags_translations = _set_text(
        enabler.tags_translations, language, clean_tags({language: list(tags)}).get(language)
    )
    enabler.uri_translations = _set_text(enabler.uri_translations, language, safe_uri(uri))
    enabler.kind = kind
    enabler.form = form or ""
    enabler.format = format or ""
    enabler.difficulty = difficulty or ""
    enabler.licence = vocabulary.normalise_licence(licence)
    enabler.administrative_scopes = list(administrative_scopes or ())
    enabler.languages = list(languages or ())


@transaction.atomic
def enabler_create(
    *,
    actor,
    language: str,
    name: str,
    kind: str,
    description: str = "",
    tags=(),
    uri: str = "",
    form: str = "",
    format: str = "",
    difficulty: str = "",
    licence: str = "",
    administrative_scopes=(),
    languages=(),
    problem_profiles=(),
) -> Enabler:
    """Add an enabler to the catalogue, written in `language` (its texts in the other languages
    can be added later, by editing it in them). Published at once; its key is made from its
    name."""
    require(policies.can_curate_catalogue(actor))
    name = _validated(name=name, kind=kind, difficulty=difficulty)
    now = timezone.now()
    enabler = Enabler(
        key=_unique_key(name),
        origin=Origin.CURATED,
        created_at=now,
        updated_at=now,
        curated_at=now,
    )
    _write_fields(
        enabler,
        language=language,
        name=name,
        description=description,
        tags=tags,
        uri=uri,
        kind=kind,
        form=form,
        format=format,
        difficulty=difficulty,
        licence=licence,
        administrative_scopes=administrative_scopes,
        languages=languages or [language],
    )
    enabler._history_user = actor
    enabler.save()
    enabler.problem_profiles.set(problem_profiles)
    enabler_search_documents_refresh(enabler_ids=[enabler.pk])
    return enabler


@transaction.atomic
def enabler_update(
    *,
    actor,
    enabler: Enabler,
    language: str,
    name: str,
    kind: str,
    description: str = "",
    tags=(),
    uri: str = "",
    form: str = "",
    format: str = "",
    difficulty: str = "",
    licence: str = "",
    administrative_scopes=(),
    languages=(),
    problem_profiles=(),
) -> Enabler:
    """Change an enabler: its texts in `language` (those in other languages stay as they are;
    its name in `language` may be left empty when it has one in another), its kind, form,
    format, difficulty, licence, scopes, languages and problem profiles. From then on a new
    import of INTERLINK's catalogue keeps these edits."""
    require(policies.can_curate_catalogue(actor))
    enabler = Enabler.objects.select_for_update().get(pk=enabler.pk)
    others = {code: text for code, text in enabler.name_translations.items() if code != language}
    name = _validated(name=name, kind=kind, difficulty=difficulty, other_names=any(others.values()))
    _write_fields(
        enabler,
        language=language,
        name=name,
        description=description,
        tags=tags,
        uri=uri,
        kind=kind,
        form=form,
        format=format,
        difficulty=difficulty,
        licence=licence,
        administrative_scopes=administrative_scopes,
        languages=languages,
    )
    now = timezone.now()
    enabler.updated_at = now
    enabler.curated_at = now
    enabler._history_user = actor
    enabler.save()
    enabler.problem_profiles.set(problem_profiles)
    enabler_search_documents_refresh(enabler_ids=[enabler.pk])
    return enabler


@transaction.atomic
def enabler_withdraw(*, actor, enabler: Enabler, reason: str) -> Enabler:
    """Take a published enabler out of the catalogue's list and of the suggestions, with the
    reason its page then shows. The processes that use it keep it."""
    require(policies.can_curate_catalogue(actor))
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the enabler is withdrawn.")})
    enabler = Enabler.objects.select_for_update().get(pk=enabler.pk)
    if enabler.status == Enabler.Status.WITHDRAWN:
        raise ValidationError(_("This enabler has already been withdrawn."))
    now = timezone.now()
    enabler.status = Enabler.Status.WITHDRAWN
    enabler.withdrawn_reason = reason
    enabler.withdrawn_at = now
    enabler.updated_at = now
    enabler.curated_at = now
    enabler._history_user = actor
    enabler.save(
        update_fields=["status", "withdrawn_reason", "withdrawn_at", "updated_at", "curated_at"]
    )
    return enabler
