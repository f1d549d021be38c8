"""Lesson 6: caching and query tuning.

Measure first, then:

1. store.py: a TunedStore that answers any list in 3 queries, and the
   indexes those queries need (indexes.sql);
2. cached_store.py and backends.py: hot anonymous reads kept in a cache (in
   memory, or Redis when REDIS_URL is set), and every write deleting exactly
   the entries it makes stale;
3. etag.py: API responses get an ETag, so a client that has the answer gets a
   bodiless 304 instead of the same bytes again.
"""

from __future__ import annotations

import functools

import bottle

from .backends import make_cache
from .cached_store import CachedStore
from .etag import ETagPlugin
from .store import TunedStore, create_indexes


# --8<-- [start:install]
def install(app: bottle.Bottle, settings) -> None:
    create_indexes(settings.database, settings.busy_timeout_ms)
    store_class = TunedStore
    if settings.cache:
        cache = make_cache(settings)
        app.config["cache.backend"] = cache
        store_class = functools.partial(CachedStore, cache=cache, ttl=settings.cache_ttl_seconds)
    app.config["store.class"] = store_class  # the seam lesson 2 left for exactly this
    app.install(ETagPlugin())
# --8<-- [end:install]
