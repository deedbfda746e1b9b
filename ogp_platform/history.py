"""The history of one object, for people to read: who changed which fields when, as a word-level
diff, and a comparison of any two versions.

Model-independent: it reads the historical records django-simple-history keeps for any model
(`Model.history`). Pass it a queryset of one object's records (`plan.history.all()`, or
`Commitment.history.filter(id=...)` once the object is gone). Every piece of user text is
escaped before it is wrapped in the markup built here, so the diffs are safe to render.
"""

import datetime
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import models
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import CompareForm

VERSIONS_PER_PAGE = 20

# simple_history's history_type → what happened, for people and for CSS classes.
KINDS = {"+": "created", "~": "changed", "-": "removed"}
KIND_LABELS = {
    "created": gettext_lazy("Created"),
    "changed": gettext_lazy("Changed"),
    "removed": gettext_lazy("Removed"),
}

# Words (letters and digits in any script), runs of whitespace, and single punctuation marks:
# a diff over these tokens marks whole words, and joining them gives back the text unchanged.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")

# Fields every historical record has that are bookkeeping, not content.
_INTERNAL_FIELDS = {
    "history_id",
    "history_date",
    "history_type",
    "history_user",
    "history_change_reason",
    "history_relation",
}


class VersionNotFound(LookupError):
    """A version id that is not one of this object's versions."""


@dataclass
class FieldChange:
    name: str
    label: str
    # The diff (or, for a first version, the value) as markup built from escaped text.
    html: SafeString
    is_text: bool = False


@dataclass
class Version:
    history_id: int
    date: datetime.datetime
    author: str
    kind: str
    # The fields that changed from the previous version; for the first version, its values.
    changes: list[FieldChange] = field(default_factory=list)
    is_first: bool = False
    # 1 for the oldest version; None when the version was read on its own.
    number: int | None = None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def label(self) -> str:
        """How the version is named in the comparison form: its number, date, author and kind."""
        values = {
            "number": self.number,
            "date": formats.date_format(timezone.localtime(self.date), "SHORT_DATETIME_FORMAT"),
            "author": self.author,
            "kind": self.kind_label.lower(),
        }
        if self.number is None:
            return _("%(date)s, %(author)s (%(kind)s)") % values
        return _("Version %(number)s: %(date)s, %(author)s (%(kind)s)") % values


@dataclass
class Comparison:
    old: Version
    new: Version
    changes: list[FieldChange]


# --- Word diff -----------------------------------------------------------------------------

_CUES = {"del": gettext_lazy("removed"), "ins": gettext_lazy("added")}


def _marked(tag: str, text: str) -> SafeString:
    """`text` escaped inside <del> or <ins>, with a cue for screen readers, which do not announce
    these elements: "[removed: …]" / "[added: …]"."""
    template = {
        "del": '<del><span class="visually-hidden">[{}: </span>{}<span class="visually-hidden">]'
        "</span></del>",
        "ins": '<ins><span class="visually-hidden">[{}: </span>{}<span class="visually-hidden">]'
        "</span></ins>",
    }[tag]
    return format_html(template, _CUES[tag], text)


def _chunks(old_tokens: list[str], new_tokens: list[str]) -> list[list]:
    """The diff as ["equal", text, ""] and ["change", removed, added] chunks. Changes separated
    only by whitespace are merged, so that "one two" → "uno dos" reads as one change rather than
    two interleaved ones."""
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    merged: list[list] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if tag == "equal":
            merged.append(["equal", removed, ""])
            continue
        if merged and merged[-1][0] == "change":
            merged[-1][1] += removed
            merged[-1][2] += added
        elif (
            len(merged) >= 2
            and merged[-1][0] == "equal"
            and not merged[-1][1].strip()
            and merged[-2][0] == "change"
        ):
            space = merged.pop()[1]
            merged[-1][1] += space + removed
            merged[-1][2] += space + added
        else:
            merged.append(["change", removed, added])
    return merged


