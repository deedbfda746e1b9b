"""Whole pages cached for visitors who are not signed in, invalidated by generation counters.

Most readers of a plan or a commitment are not signed in, and what they see depends only on the
data, the language and the URL. The key public pages are therefore kept whole in the shared
cache (Redis in production) for those visitors, and served from it without touching the
database, until something they show changes.

How a change reaches the cache: each page depends on a few *scopes* (`EPOCH` for everything,
`member:<id>` for what one member owns, `DIRECTORY` for the member directory, `EXPLORER` for
the commitment explorer), each scope has a generation counter in the cache, and a cached page
records the generations it was rendered under. Every save, delete or many-to-many change of a
model of this project bumps the generations of the scopes it belongs to, once at once and once
more after its transaction commits. Writes that bypass model signals (`QuerySet.update`,
`bulk_create`) call `changed` themselves.

Which change touches which scopes is declared by the app that owns the model, in its
`AppConfig.ready()` (the core declares its own models in `ogp_platform.page_scopes`):

    pagecache.track(Commitment, lambda c: (plan_member_scope(c.plan_id), pagecache.EXPLORER))
    pagecache.ignore(CommitmentImport)  # no cached page shows it

A model nobody declared bumps `EPOCH`, so forgetting one costs speed, never correctness (and a
test of the suite lists the models left so, to make it a decision).

Why no stale page can outlive a change: the view reads the generations *before* it reads the
database; a change committed after that read bumps a generation after its commit, so the page
rendered from older data is stored under generations that no longer match and is never served.
What a page shows that depends only on the clock (a plan becoming late, "closes in 2 days") may
be up to `PAGE_CACHE_SECONDS` old.

Per-visitor parts: the CSRF token of the page's forms is replaced by a placeholder before the
page is stored and by the visitor's own token when it is served. Visitors with messages waiting
(a flash after signing out, say) are served a fresh page. If the cache is unreachable, pages
are rendered as if nothing was cached; nothing fails.
"""

import functools
import hashlib
import logging
import re
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

EPOCH = "epoch"
DIRECTORY = "directory"
EXPLORER = "explorer"

PREFIX = "pagecache:"
OWNER_SECONDS = 60 * 60
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00csrf\x00"


def member_scope(member_id) -> str:
    return f"member:{member_id}"


def own_member(instance) -> tuple[str, ...]:
    """The scopes of an object that belongs to one member through its `member` field: a
    `track` function for such models."""
    return (member_scope(instance.member_id),)


def _enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


# --- Generations ----------------------------------------------------------------------------


def _generation_key(scope: str) -> str:
    return f"{PREFIX}gen:{scope}"


def generations(scopes) -> dict | None:
    """The current generation of each scope (a scope never seen, or evicted, gets a new one
    from the clock, so it cannot match what was stored under an older value); None when the
    cache cannot say."""
    keys = {_generation_key(scope): scope for scope in scopes}
    try:
        found = cache.get_many(list(keys))
        for key in keys.keys() - found.keys():
            cache.add(key, time.time_ns(), None)
            found[key] = cache.get(key)
    except Exception:
        logger.warning("page cache: generations unavailable", exc_info=True)
        return None
    if any(value is None for value in found.values()):
        return None
    return {keys[key]: value for key, value in found.items()}


def version(*scopes: str) -> str | None:
    """One string naming the current generations of the scopes, to key a cached fragment on
    (None when the page cache is off or the cache cannot say: render the fragment)."""
    if not _enabled():
        return None
    current = generations(scopes)
    return None if current is None else "-".join(str(current[scope]) for scope in scopes)


def _bump(scopes) -> None:
    for scope in scopes:
        key = _generation_key(scope)
        try:
            try:
                cache.incr(key)
            except ValueError:  # not there (never read, or evicted): any new value will do
                cache.set(key, time.time_ns(), None)
        except Exception:
            logger.warning("page cache: could not invalidate %s", scope, exc_info=True)


def changed(*scopes: str) -> None:
    """Say that what the scopes show has changed: their pages are rendered afresh. Bumped now
    (so the rest of this transaction, and tests, see it) and again after the transaction
    commits (so no page rendered from the data before the commit survives it)."""
    scopes = tuple(dict.fromkeys(scope for scope in scopes if scope))
    if not scopes:
        return
    _bump(scopes)
    transaction.on_commit(functools.partial(_bump, scopes), robust=True)


# --- Which change touches which scopes ------------------------------------------------------

_trackers: dict[type, tuple] = {}
_ignored: set[type] = set()


def track(model, scopes_of, *, private_fields=(), unseen_when_created=False) -> None:
    """Declare the scopes a change to an instance of `model` touches: `scopes_of(instance)`
    returns an iterable of scopes (an error in it counts as `EPOCH`). A save of only
    `private_fields`, or of a new instance when `unseen_when_created`, touches none. Called by
    the app owning the model, in its `AppConfig.ready()`; declaring a model again replaces its
    declaration."""
    _trackers[model] = (scopes_of, frozenset(private_fields), unseen_when_created)


