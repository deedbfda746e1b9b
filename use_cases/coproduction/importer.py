"""The import of INTERLINK's catalogue (`manage.py import_interlink_catalogue FILE`): the file
INTERLINK published (`all.json` of interlink-project/interlinkers-data, later
interlink-project/backend-catalogue), read as it is — `interlinkers` by kind (knowledge,
external, software), `problemprofiles`, `schemas` — with every translation kept.

Records are matched on INTERLINK's ids, so running it again changes nothing, and each record
ends as created, updated, unchanged or skipped; the report says why for every record skipped and
for every value left out. The rules:

- a record without an id or a name, or whose id cannot be a page's address, is skipped, and so
  is the second record with an id already seen;
- an id that an enabler or schema added on the platform already holds is not taken over;
- an enabler that OGP staff changed on the platform keeps their changes: it stays as it is while
  INTERLINK's record is the one imported before, and is skipped, with a note, once INTERLINK's
  record differs (a curator then merges by hand);
- a withdrawn enabler stays withdrawn;
- descriptions are sanitised (see `services.catalogue.description_html`), names made one line;
  web addresses other than http(s), unknown difficulties and problem profiles the file does not
  define are left out, with a note;
- schemas keep the source's `phases` as they are (phases → objectives → tasks, prerequisites,
  problem profiles), once their shape has been checked.

The whole import is one transaction: a file that cannot be read at all changes nothing.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ogp_platform import pagecache

from . import vocabulary
from .models import Enabler, ProblemProfile, Schema
from .models.catalogue import Origin
from .services.catalogue import (
    RESERVED_KEYS,
    clean_tags,
    clean_translations,
    enabler_search_documents_refresh,
    safe_uri,
)

ENABLER_KINDS = ("knowledge", "external", "software")
KINDS = ("problem_profiles", "enablers", "schemas")
OUTCOMES = ("created", "updated", "unchanged", "skipped")
KIND_LABELS = {
    "problem_profiles": _("Problem profiles"),
    "enablers": _("Enablers"),
    "schemas": _("Schemas"),
}
OUTCOME_LABELS = {
    "created": _("created"),
    "updated": _("updated"),
    "unchanged": _("unchanged"),
    "skipped": _("skipped"),
}
# Enablers and schemas have pages named by their id; problem profiles are named in filters
# only, and INTERLINK numbers some of them with a dot (`ORG_PROBLEM_6.2`).
KEYS = {
    "problem_profiles": (re.compile(r"^[-a-zA-Z0-9_.]+\Z"), 64),
    "enablers": (re.compile(r"^[-a-zA-Z0-9_]+\Z"), 120),
    "schemas": (re.compile(r"^[-a-zA-Z0-9_]+\Z"), 120),
}

MESSAGES = {
    "not_an_object": _("Record %(position)s is not an object: skipped."),
    "no_id": _("Record %(position)s has no id: skipped."),
    "bad_id": _(
        "The id “%(key)s” is not an identifier the platform can use (letters, digits, - and _, "
        "at most %(length)s characters): skipped."
    ),
    "reserved_id": _("The id “%(key)s” is the name of a catalogue page: skipped."),
    "duplicate_id": _("The id %(key)s appears twice: the second record is skipped."),
    "no_name": _("%(key)s has no name in any language: skipped."),
    "unknown_kind": _(
        "“%(value)s” is not a kind of enabler (knowledge, external, software): its %(count)s "
        "records are skipped."
    ),
    "held_by_platform": _(
        "%(key)s is the id of one added on the platform, which is kept: INTERLINK's record is "
        "skipped."
    ),
    "curated_and_changed": _(
        "%(key)s was changed by OGP staff on the platform, and INTERLINK's record has changed "
        "since: the staff's version is kept and INTERLINK's changes are not applied."
    ),
    "unknown_profiles": _(
        "%(key)s names problem profiles the file does not define (%(values)s): left out."
    ),
    "unsafe_uri": _(
        "%(key)s: the address “%(value)s” (%(language)s) is not a web address: left out."
    ),
    "unknown_difficulty": _("%(key)s: the difficulty “%(value)s” is unknown: left empty."),
    "bad_phases": _("%(key)s: %(problem)s: skipped."),
    "unknown_prerequisites": _(
        "%(key)s: prerequisites name items the schema does not have (%(values)s)."
    ),
}
SCHEMA_PROBLEMS = {
    "phases_not_a_list": _("its phases are not a list"),
    "item_not_an_object": _("an item of its tree is not an object"),
    "item_without_id": _("an item of its tree has no id"),
    "duplicate_item": _("the item id %(item)s appears twice"),
    "children_not_a_list": _("the %(children)s of %(item)s are not a list"),
}


class ImportFailed(Exception):
    """The file cannot be imported at all (not JSON, not the catalogue's shape): nothing was
    written."""


@dataclass(frozen=True)
class Note:
    kind: str
    key: str
    code: str
    params: dict
    skipped: bool

    @property
    def message(self) -> str:
        return gettext(MESSAGES[self.code]) % self.params


@dataclass
class ImportReport:
    """What an import did: a count per kind and outcome, and a note for every record skipped
    and every value left out."""

    counts: dict = field(
        default_factory=lambda: {kind: dict.fromkeys(OUTCOMES, 0) for kind in KINDS}
    )
    notes: list = field(default_factory=list)

    def record(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    def note(self, kind: str, key: str, code: str, *, skipped: bool = False, **params) -> None:
        self.notes.append(Note(kind, key, code, {"key": key, **params}, skipped))
        if skipped:
            self.record(kind, "skipped")

    @property
    def changed(self) -> bool:
        return any(self.counts[kind][o] for kind in KINDS for o in ("created", "updated"))

    def lines(self) -> list[str]:
        lines = [
            f"{gettext(KIND_LABELS[kind])}: "
            + ", ".join(
                f"{self.counts[kind][outcome]} {gettext(OUTCOME_LABELS[outcome])}"
                for outcome in OUTCOMES
            )
            for kind in KINDS
        ]
        lines += [f"- {note.message}" for note in self.notes]
        return lines


def read_catalogue(path) -> dict:
    """The catalogue file's content, or ImportFailed saying why it cannot be read."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ImportFailed(
            gettext("%(file)s cannot be read as JSON: %(error)s") % {"file": path, "error": error}
        ) from error
    return data


