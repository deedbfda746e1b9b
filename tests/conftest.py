import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connections
from django.utils import translation

from tests import url_requests
from tests.factories import UserFactory
from tests.people import People

# --- Which URLs each test requests (tests/url_requests.py) ----------------------------------

url_requests.install()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "runs_last: runs after every other test of the session (it reads what they did)"
    )


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.get_closest_marker("runs_last") is not None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    url_requests.started(item)
    try:
        return (yield)
    finally:
        url_requests.finished()


def pytest_sessionfinish(session):
    if os.environ.get(url_requests.FILE_VARIABLE):
        url_requests.dump(os.environ[url_requests.FILE_VARIABLE])


# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Let every connection object restore the migrated data (groups, seeded taxonomies).

    ``serialized_rollback`` restores the snapshot Django takes after migrating, but the snapshot
    is stored on the connection object that took it. Once Playwright's sync API runs its event
    loop in the test thread, Django hands the test a different connection object (asgiref keys
    connections by context), which has no snapshot, so a flushed database stayed empty. Putting
    the snapshot on the wrapper class makes it visible to all of them.
    """
    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages must not leak from one test into the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in another language leaves that language active in the thread (Django's
    LocaleMiddleware does not put it back): the next test starts in the default one."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def no_page_cache(settings):
    """For the tests that count what rendering a page costs: pages and shared fragments would
    otherwise come from the page cache (ogp_platform/pagecache.py)."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _queued_mail(settings):
    # pytest-django installs the locmem backend as EMAIL_BACKEND; put the platform's queue back
    # in front of it so tests go through the same path as production (the worker delivers to
    # OGP_EMAIL_DELIVERY_BACKEND, which is locmem in the test settings).
    settings.EMAIL_BACKEND = "ogp_platform.mail.QueuedEmailBackend"


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def people(db):
    """People in their roles (tests/people.py), each made the first time the test asks."""
    return People()


@pytest.fixture
def redis_url():
    """The real Redis of CI. Skips locally without REDIS_URL; in CI its absence is a failure."""
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must run the suite with REDIS_URL set")
        pytest.skip("REDIS_URL is not set")
    return url


@pytest.fixture
def real_worker(redis_url):
    """A Celery worker thread consuming from the Redis broker (tasks stop running inline).

    Tests that let the worker read their rows need committed data:
    `@pytest.mark.django_db(transaction=True, serialized_rollback=True)`."""
    from ogp_platform.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.update(saved)