def ignore(*models) -> None:
    """Declare models that no cached page shows (notifications, export bookkeeping…)."""
    _ignored.update(models)


@functools.cache
def _is_ours(model) -> bool:
    """Whether the model belongs to this project (not to Django or a third-party package), and
    is not a historical record (django-simple-history's copies are not shown to visitors as
    such: the object's own change bumps its scopes)."""
    from simple_history.models import HistoricalChanges

    if issubclass(model, HistoricalChanges):
        return False
    try:
        config = apps.get_app_config(model._meta.app_label)
    except LookupError:  # Django's own bookkeeping (the migration recorder)
        return False
    base = Path(settings.BASE_DIR).resolve()
    path = Path(config.path).resolve()
    return path.is_relative_to(base) and ".venv" not in path.parts


def scopes_of(instance, *, created=False, update_fields=None) -> tuple[str, ...]:
    model = type(instance)
    if model in _ignored or not _is_ours(model):
        return ()
    if model not in _trackers:
        return (EPOCH,)
    tracker, private_fields, unseen_when_created = _trackers[model]
    if (created and unseen_when_created) or (update_fields and update_fields <= private_fields):
        return ()
    try:
        return tuple(tracker(instance))
    except Exception:
        logger.debug("page cache: scopes of %r unknown", instance, exc_info=True)
        return (EPOCH,)


def objects_changed(*instances) -> None:
    """`changed` for the scopes of these instances: for writes that bypass model signals
    (`QuerySet.update`, `bulk_create`)."""
    if _enabled():
        changed(*(scope for instance in instances for scope in scopes_of(instance)))


def _on_save(sender, instance, created=False, update_fields=None, **kwargs):
    if _enabled():
        changed(*scopes_of(instance, created=created, update_fields=update_fields))


def _on_m2m(sender, instance, action, **kwargs):
    if _enabled() and action in ("post_add", "post_remove", "post_clear"):
        changed(*scopes_of(instance))


def connect_signals() -> None:
    post_save.connect(_on_save, dispatch_uid="pagecache-save")
    post_delete.connect(_on_save, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")


# --- The pages ------------------------------------------------------------------------------


def owner_scopes(name: str, member_of):
    """A scopes function for a page about one object: `EPOCH` and the scope of the member that
    owns it, `member_of(**url_kwargs)` (the member's id, or None when there is no such object:
    the page is not cached). The owner is remembered for an hour: an object never changes
    owner."""

    def scopes(request, **kwargs):
        key = f"{PREFIX}owner:{name}:" + ":".join(str(value) for value in kwargs.values())
        try:
            member_id = cache.get(key)
        except Exception:
            return None
        if member_id is None:
            member_id = member_of(**kwargs)
            if member_id is None:
                return None
            cache.set(key, member_id, OWNER_SECONDS)
        return (EPOCH, member_scope(member_id))

    return scopes


def owner_by(model, field: str, member_path: str):
    """`owner_scopes` for a page whose URL names the object by one field."""

    def member_of(**kwargs):
        (value,) = kwargs.values()
        return model.objects.filter(**{field: value}).values_list(member_path, flat=True).first()

    return owner_scopes(model._meta.label_lower, member_of)


def _cacheable_request(request) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    # Messages waiting for this visitor are part of the page: render it for them.
    return not len(messages.get_messages(request))


def _page_key(request) -> str:
    seed = "\n".join((request.get_host(), get_language() or "", request.get_full_path()))
    return PREFIX + "page:" + hashlib.sha256(seed.encode()).hexdigest()


def _stored(response) -> dict | None:
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or "private" in response.get("Cache-Control", "")
        or "no-store" in response.get("Cache-Control", "")
    ):
        return None
    return {
        "content": CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content),
        "headers": list(response.items()),
    }


def _served(request, entry) -> HttpResponse:
    content = entry["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in entry["headers"]:
        response[name] = value
    return response


def cached_page(scopes):
    """Serve the view's page to visitors who are not signed in from the cache while the
    generations of `scopes(request, **kwargs)` (None: do not cache) are those it was rendered
    under. Signed-in people always get a page rendered for them."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not (_enabled() and _cacheable_request(request)):
                return view(request, *args, **kwargs)
            page_scopes = scopes(request, **kwargs)
            current = generations(page_scopes) if page_scopes else None
            if current is None:
                return view(request, *args, **kwargs)
            key = _page_key(request)
            try:
                entry = cache.get(key)
            except Exception:
                entry = None
            if entry is not None and entry["generations"] == current:
                response = _served(request, entry)
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            stored = _stored(response)
            if stored is not None:
                try:
                    cache.set(key, {**stored, "generations": current}, settings.PAGE_CACHE_SECONDS)
                except Exception:
                    logger.warning("page cache: could not store a page", exc_info=True)
                response["X-Page-Cache"] = "miss"
            return response

        return wrapped

    return decorator