def word_diff(old: str, new: str) -> SafeString:
    """The new text with the words removed since the old one in <del> and the words added in
    <ins>, every piece of text escaped. Whitespace is kept, so line breaks survive."""
    old_tokens = _TOKENS.findall(old or "")
    new_tokens = _TOKENS.findall(new or "")
    pieces: list[str] = []
    marked = False
    for kind, removed, added in _chunks(old_tokens, new_tokens):
        if kind == "equal":
            pieces.append(escape(removed))
            continue
        if removed.strip():
            pieces.append(_marked("del", removed))
            marked = True
        if added.strip():
            pieces.append(_marked("ins", added))
            marked = True
        elif added:
            pieces.append(escape(added))
    if not marked and old != new:
        pieces.append(
            format_html(' <span class="diff__note">{}</span>', _("(only spacing changed)"))
        )
    # Every piece above is escaped text or markup built by format_html around escaped text.
    return mark_safe("".join(str(piece) for piece in pieces))  # noqa: S308


# --- Values for people ---------------------------------------------------------------------


def _is_text(model_field) -> bool:
    return isinstance(model_field, (models.CharField, models.TextField)) and not model_field.choices


def _is_empty(value) -> bool:
    return value is None or value == ""


def display_value(model_field, value, related: dict) -> str:
    """The value as people read it: a choice's label, a localised date or number, Yes/No, a
    related object's name (from `related`, {model: {pk: object}}, loaded beforehand)."""
    if _is_empty(value):
        if isinstance(model_field, models.BooleanField):
            return _("unknown")
        return _("(empty)")
    if isinstance(model_field, models.ForeignKey):
        target = related.get(model_field.related_model, {}).get(value)
        if target is None:
            return _("a removed %(thing)s (#%(id)s)") % {
                "thing": model_field.related_model._meta.verbose_name,
                "id": value,
            }
        return str(target)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, (int, float, Decimal)):
        return formats.number_format(value, use_l10n=True)
    return str(value)


def _value_change(old: str, new: str, *, old_empty: bool, new_empty: bool) -> SafeString:
    """ "old → new" for values that are not prose (dates, choices, names)."""
    if old_empty:
        return _marked("ins", new)
    if new_empty:
        return _marked("del", old)
    return format_html(
        '{} <span aria-hidden="true">→</span> {}', _marked("del", old), _marked("ins", new)
    )


# --- Versions ------------------------------------------------------------------------------


def _author(record) -> str:
    user = record.history_user
    if user is None:
        # No user in the request: a script, a migration or the demo data made the change.
        return _("system")
    return user.get_full_name()


def _version(record, **kwargs) -> Version:
    return Version(
        history_id=record.history_id,
        date=record.history_date,
        author=_author(record),
        kind=KINDS.get(record.history_type, "changed"),
        **kwargs,
    )


def _content_fields(record, exclude) -> list:
    """The fields of the object (not of the history) that people edit, minus `exclude`: the
    ones simple_history's `diff_against` compares."""
    return [
        model_field
        for model_field in record.tracked_fields
        if model_field.editable
        and not model_field.primary_key
        and model_field.name not in _INTERNAL_FIELDS
        and model_field.name not in exclude
    ]


def _raw_changes(new, old, exclude) -> list[tuple]:
    """(historical field, old value, new value) for each field that changed from `old` to `new`;
    with no `old`, the first version's filled-in fields."""
    fields = _content_fields(new, exclude)
    if old is None:
        result = []
        for model_field in fields:
            value = getattr(new, model_field.attname)
            if not _is_empty(value) and value is not False:
                result.append((new._meta.get_field(model_field.name), None, value))
        return result
    names = [model_field.name for model_field in fields]
    delta = new.diff_against(old, included_fields=names)
    return [(new._meta.get_field(change.field), change.old, change.new) for change in delta.changes]


def _related_objects(raw: list[tuple]) -> dict:
    """Load every object that foreign keys in the changes point to: one query per related
    model, whatever the number of versions."""
    wanted: dict = {}
    for model_field, old, new in raw:
        if isinstance(model_field, models.ForeignKey):
            ids = wanted.setdefault(model_field.related_model, set())
            ids.update(value for value in (old, new) if value is not None)
    return {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items() if ids}


def _field_change(model_field, old, new, related, *, first: bool) -> FieldChange:
    label = str(model_field.verbose_name)
    if first:
        if _is_text(model_field):
            html = escape(new)
        else:
            html = escape(display_value(model_field, new, related))
        return FieldChange(model_field.name, label, html, is_text=_is_text(model_field))
    if _is_text(model_field):
        return FieldChange(model_field.name, label, word_diff(old, new), is_text=True)
    html = _value_change(
        display_value(model_field, old, related),
        display_value(model_field, new, related),
        old_empty=_is_empty(old),
        new_empty=_is_empty(new),
    )
    return FieldChange(model_field.name, label, html)


