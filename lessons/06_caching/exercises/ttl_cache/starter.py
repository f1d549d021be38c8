"""Exercise ttl_cache: a small in-process cache whose entries expire.

A cache trades freshness for speed: serve a stored answer for up to
`ttl_seconds`, then recompute. It must also be bounded, or it becomes a
memory leak with a nice name.
"""

import time


class TTLCache:
    def __init__(self, ttl_seconds: float, max_entries: int = 1000, clock=time.monotonic):
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self.clock = clock
        self.entries: dict = {}  # key -> value; TODO 1: key -> (expires_at, value)

    def set(self, key, value) -> None:
        # TODO 1: store the value with its expiry time: self.clock() + ttl_seconds.
        # TODO 3: if that makes more than max_entries, evict the oldest entry.
        self.entries[key] = value

    def get(self, key, default=None):
        # TODO 2: an expired entry is a miss: delete it and return default.
        return self.entries.get(key, default)

    def get_or_compute(self, key, compute):
        """Return the cached value, or call compute(), cache and return its result."""
        # TODO 4: call compute() only on a miss (and note: a cached None is still a hit).
        raise NotImplementedError("get_or_compute")
