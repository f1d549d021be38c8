"""Lesson 6: caching and query tuning.

Measure first. Through lesson 5 a list of 20 articles costs a count, the page,
and then, for every article, its tags, its author and its favourite count (and
for a logged-in reader also "favourited?" and "following?"): 62 queries for
an anonymous reader, 102 for a logged-in one. That is the N+1 problem. This
lesson:

1. swaps in a TunedStore that answers any list in 3 queries (a count, the page
   with everything joined, then all the page's tags at once), and adds the
   indexes those queries need;
2. keeps hot anonymous reads in a cache (in memory, or Redis when REDIS_URL is
   set), and makes every write delete exactly the entries it makes stale;
3. gives API responses an ETag, so a client that has the answer gets a
   bodiless 304 instead of the same bytes again.

The ETag plugin and the cache layer are hand-written to be read. A team would
use its framework's conditional-response support (WebOb's, Werkzeug's) or a
caching proxy in front (Varnish, nginx's proxy_cache), and a caching library
such as ``cachetools`` or ``dogpile.cache``.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict

import bottle
from bottle import request, response

from .cache_backends import make_cache
from .database import connect
from .shapes import article_json, profile_json
from .store import (
    ARTICLE_FILTER,
    COUNT_ARTICLES,
    NEWEST_FIRST,
    SqliteStore,
    list_params,
)


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


# --8<-- [start:indexes]
# Each index serves a query the app runs on every list, filter or feed:
INDEXES = """
create index if not exists articles_newest on articles (created_at, id);
create index if not exists articles_by_author on articles (author_id, created_at, id);
create index if not exists article_tags_by_tag on article_tags (tag_id, article_id);
create index if not exists favorites_by_article on favorites (article_id);
create index if not exists comments_by_article on comments (article_id, created_at);
"""
# --8<-- [end:indexes]


def create_indexes(path: str, busy_timeout_ms: int = 5000) -> None:
    db = connect(path, busy_timeout_ms)
    try:
        db.conn.executescript(INDEXES)
    finally:
        db.close()


# --8<-- [start:tuned_sql]
# Everything an article needs, in one row: its author, its favourite count,
# and whether this viewer favourited it or follows its author.
ARTICLE_ROWS = """
select a.*, u.username, u.bio, u.image,
       (select count(*) from favorites f where f.article_id = a.id) as favorites_count,
       exists (select 1 from favorites f
               where f.article_id = a.id and f.user_id = :viewer) as favorited,
       exists (select 1 from follows w
               where w.follower_id = :viewer and w.followed_id = a.author_id) as following
from articles a join users u on u.id = a.author_id
"""
LIST_TUNED = ARTICLE_ROWS + ARTICLE_FILTER + NEWEST_FIRST
# When only one filter is set, a query written for it lets SQLite use its
# index: in the general filter, ":author is null or ..." hides the index from
# the query planner, which must then walk every article, newest first.
COUNT_FROM = "select count(*) from articles a\n"
BY_AUTHOR = "where a.author_id = (select id from users where username = :author)\n"
BY_FOLLOWED = ("where a.author_id in (select followed_id from follows"
               " where follower_id = :followed_by)\n")
ONE_FILTER = {
    "author": (COUNT_FROM + BY_AUTHOR, ARTICLE_ROWS + BY_AUTHOR + NEWEST_FIRST),
    "followed_by": (COUNT_FROM + BY_FOLLOWED, ARTICLE_ROWS + BY_FOLLOWED + NEWEST_FIRST),
}
ARTICLE_BY_SLUG = ARTICLE_ROWS + "where a.slug = :slug"
# All the tags of all the articles on a page, in one query: the ids travel as
# one JSON array parameter, so the SQL text stays constant.
TAGS_OF_ARTICLES = """
select at.article_id, t.name from article_tags at join tags t on t.id = at.tag_id
where at.article_id in (select value from json_each(:ids)) order by at.position
"""
COMMENTS_TUNED = """
select c.*, u.username, u.bio, u.image,
       exists (select 1 from follows w
               where w.follower_id = :viewer and w.followed_id = c.author_id) as following
