"""Two places to keep cached values, with one small interface.

``MemoryCache`` lives inside one process: no set-up, and gone with the process.
Under gunicorn every worker has its own, so a write handled by one worker
cannot clear what another remembers. ``RedisCache`` is one cache that every
worker shares, which is why teams run Redis (or memcached) for this.

Both store text and answer None for "not cached". A cache must never take the
app down: if Redis is unreachable, reads miss and the app goes to the database.

``MemoryCache`` is hand-written to be read. A team would use ``cachetools``:
its ``TTLCache(maxsize, ttl, getsizeof=len)`` is bounded by size and expires
entries too.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import OrderedDict

import redis

log = logging.getLogger("reference_app.cache")


# --8<-- [start:memory_cache]
# What one entry costs beyond its two strings: the dict's slot, the tuple, the
# float and the int (measured with tracemalloc; about 150 bytes in CPython 3.11).
ENTRY_OVERHEAD = 150
SWEEP_SECONDS = 1.0  # drop every expired entry at most this often


class MemoryCache:
    """A least-recently-used dict with expiry times, bounded in bytes, safe across threads.

    Bounded in bytes, not entries: one list of 20 articles by an author with a
    huge bio can be megabytes, so a count of entries bounds nothing. Expired
    entries are dropped, not kept until the bound pushes them out. Counters
    (the list generation) live apart and are never evicted: a generation that
    fell back to 0 would bring old lists back to life.
    """

    def __init__(self, max_bytes: int = 64_000_000):
        self.entries: OrderedDict[str, tuple[float, str, int]] = OrderedDict()
        self.counters: dict[str, int] = {}
        self.max_bytes, self.size, self.next_sweep = max_bytes, 0, 0.0
        self.lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self.lock:
            if key in self.counters:
                return str(self.counters[key])
            entry = self.entries.get(key)
            if entry is None or entry[0] <= time.monotonic():
                self.discard(key)
                return None
            self.entries.move_to_end(key)  # recently used: evicted last
            return entry[1]

    def set(self, key: str, value: str, ttl: int) -> None:
        size = sys.getsizeof(key) + sys.getsizeof(value) + ENTRY_OVERHEAD
        now = time.monotonic()
        with self.lock:
            self.discard(key)
            if size > self.max_bytes:
                return  # keeping it would evict everything else, and not fit anyway
            self.entries[key] = (now + ttl, value, size)
            self.size += size
            if now >= self.next_sweep:
                self.drop_expired(now)
            while self.size > self.max_bytes:  # then the least recently used
                self.discard(next(iter(self.entries)))

    def drop_expired(self, now: float) -> None:
        for key in [key for key, entry in self.entries.items() if entry[0] <= now]:
            self.discard(key)
        self.next_sweep = now + SWEEP_SECONDS

    def discard(self, key: str) -> None:
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.size -= entry[2]

    def delete(self, *keys: str) -> None:
        with self.lock:
            for key in keys:
                self.discard(key)
                self.counters.pop(key, None)

    def incr(self, key: str) -> None:
        with self.lock:
            self.counters[key] = self.counters.get(key, 0) + 1

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
    """The cache the settings ask for: Redis if REDIS_URL is set, else in memory.
    Redis bounds its own memory: run it with maxmemory (compose.yaml does)."""
    if settings.redis_url:
        return RedisCache(settings.redis_url)
    return MemoryCache(settings.cache_max_bytes)
# --8<-- [end:redis_cache]
