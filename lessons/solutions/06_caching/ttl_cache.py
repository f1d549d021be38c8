"""Solution: ttl_cache."""

import time

_MISSING = object()  # a sentinel: unlike None, no cached value can be this object


class TTLCache:
    def __init__(self, ttl_seconds: float, max_entries: int = 1000, clock=time.monotonic):
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self.clock = clock
        self.entries: dict = {}  # key -> (expires_at, value), oldest first

    def set(self, key, value) -> None:
        self.entries.pop(key, None)  # re-inserting moves the key to the newest end
        self.entries[key] = (self.clock() + self.ttl_seconds, value)
        if len(self.entries) > self.max_entries:
            del self.entries[next(iter(self.entries))]  # dicts keep insertion order

    def get(self, key, default=None):
        entry = self.entries.get(key)
        if entry is None:
            return default
        expires_at, value = entry
        if self.clock() >= expires_at:
            del self.entries[key]
            return default
        return value

    def get_or_compute(self, key, compute):
        """Return the cached value, or call compute(), cache and return its result."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = compute()
            self.set(key, value)
        return value
