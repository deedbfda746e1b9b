"""Tools for tests/platform/test_url_security.py: the project's URL patterns, whether a test file
defines the test functions named, and a watch on the database that tells whether a request
changed it. Which URLs the tests request is recorded by tests/url_requests.py."""

import re
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Route:
    name: str | None  # qualified with its namespaces ("members:detail"), None when unnamed
    route: str  # the pattern, prefixes included
    pattern: URLPattern

    @property
    def parameters(self) -> set[str]:
        """The keyword arguments the pattern captures (named groups and path converters)."""
        regex = self.pattern.pattern.regex
        return set(regex.groupindex)

    @property
    def view(self) -> str:
        callback = self.pattern.callback
        return f"{callback.__module__}.{getattr(callback, '__qualname__', callback)}"


def _walk(resolver, namespaces=(), prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, inner, prefix + str(entry.pattern))
        else:
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield namespaces, Route(name=name, route=prefix + str(entry.pattern), pattern=entry)


def project_routes() -> tuple[list[Route], list[Route]]:
    """Every URL pattern of the project, and those set aside: the Django admin (its own
    permission system). A route serving files straight from disk would have to be classified
    like any other (there is none: uploads go through views that check permissions)."""
    kept, ignored = [], []
    for namespaces, route in _walk(get_resolver()):
        if namespaces[:1] == ("admin",):
            ignored.append(route)
        else:
            kept.append(route)
    return kept, ignored


def reference_parts(reference) -> tuple[str, str]:
    """`"tests/x.py"` or `("tests/x.py", "test_prefix")` → (path, function-name prefix or "")."""
    if isinstance(reference, str):
        return reference, ""
    path, prefix = reference
    return path, prefix


def defines_test(source: str, prefix: str) -> bool:
    return bool(re.search(r"^(?:async )?def " + re.escape(prefix), source, re.MULTILINE))


# Tables whose rows are not the platform's state: a GET may sign someone's session in or out.
VOLATILE_MODELS = {Session}
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE|ALTER|CREATE|DROP)\b", re.I)


def watched_tables() -> list[str]:
    """Every table of every installed app (the project's, their history tables, allauth's,
    guardian's, the many-to-many tables), except the volatile ones."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model not in VOLATILE_MODELS and model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


class DatabaseWatch:
    """Tells whether a block of code changed the database.

    Three witnesses: the row count of every watched table (one UNION ALL query), every SQL
    statement that writes to a watched table (so an UPDATE in place is seen too), and the
    callbacks queued to run after the commit (a task or an email queued by a GET)."""

    def __init__(self):
        self.tables = watched_tables()
        quote = connection.ops.quote_name
        # Table names come from the models' Meta, quoted: nothing here is user input.
        self.count_sql = " UNION ALL ".join(
            f"SELECT '{table}', COUNT(*) FROM {quote(table)}"  # noqa: S608
            for table in self.tables
        )
        self.volatile = {model._meta.db_table for model in VOLATILE_MODELS}

    def fingerprint(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(self.count_sql)
            return dict(cursor.fetchall())

    def changes(self, before: dict[str, int], after: dict[str, int]) -> list[str]:
        return [
            f"{table}: {before[table]} → {after[table]} rows"
            for table in self.tables
            if before[table] != after[table]
        ]

    def writes(self, queries) -> list[str]:
        found = []
        for query in queries:
            sql = query["sql"]
            if WRITE.match(sql) and not any(table in sql for table in self.volatile):
                found.append(sql[:200])
        return found

    def run(self, do) -> tuple[object, list[str]]:
        """Run `do()` and return its result with what it changed (empty when nothing)."""
        before = self.fingerprint()
        callbacks = len(connection.run_on_commit)
        with CaptureQueriesContext(connection) as captured:
            result = do()
        problems = [f"wrote: {sql}" for sql in self.writes(captured.captured_queries)]
        problems += self.changes(before, self.fingerprint())
        queued = len(connection.run_on_commit) - callbacks
        if queued:
            problems.append(f"queued {queued} callback(s) to run after the commit")
        return result, problems