from comments c join users u on u.id = c.author_id
where c.article_id = :article order by c.created_at desc, c.id desc
"""
# --8<-- [end:tuned_sql]


# --8<-- [start:tuned_store]
class TunedStore(SqliteStore):
    """The same answers as SqliteStore, in a fixed number of queries."""

    def list_articles(self, *, tag=None, author=None, favorited=None, followed_by=None,
                      limit=20, offset=0, viewer_id=None):
        params = {**list_params(tag, author, favorited, followed_by, limit, offset),
                  "viewer": viewer_id}
        count_sql, list_sql = list_queries(params)
        count = self.value(count_sql, params)                       # query 1
        rows = list(self.db.query(list_sql, params))                # query 2
        return self.articles(rows, with_body=False), count          # query 3, inside

    def get_article(self, slug, *, viewer_id=None):
        rows = list(self.db.query(ARTICLE_BY_SLUG, {"slug": slug, "viewer": viewer_id}))
        return self.articles(rows)[0] if rows else None

    def articles(self, rows, with_body=True):
        tags = defaultdict(list)
        if rows:
            ids = json.dumps([row["id"] for row in rows])
            for tag in self.db.query(TAGS_OF_ARTICLES, {"ids": ids}):
                tags[tag["article_id"]].append(tag["name"])
        return [article_json(row, tags[row["id"]], author_of(row), row["favorited"],
                             row["favorites_count"], with_body=with_body) for row in rows]
# --8<-- [end:tuned_store]

    def list_comments(self, slug, *, viewer_id=None):
        article = self.article_row(slug)
        if article is None:
            return None
        rows = self.db.query(COMMENTS_TUNED, {"article": article["id"], "viewer": viewer_id})
        return [{"id": row["id"], "body": row["body"], "createdAt": row["created_at"],
                 "updatedAt": row["updated_at"], "author": author_of(row)} for row in rows]


# --8<-- [start:list_queries]
def list_queries(params) -> tuple[str, str]:
    """The count and list SQL for these filters: a dedicated pair when only one
    filter is set and one exists for it, else the general pair."""
    used = [name for name in ("tag", "author", "favorited", "followed_by") if params[name]]
    if len(used) == 1 and used[0] in ONE_FILTER:
        return ONE_FILTER[used[0]]
    return COUNT_ARTICLES, LIST_TUNED
# --8<-- [end:list_queries]


def author_of(row) -> dict:
    return profile_json(row, following=bool(row["following"]))


# --8<-- [start:cached_store]
LISTS = "articles:generation"  # bumping it retires every cached list at once


class CachedStore(TunedStore):
    """TunedStore with a cache in front of the anonymous hot reads.

    Only what everybody sees alike is cached: answers for a logged-in viewer
    carry "favorited" and "following", which are theirs alone. Every write
    below deletes exactly the entries it can have made stale.
    """

    def __init__(self, open_db, *, cache, ttl):
        super().__init__(open_db)
        self.cache, self.ttl = cache, ttl

    def cached(self, key, compute):
        """The cached value for ``key``, or compute it, store it and return it."""
        hit = self.cache.get(key)
        if hit is not None:
            return json.loads(hit)
        value = compute()
        self.cache.set(key, json.dumps(value), self.ttl)
        return value

    def list_tags(self):
        return self.cached("tags", super().list_tags)

    def get_article(self, slug, *, viewer_id=None):
        if viewer_id is not None:
            return super().get_article(slug, viewer_id=viewer_id)
        return self.cached(f"article:{slug}", lambda: TunedStore.get_article(self, slug))

    def list_articles(self, *, viewer_id=None, **filters):
        if viewer_id is not None or filters.get("followed_by") is not None:
            return super().list_articles(viewer_id=viewer_id, **filters)
        generation = self.cache.get(LISTS) or "0"
        key = f"articles:{generation}:{json.dumps(filters, sort_keys=True)}"
        articles, count = self.cached(key, lambda: TunedStore.list_articles(self, **filters))
        return articles, count
# --8<-- [end:cached_store]

    # ---- Writes: each one forgets what it changed -------------------------
    # --8<-- [start:invalidation]
    def create_article(self, author_id, title, description, body, tags):
        slug = super().create_article(author_id, title, description, body, tags)
        self.forget(lists=True, tags=bool(tags))
        return slug

    def update_article(self, row, changes, tags=None):
        slug = super().update_article(row, changes, tags)
        self.forget(row["slug"], slug, lists=True, tags=tags is not None)
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


# --8<-- [start:etag]
class ETagPlugin:
    """ETag and 304 Not Modified for the API's GET routes.

    The ETag is a hash of the exact JSON bytes. A client sends it back in
    If-None-Match; if the answer has not changed, it gets 304 and no body.
    """

    name = "etag"
    api = 2

    def apply(self, callback, route):
        if route.method != "GET" or not route.rule.startswith("/api/"):
            return callback

        def with_etag(*args, **kwargs):
            result = callback(*args, **kwargs)
            if not isinstance(result, dict):
                return result
            body = json.dumps(result)
            etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
            response.set_header("ETag", etag)
            # The answer depends on who asks: a shared cache must key on it.
            response.add_header("Vary", "Authorization")
            if not request.get_header("Authorization"):
                # Anyone may store it, but must check with us before reusing it.
                response.set_header("Cache-Control", "public, no-cache")
            if etag_matches(request.get_header("If-None-Match"), etag):
                response.status = 304
                return ""
            response.content_type = "application/json"
            return body

        return with_etag


def etag_matches(header: str | None, etag: str) -> bool:
    """Does an If-None-Match header name this ETag? Weak (W/) forms count too."""
    if not header:
        return False
    candidates = [part.strip().removeprefix("W/") for part in header.split(",")]
    return "*" in candidates or etag in candidates
# --8<-- [end:etag]


def query_plans(db) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN for the queries lesson 6 tunes: what SQLite will do."""
    cases = {"newest articles": {}, "by author": {"author": "demo"},
             "by tag": {"tag": "python"}, "feed": {"followed_by": 1}}
    plans = {}
    for name, filters in cases.items():
        params = {**list_params(None, None, None, None, 20, 0), "viewer": None, **filters}
        plans[name] = explain(db, list_queries(params)[1], params)
    plans["article by slug"] = explain(db, ARTICLE_BY_SLUG, {"slug": "x", "viewer": None})
    return plans


def explain(db, sql, params) -> list[str]:
    return [row["detail"] for row in db.query("explain query plan " + sql, params)]