def _check_shape(data) -> None:
    if not isinstance(data, dict):
        raise ImportFailed(gettext("The catalogue must be a JSON object."))
    missing = [name for name in ("interlinkers", "problemprofiles", "schemas") if name not in data]
    if missing:
        raise ImportFailed(
            gettext("The catalogue has no %(names)s: is this INTERLINK's all.json?")
            % {"names": ", ".join(missing)}
        )
    if not isinstance(data["interlinkers"], dict):
        raise ImportFailed(gettext("“interlinkers” must be an object of lists by kind."))
    for name in ("problemprofiles", "schemas"):
        if not isinstance(data[name], list):
            raise ImportFailed(gettext("“%(name)s” must be a list.") % {"name": name})
    for kind, records in data["interlinkers"].items():
        if not isinstance(records, list):
            raise ImportFailed(gettext("“interlinkers.%(kind)s” must be a list.") % {"kind": kind})


def import_catalogue(data, *, actor=None, dry_run: bool = False) -> ImportReport:
    """Import the catalogue `data` (the parsed file); `actor` is recorded in the history of the
    enablers (none: the change is the import's own). With `dry_run`, everything is done and
    rolled back, so the report says what an import would do."""
    _check_shape(data)
    report = ImportReport()
    with transaction.atomic():
        profiles, renamed = _import_problem_profiles(data["problemprofiles"], report)
        refresh = _import_enablers(data["interlinkers"], profiles, report, actor=actor)
        # The documents of enablers facing a problem profile that changed name its new name.
        refresh |= set(
            Enabler.objects.filter(problem_profiles__in=renamed).values_list("pk", flat=True)
        )
        _import_schemas(data["schemas"], profiles, report)
        enabler_search_documents_refresh(enabler_ids=refresh)
        if dry_run:
            transaction.set_rollback(True)
        elif report.changed:
            # Bulk writes bypass the page cache's signals: every cached page is refreshed.
            pagecache.changed(pagecache.EPOCH)
    return report


# --- Records --------------------------------------------------------------------------------


def _records(kind: str, records, report: ImportReport):
    """(key, record) of each usable record; the others are noted as skipped."""
    pattern, key_length = KEYS[kind]
    seen = set()
    for position, record in enumerate(records, 1):
        if not isinstance(record, dict):
            report.note(kind, f"#{position}", "not_an_object", skipped=True, position=position)
            continue
        key = record.get("id")
        if not isinstance(key, str) or not key.strip():
            report.note(kind, f"#{position}", "no_id", skipped=True, position=position)
            continue
        key = key.strip()
        if not pattern.match(key) or len(key) > key_length:
            report.note(kind, key, "bad_id", skipped=True, length=key_length)
            continue
        if kind != "problem_profiles" and key in RESERVED_KEYS:
            report.note(kind, key, "reserved_id", skipped=True)
            continue
        if key in seen:
            report.note(kind, key, "duplicate_id", skipped=True)
            continue
        seen.add(key)
        yield key, record


