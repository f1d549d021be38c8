"""Two places to keep cached values, with one small interface.

``MemoryCache`` lives inside one process: no set-up, and gone with the process.
Under gunicorn every worker has its own, so a write handled by one worker
cannot clear what another remembers. ``RedisCache`` is one cache that every
worker shares, which is why teams run Redis (or memcached) for this.

Both store text and answer None for "not cached". A cache must never take the
app down: if Redis is unreachable, reads miss and the app goes to the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict

import redis

log = logging.getLogger("reference_app.cache")


# --8<-- [start:memory_cache]
class MemoryCache:
    """A least-recently-used dict with expiry times, safe across threads."""

    def __init__(self, max_entries: int = 10_000, clock=time.monotonic):
        self.entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self.max_entries, self.clock = max_entries, clock
        self.lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] <= self.clock():
                self.entries.pop(key, None)
                return None
            self.entries.move_to_end(key)  # recently used: evicted last
            return entry[1]

    def set(self, key: str, value: str, ttl: int) -> None:
        with self.lock:
            self.entries[key] = (self.clock() + ttl, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def delete(self, *keys: str) -> None:
        with self.lock:
            for key in keys:
                self.entries.pop(key, None)

    def incr(self, key: str) -> None:
        with self.lock:
            _, value = self.entries.get(key, (0, "0"))
            self.entries[key] = (float("inf"), str(int(value) + 1))

    def ping(self) -> bool:
        return True
# --8<-- [end:memory_cache]


# --8<-- [start:redis_cache]
class RedisCache:
    """The same interface on a Redis server, shared by every process."""

    def __init__(self, url: str):
        # Short timeouts: a slow cache is worse than no cache.
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5,
                                           decode_responses=True)
        self.errors = (redis.RedisError, OSError)

    def get(self, key: str) -> str | None:
        try:
            return self.client.get(key)
        except self.errors as error:
            log.warning("cache read failed, using the database: %s", error)
            return None

    def set(self, key: str, value: str, ttl: int) -> None:
        try:
            self.client.set(key, value, ex=ttl)
        except self.errors as error:
            log.warning("cache write failed: %s", error)

    def delete(self, *keys: str) -> None:
        # If this fails, a stale entry could outlive a write: log it loudly.
        try:
            self.client.delete(*keys)
        except self.errors as error:
            log.error("cache invalidation failed for %s: %s", keys, error)

    def incr(self, key: str) -> None:
        try:
            self.client.incr(key)
        except self.errors as error:
            log.error("cache invalidation failed for %s: %s", key, error)

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except self.errors:
            return False


def make_cache(settings):
    """The cache the settings ask for: Redis if REDIS_URL is set, else in memory."""
    if settings.redis_url:
        return RedisCache(settings.redis_url)
    return MemoryCache()
# --8<-- [end:redis_cache]