def _ordered(history):
    return history.order_by("-history_date", "-history_id")


def version_choices(history) -> list[Version]:
    """Every version of the object, newest first, without their changes (for the comparison
    form and the pager): one query, which reads no content field."""
    records = (
        _ordered(history)
        .select_related("history_user")
        .only("history_id", "history_date", "history_type", "history_user")
    )
    records = list(records)
    return [_version(record, number=len(records) - index) for index, record in enumerate(records)]


def version_page(
    history,
    *,
    page=None,
    per_page: int = VERSIONS_PER_PAGE,
    exclude=(),
    choices: list[Version] | None = None,
) -> Page:
    """One page of the object's versions, newest first, each with what changed from the one
    before it. A constant number of queries: the list of versions (unless `choices` is given),
    the page's records with the one before the oldest, and one per related model of the foreign
    keys that changed. `exclude` names fields left out of the first version's values."""
    if choices is None:
        choices = version_choices(history)
    paginator = Paginator(choices, per_page)
    current = paginator.get_page(page)
    listed = list(current.object_list)
    if not listed:
        return current
    start = current.start_index() - 1
    predecessor = choices[start + len(listed)] if start + len(listed) < len(choices) else None
    ids = [version.history_id for version in listed]
    if predecessor is not None:
        ids.append(predecessor.history_id)
    records = {
        record.history_id: record
        for record in history.filter(history_id__in=ids).select_related("history_user")
    }
    pairs = []
    for index, version in enumerate(listed):
        older = listed[index + 1] if index + 1 < len(listed) else predecessor
        new = records[version.history_id]
        old = records[older.history_id] if older is not None else None
        pairs.append((version, old, _raw_changes(new, old, exclude)))
    related = _related_objects([change for *_rest, raw in pairs for change in raw])
    versions = []
    for version, old, raw in pairs:
        first = old is None
        version.changes = [
            _field_change(model_field, old_value, new_value, related, first=first)
            for model_field, old_value, new_value in raw
        ]
        version.is_first = first
        versions.append(version)
    return Page(versions, current.number, paginator)


def compare_versions(
    history, *, from_id: int, to_id: int, choices: list[Version] | None = None
) -> Comparison:
    """What changed from one version of the object to another (either may be the newer one).
    Raises VersionNotFound when either id is not a version of this object. Pass `choices` (from
    `version_choices`) to name the versions by their numbers."""
    records = {
        record.history_id: record
        for record in history.filter(history_id__in=[from_id, to_id]).select_related("history_user")
    }
    if from_id not in records or to_id not in records:
        raise VersionNotFound
    old, new = records[from_id], records[to_id]
    raw = _raw_changes(new, old, ())
    related = _related_objects(raw)
    numbers = {version.history_id: version.number for version in choices or ()}
    return Comparison(
        old=_version(old, number=numbers.get(from_id)),
        new=_version(new, number=numbers.get(to_id)),
        changes=[
            _field_change(model_field, old_value, new_value, related, first=False)
            for model_field, old_value, new_value in raw
        ],
    )


# --- The page ------------------------------------------------------------------------------


def history_context(request, history, *, exclude=()) -> dict:
    """What templates/history/changes.html needs for the object's history: the page of versions
    asked for (`?page=`), the comparison form and, when two versions were chosen (`?from=&to=`),
    their comparison. `invalid` is True when the comparison asked for cannot be made."""
    choices = version_choices(history)
    wants_comparison = "from" in request.GET or "to" in request.GET
    form = CompareForm(request.GET if wants_comparison else None, choices=choices)
    comparison = None
    if wants_comparison and form.is_valid():
        try:
            comparison = compare_versions(
                history,
                from_id=form.cleaned_data["from"],
                to_id=form.cleaned_data["to"],
                choices=choices,
            )
        except VersionNotFound:
            form.add_error(None, _("These versions cannot be compared: choose two from the list."))
    return {
        "page": version_page(
            history, page=request.GET.get("page"), exclude=exclude, choices=choices
        ),
        "version_count": len(choices),
        "latest_id": choices[0].history_id if choices else None,
        "compare_form": form,
        "comparison": comparison,
        "invalid": wants_comparison and comparison is None,
    }