def _apply(obj, values: dict) -> bool:
    """Set the values that differ; say whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _import_problem_profiles(records, report: ImportReport):
    """Import the problem profiles; return every profile by key (those of the file and those
    already there) and the ids of the profiles updated."""
    existing = {profile.key: profile for profile in ProblemProfile.objects.all()}
    updated = []
    for key, record in _records("problem_profiles", records, report):
        values = {
            "name_translations": clean_translations(
                record.get("name_translations"), single_line=True
            ),
            "description_translations": clean_translations(record.get("description_translations")),
            "functionality_translations": clean_translations(
                record.get("functionality_translations")
            ),
        }
        if not values["name_translations"]:
            report.note("problem_profiles", key, "no_name", skipped=True)
            continue
        profile = existing.get(key)
        if profile is None:
            existing[key] = ProblemProfile.objects.create(key=key, **values)
            report.record("problem_profiles", "created")
        elif _apply(profile, values):
            profile.save()
            updated.append(profile.pk)
            report.record("problem_profiles", "updated")
        else:
            report.record("problem_profiles", "unchanged")
    return existing, updated


def _profile_keys(kind: str, key: str, wanted, profiles, report: ImportReport) -> set[str]:
    wanted = [value for value in wanted or () if isinstance(value, str)]
    unknown = sorted({value for value in wanted if value not in profiles})
    if unknown:
        report.note(kind, key, "unknown_profiles", values=", ".join(unknown))
    return {value for value in wanted if value in profiles}


def _enabler_values(kind: str, key: str, record: dict, report: ImportReport) -> dict:
    uris = {}
    for language, uri in (record.get("uri_translations") or {}).items():
        if not isinstance(uri, str) or not uri.strip():
            continue
        if safe_uri(uri):
            uris[language] = uri.strip()
        else:
            report.note("enablers", key, "unsafe_uri", value=uri.strip()[:80], language=language)
    difficulty = record.get("difficulty") or ""
    if difficulty and difficulty not in Enabler.Difficulty.values:
        report.note("enablers", key, "unknown_difficulty", value=str(difficulty)[:40])
        difficulty = ""
    return {
        "kind": kind,
        "form": _text(record.get("form")),
        "format": _text(record.get("format")),
        "difficulty": difficulty,
        "licence": vocabulary.normalise_licence(record.get("licence")),
        "administrative_scopes": _strings(record.get("administrative_scopes")),
        "languages": _strings(record.get("languages")),
        "name_translations": clean_translations(record.get("name_translations"), single_line=True),
        "description_translations": clean_translations(
            record.get("description_translations"), html_text=True
        ),
        "tags_translations": clean_tags(record.get("tags_translations")),
        "constraints_translations": _saying_something(
            clean_translations(
                record.get("constraints_and_limitations_translations"), html_text=True
            )
        ),
        "regulations_translations": _saying_something(
            clean_translations(record.get("regulations_and_standards_translations"), html_text=True)
        ),
        "uri_translations": uris,
        "file_translations": clean_translations(record.get("file_translations")),
        "source": record,
    }


# What the published catalogue writes where an enabler has no constraint or regulation (in
# English only): shown as it is, a page in Italian would read "None". Left out instead, so the
# page leaves the section out in every language.
SAYING_NOTHING = {"none", "n/a", "-", "some text here"}


def _saying_something(translations: dict) -> dict:
    return {
        language: text
        for language, text in translations.items()
        if strip_tags(text).strip().rstrip(".").lower() not in SAYING_NOTHING
    }


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _strings(values) -> list[str]:
    if not isinstance(values, list):
        return []
    return [value.strip() for value in values if isinstance(value, str) and value.strip()]


def _import_enablers(interlinkers: dict, profiles, report: ImportReport, *, actor) -> set[int]:
    """Import the enablers of every kind; return the ids of those created or updated."""
    existing = {
        enabler.key: enabler for enabler in Enabler.objects.prefetch_related("problem_profiles")
    }
    refresh = set()
    seen = set()
    for kind, records in interlinkers.items():
        if kind not in ENABLER_KINDS:
            report.note("enablers", kind, "unknown_kind", value=kind, count=len(records))
            report.counts["enablers"]["skipped"] += len(records)
            continue
        for key, record in _records("enablers", records, report):
            if key in seen:
                report.note("enablers", key, "duplicate_id", skipped=True)
                continue
            seen.add(key)
            enabler = _import_enabler(kind, key, record, existing.get(key), profiles, report, actor)
            if enabler is not None:
                refresh.add(enabler.pk)
    return refresh


def _import_enabler(kind, key, record, enabler, profiles, report, actor) -> Enabler | None:
    """Create or update one enabler; return it when it was written."""
    values = _enabler_values(kind, key, record, report)
    if not values["name_translations"]:
        report.note("enablers", key, "no_name", skipped=True)
        return None
    profile_keys = _profile_keys("enablers", key, record.get("problemprofiles"), profiles, report)
    if enabler is None:
        enabler = Enabler(key=key, origin=Origin.IMPORTED, **values)
        enabler._history_user = actor
        enabler.save()
        enabler.problem_profiles.set([profiles[k] for k in profile_keys])
        report.record("enablers", "created")
        return enabler
    if enabler.origin != Origin.IMPORTED:
        report.note("enablers", key, "held_by_platform", skipped=True)
        return None
    if enabler.curated_at is not None:
        if enabler.source == record:
            report.record("enablers", "unchanged")
        else:
            report.note("enablers", key, "curated_and_changed", skipped=True)
        return None
    current_profiles = {profile.key for profile in enabler.problem_profiles.all()}
    changed = _apply(enabler, values)
    if not changed and current_profiles == profile_keys:
        report.record("enablers", "unchanged")
        return None
    if changed:
        enabler._history_user = actor
        enabler.save()
    if current_profiles != profile_keys:
        enabler.problem_profiles.set([profiles[k] for k in profile_keys])
    report.record("enablers", "updated")
    return enabler


# --- Schemas --------------------------------------------------------------------------------

# The source's tree: phases hold objectives, which hold tasks.
_CHILDREN = {"phase": ("objectives", "objective"), "objective": ("tasks", "task"), "task": None}


def _walk_schema(phases) -> tuple[str | None, dict, list]:
    """Check the shape of a schema's phases; return (the first problem, as a SCHEMA_PROBLEMS
    code with its parameters, or None), the items by id, and every prerequisite named."""
    if not isinstance(phases, list):
        return ("phases_not_a_list", {}), {}, []
    items, prerequisites = {}, []
    pending = [("phase", phase) for phase in phases]
    while pending:
        level, item = pending.pop()
        if not isinstance(item, dict):
            return ("item_not_an_object", {}), items, prerequisites
        item_id = item.get("id")
        if not isinstance(item_id, str) or not item_id:
            return ("item_without_id", {}), items, prerequisites
        if item_id in items:
            return ("duplicate_item", {"item": item_id}), items, prerequisites
        items[item_id] = item
        for prerequisite in item.get("prerequisites") or ():
            if isinstance(prerequisite, dict):
                prerequisites.append(prerequisite.get("item"))
        if _CHILDREN[level] is None:
            continue
        name, child_level = _CHILDREN[level]
        children = item.get(name) or []
        if not isinstance(children, list):
            return ("children_not_a_list", {"children": name, "item": item_id}), items, []
        pending += [(child_level, child) for child in children]
    return None, items, prerequisites


def _import_schemas(records, profiles, report: ImportReport) -> None:
    existing = {schema.key: schema for schema in Schema.objects.all()}
    for key, record in _records("schemas", records, report):
        problem, items, prerequisites = _walk_schema(record.get("phases"))
        if problem is not None:
            code, params = problem
            report.note(
                "schemas", key, "bad_phases", skipped=True, problem=SCHEMA_PROBLEMS[code] % params
            )
            continue
        unknown = sorted({str(p) for p in prerequisites if p not in items})
        if unknown:
            report.note("schemas", key, "unknown_prerequisites", values=", ".join(unknown))
        wanted = [value for item in items.values() for value in item.get("problemprofiles") or ()]
        _profile_keys("schemas", key, wanted, profiles, report)
        values = {
            "name_translations": clean_translations(
                record.get("name_translations"), single_line=True
            ),
            "description_translations": clean_translations(record.get("description_translations")),
            "licence": vocabulary.normalise_licence(record.get("licence")),
            "languages": _strings(record.get("languages")),
            "phases": record["phases"],
        }
        if not values["name_translations"]:
            report.note("schemas", key, "no_name", skipped=True)
            continue
        schema = existing.get(key)
        if schema is None:
            Schema.objects.create(key=key, origin=Origin.IMPORTED, **values)
            report.record("schemas", "created")
        elif schema.origin != Origin.IMPORTED:
            report.note("schemas", key, "held_by_platform", skipped=True)
        elif _apply(schema, values):
            schema.save()
            report.record("schemas", "updated")
        else:
            report.record("schemas", "unchanged")
