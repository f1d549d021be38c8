"""Lesson 6: the tuned store. The same answers, in a fixed number of queries.

Through lesson 5 a list of 20 articles costs a count, the page, and then, for
every article, its tags, its author and its favourite count (and for a
logged-in reader also "favourited?" and "following?"): 62 queries for an
anonymous reader, 102 for a logged-in one. That is the N+1 problem.
``TunedStore`` answers any list in 3 queries (a count, the page with
everything joined, then all the page's tags at once), and indexes.sql adds
the indexes those queries need. derived.sql keeps counts, and each tag's and
each reader's articles in date order, so that every list costs the same at
100,000 articles as at 1,000.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from ..auth.store import SqliteAccountStore
from ..core.shapes import article_json, profile_json
from ..database.connection import connect
from ..database.store import COUNT_ARTICLES, list_params
from .queries import (
    ARTICLE_BY_SLUG,
    COMMENTS_TUNED,
    FEED_COUNT,
    FEED_TUNED,
    FEED_WALKING,
    LIST_TUNED,
    ONE_FILTER,
    POPULAR_TAGS,
    TAGS_OF_ARTICLES,
)

HERE = Path(__file__).parent
INDEXES = (HERE / "indexes.sql").read_text(encoding="utf-8")
# Tables that triggers keep current: counts, and articles by date per tag and reader.
DERIVED = (HERE / "derived.sql").read_text(encoding="utf-8")


def create_indexes(path: str, busy_timeout_ms: int = 5000) -> None:
    db = connect(path, busy_timeout_ms)
    try:
        db.conn.executescript(INDEXES)
        db.conn.executescript(DERIVED)
    finally:
        db.close()


# --8<-- [start:tuned_store]
class TunedStore(SqliteAccountStore):
    """The same answers as lesson 4's store, in a fixed number of queries;
    the tag list holds only the ``popular_tags`` most used."""

    def __init__(self, open_db, *, popular_tags=20):
        super().__init__(open_db)
        self.popular_tags = popular_tags

    def list_articles(self, *, tag=None, author=None, favorited=None, limit=20, offset=0,
                      viewer_id=None):
        params = {**list_params(tag, author, favorited, limit, offset), "viewer": viewer_id}
        count_sql, list_sql = list_queries(params)
        count = self.value(count_sql, params)                       # query 1
        rows = list(self.db.query(list_sql, params))                # query 2
        return self.articles(rows, with_body=False), count          # query 3, inside

    def feed_articles(self, follower_id, *, limit=20, offset=0):
        params = {"follower": follower_id, "viewer": follower_id, "limit": limit,
                  "offset": offset}
        counts = self.one(FEED_COUNT, params)
        rows = list(self.db.query(feed_query(**counts), params))
        return self.articles(rows, with_body=False), counts["articles"]

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

    # --8<-- [start:list_tags]
    def list_tags(self):
        rows = self.db.query(POPULAR_TAGS, {"limit": self.popular_tags})
        return [row["name"] for row in rows]
    # --8<-- [end:list_tags]


# --8<-- [start:list_queries]
def list_queries(params) -> tuple[str, str]:
    """The count and list SQL for these filters: a dedicated pair for no filter
    or for one, else the general pair."""
    used = tuple(name for name in ("tag", "author", "favorited") if params[name] is not None)
    return ONE_FILTER.get(used, (COUNT_ARTICLES, LIST_TUNED))


def feed_query(articles, authors, everyone) -> str:
    """The feed's SQL that reads fewer rows, from FEED_COUNT's row: walking reads
    about everyone / articles rows per article on the page; per author, up to
    one per author followed."""
    if articles and everyone / articles < authors:
        return FEED_WALKING
    return FEED_TUNED
# --8<-- [end:list_queries]


def author_of(row) -> dict:
    return profile_json(row, following=bool(row["following"]))
