"""Which URLs each test requests through Django's test client, recorded while the suite runs.

tests/platform/test_url_security.py reads it to check that the permission test named for each
state-changing URL really sends that URL a request that may change something (not only that
its source mentions the URL's name). tests/conftest.py installs the recorder and tells it which
test is running.

The check runs last in a session. The tests it needs that did not run in the session (a file
run alone, a selection) are run in a pytest process of their own, on the embedded settings
(SQLite in memory, no Redis): what they request is the same, and the process shares no database
or cache with this one. That process writes what it recorded to the file named by
`FILE_VARIABLE`.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from django.test import Client
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[1]
FILE_VARIABLE = "OGP_URL_REQUESTS_FILE"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

# (test file relative to the project, test function name) → {(URL name, method)}
REQUESTED: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
_running: list[tuple[str, str]] = []


def key_of(item) -> tuple[str, str]:
    """A test's file and function name, without its parameters."""
    path = Path(str(item.path)).resolve()
    with contextlib.suppress(ValueError):  # a test outside the project
        path = path.relative_to(ROOT)
    return path.as_posix(), getattr(item, "originalname", item.name)


def started(item) -> None:
    _running[:] = [key_of(item)]


def finished() -> None:
    _running.clear()


def _record(request: dict) -> None:
    if not _running:
        return
    try:
        match = resolve(request.get("PATH_INFO", ""))
    except Resolver404:
        return
    if match.view_name:
        REQUESTED[_running[0]].add((match.view_name, request.get("REQUEST_METHOD", "GET")))


def install() -> None:
    """Wrap the test client's request so that every request is recorded (once per process)."""
    original = Client.request
    if getattr(original, "records_urls", False):
        return

    def request(self, **environ):
        try:
            return original(self, **environ)
        finally:
            _record(environ)

    request.records_urls = True
    Client.request = request


def changing_requests(path: str, prefix: str, url_name: str) -> list[str]:
    """The tests of `path` whose names start with `prefix` that sent `url_name` a request with
    a method that may change something."""
    return sorted(
        function
        for (file, function), requests in REQUESTED.items()
        if file == path
        and function.startswith(prefix)
        and any(name == url_name and method not in SAFE_METHODS for name, method in requests)
    )


def dump(file: str) -> None:
    rows = [[*key, *request] for key, requests in REQUESTED.items() for request in requests]
    Path(file).write_text(json.dumps(rows), encoding="utf-8")


def run_apart(selection: set[tuple[str, str]]) -> str:
    """Run the tests of each (file, function-name prefix) in a pytest process of their own and
    add what they requested; return the end of its output (for a failure message)."""
    files = sorted({path for path, _ in selection})
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *files]
    if all(prefix for _, prefix in selection):
        command += ["-k", " or ".join(sorted({prefix for _, prefix in selection}))]
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "requests.json"
        environ = {
            name: value
            for name, value in os.environ.items()
            if name not in {"DATABASE_URL", "REDIS_URL", "CI"}
        }
        environ[FILE_VARIABLE] = str(output)
        result = subprocess.run(
            command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=3600
        )
        if output.exists():
            for path, function, name, method in json.loads(output.read_text(encoding="utf-8")):
                REQUESTED[path, function].add((name, method))
    return (result.stdout + result.stderr)[-1500:]
