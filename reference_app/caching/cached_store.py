"""Lesson 6: a cache in front of the tuned store's hot anonymous reads.

The cache itself (in memory, or Redis when REDIS_URL is set) is in
backends.py. This layer decides what to keep, and makes every write delete
exactly the entries it makes stale.

Hand-written to be read. A team would use a caching library such as
``cachetools`` or ``dogpile.cache``, or a caching proxy in front (Varnish,
nginx's proxy_cache).
"""

from __future__ import annotations

import orjson

from .store import TunedStore

# --8<-- [start:cached_store]
LISTS = "articles:generation"  # bumping it retires every cached list at once


class CachedStore(TunedStore):
    """TunedStore with a cache in front of the anonymous hot reads.

    Only what everybody sees alike is cached: answers for a logged-in viewer
    carry "favorited" and "following", which are theirs alone. Every write
    below deletes exactly the entries it can have made stale.
    """

    def __init__(self, open_db, *, cache, ttl, **options):
        super().__init__(open_db, **options)
        self.cache, self.ttl = cache, ttl

    def cached(self, key, compute):
        """The cached value for ``key``, or compute it, store it and return it."""
        hit = self.cache.get(key)
        if hit is not None:
            return orjson.loads(hit)  # orjson: a hit is decoded on every read, so speed counts
        value = compute()
        self.cache.set(key, orjson.dumps(value).decode(), self.ttl)
        return value

    def list_tags(self):
        return self.cached("tags", super().list_tags)

    def get_article(self, slug, *, viewer_id=None):
        if viewer_id is not None:
            return super().get_article(slug, viewer_id=viewer_id)
        return self.cached(f"article:{slug}", lambda: TunedStore.get_article(self, slug))

    def list_articles(self, *, viewer_id=None, **filters):
        if viewer_id is not None:
            return super().list_articles(viewer_id=viewer_id, **filters)
        generation = self.cache.get(LISTS) or "0"
        filters_text = orjson.dumps(filters, option=orjson.OPT_SORT_KEYS).decode()
        key = f"articles:{generation}:{filters_text}"
        articles, count = self.cached(key, lambda: TunedStore.list_articles(self, **filters))
        return articles, count
# --8<-- [end:cached_store]

    # ---- Writes: each one forgets what it changed -------------------------
    # --8<-- [start:invalidation]
    def create_article(self, author_id, title, description, body, tags):
        slug = super().create_article(author_id, title, description, body, tags)
        # Its slug too: a read before it existed cached "no such article".
        self.forget(slug, lists=True, tags=bool(tags))
        return slug

    def update_article(self, article_id, changes, tags=None):
        old_slug = self.slug_of(article_id)
        slug = super().update_article(article_id, changes, tags)
        self.forget(old_slug, slug, lists=True, tags=tags is not None)
        return slug

    def delete_article(self, article_id):
        slug = self.slug_of(article_id)  # before it is gone
        super().delete_article(article_id)
        self.forget(slug, lists=True, tags=True)

    def favorite(self, user_id, article_id):
        super().favorite(user_id, article_id)
        self.forget(self.slug_of(article_id), lists=True)  # favoritesCount changed

    def unfavorite(self, user_id, article_id):
        super().unfavorite(user_id, article_id)
        self.forget(self.slug_of(article_id), lists=True)

    def update_user(self, user_id, changes):
        user = super().update_user(user_id, changes)
        if {"username", "bio", "image"} & set(changes):  # shown as the author of articles
            slugs = [r["slug"] for r in self.db.query(
                "select slug from articles where author_id = ?", [user_id])]
            self.forget(*slugs, lists=True)
        return user

    def forget(self, *slugs, lists=False, tags=False):
        keys = [f"article:{slug}" for slug in slugs] + (["tags"] if tags else [])
        if keys:
            self.cache.delete(*keys)
        if lists:
            self.cache.incr(LISTS)
    # --8<-- [end:invalidation]

    def slug_of(self, article_id):
        return self.value("select slug from articles where id = ?", [article_id])
