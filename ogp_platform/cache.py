"""The Redis cache, made to degrade instead of fail: when Redis is down, the cache is empty.

Nothing the platform keeps in the cache is the only copy of anything: cached pages and
fragments, the participation figures, and the rate-limit counters of allauth and of commenting.
So an unreachable Redis must not turn a page into a 500 or hold a request up; it must look like
a cache that holds nothing and keeps nothing:

- reads are misses (`get` gives the default, `get_many` nothing, `has_key` False);
- writes are dropped (`set`, `set_many`, `delete`, `touch`, `clear` do nothing and report so);
- `add` says True and `incr` gives `delta`: the rate limits **fail open**. allauth takes a lock
  with `add` before counting a sign-up, a login or a password reset, and a lock it cannot take
  within a second turns into "429 Too Many Requests": failing closed would lock everyone out of
  signing in and up for as long as Redis is down, a self-inflicted outage worse than the abuse
  the limits slow down. Failing open gives an attacker the outage's minutes without counting;
  what must hold whatever happens (one vote per person, no identical repeated comment, a
  verified address to take part) is enforced by the database, not the cache.

Requests do not stall: connecting and reading time out after `SOCKET_TIMEOUT` (the settings pass
it in OPTIONS), and after a failure this process stops trying for `RETRY_AFTER` seconds (a small
circuit breaker), so a Redis that hangs instead of refusing costs one timeout every few seconds,
not one per cache call. The outage is logged as a warning at most once per `LOG_EVERY` seconds
per process, with the number of failed calls since the last one.

What may be stale afterwards: invalidations (deletes, the page cache's generation bumps) dropped
during the outage are lost, so a page cached before it can be served until its timeout runs out
(`PAGE_CACHE_SECONDS`) if Redis comes back with its data.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Errors that mean "Redis cannot be reached now" (OSError: a socket error redis-py let through).
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
SOCKET_TIMEOUT = 0.25
RETRY_AFTER = 2.0
LOG_EVERY = 30.0


class _Outage:
    """This process's view of the cache's health: when to try again, when last logged, and how
    many calls failed (or were skipped) since. Shared by every thread's backend instance."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.logged_at = -LOG_EVERY
        self.failures = 0

    def skipping(self) -> bool:
        if time.monotonic() >= self.down_until:
            return False
        with self.lock:
            self.failures += 1
        return True

    def failed(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            self.down_until = now + RETRY_AFTER
            self.failures += 1
            if now - self.logged_at < LOG_EVERY:
                return
            self.logged_at, failures, self.failures = now, self.failures, 0
        logger.warning(
            "cache unavailable (%s: %s: %s); %d cache calls failed or skipped since the last "
            "warning: serving as if nothing was cached",
            operation,
            type(error).__name__,
            error,
            failures,
        )


outage = _Outage()


class FaultTolerantRedisCache(RedisCache):
    """Django's RedisCache, which behaves as an empty cache while Redis cannot be reached."""

    def _call(self, operation: str, fallback, method, *args, **kwargs):
        if outage.skipping():
            return fallback
        try:
            return method(*args, **kwargs)
        except UNAVAILABLE as error:
            outage.failed(operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), super().set_many, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True: a lock taken with `add` (allauth's rate limits) is granted; see the module.
        return self._call("add", True, super().add, key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        # As if the count started now: a limit counted with `incr` is not reached.
        return self._call("incr", delta, super().incr, key, delta, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._call("clear", False, super().clear)
