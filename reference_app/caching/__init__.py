"""Lesson 6: caching and query tuning.

Measure first, then:

1. store.py: a TunedStore that answers any list in 3 queries, and the
   indexes those queries need (indexes.sql);
2. cached_store.py and backends.py: hot anonymous reads kept in a cache (in
   memory, or Redis when REDIS_URL is set), and every write deleting exactly
   the entries it makes stale. In production only a shared cache is safe;
   cache_is_safe() below decides;
3. etag.py: API responses get an ETag, so a client that has the answer gets a
   bodiless 304 instead of the same bytes again.
"""

from __future__ import annotations

import functools
import logging

import bottle

from ..core.openapi import describe
from .backends import make_cache
from .cached_store import CachedStore
from .etag import ETagPlugin
from .openapi import not_modified_paths
from .store import TunedStore, create_indexes

log = logging.getLogger("reference_app.cache")


# --8<-- [start:install]
def install(app: bottle.Bottle, settings) -> None:
    create_indexes(settings.database, settings.busy_timeout_ms)
    store_class, options = TunedStore, {"popular_tags": settings.popular_tags}
    if cache_is_safe(settings):
        cache = make_cache(settings)
        app.config["cache.backend"] = cache
        store_class = CachedStore
        options.update(cache=cache, ttl=settings.cache_ttl_seconds)
    # The seam lesson 2 left for exactly this: what makes each request's store.
    app.config["store.class"] = functools.partial(store_class, **options)
    app.install(ETagPlugin())
    describe(app, not_modified_paths(app))  # its 304, in the OpenAPI document
# --8<-- [end:install]


# --8<-- [start:cache_is_safe]
def cache_is_safe(settings) -> bool:
    """Whether to cache at all. In production, only in a cache that every process shares.

    A process cannot see how many others write to its database: gunicorn's
    workers, a second instance behind nginx, ``reference-app restore``. Each
    of them forgets only its own copy, so an in-process cache there serves
    deleted and edited articles until the TTL ends. Production therefore
    caches in Redis or not at all, unless told to show the stale reads.
    """
    if not settings.cache:
        return False
    if settings.production and not settings.redis_url and not settings.cache_allow_stale:
        log.warning("cache off: in production, set REDIS_URL to share one cache between "
                    "processes (STAGECRAFT_CACHE_ALLOW_STALE=true keeps a stale one per process)")
        return False
    return True
# --8<-- [end:cache_is_safe]
