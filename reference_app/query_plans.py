"""EXPLAIN QUERY PLAN for the queries lesson 6 tunes: what SQLite will do.

Tooling for ``make plans`` and lesson 6's page, not part of the app.
"""

from __future__ import annotations

from .auth.store import COUNT_FEED, FEED_FILTER
from .caching.queries import (
    ARTICLE_BY_SLUG,
    ARTICLE_ROWS,
    FEED_COUNT,
    FEED_TUNED,
    FEED_WALKING,
    LIST_TUNED,
    POPULAR_TAGS,
)
from .caching.store import list_queries
from .database.store import COUNT_ARTICLES, NEWEST_FIRST, list_params

# What lesson 6 started from, on a database it has not prepared yet (no
# indexes, no kept counts): the general filter, the feed filtered by follows,
# and the tag list counted from article_tags.
GENERAL_FEED = ARTICLE_ROWS + FEED_FILTER + NEWEST_FIRST
COUNTED_TAGS = """
select name from (
    select t.name, count(*) as uses from article_tags at join tags t on t.id = at.tag_id
    group by t.id order by uses desc, t.name limit :limit
) order by name
"""
LISTS = {"newest articles": {}, "by author": {"author": "demo"}, "by tag": {"tag": "python"},
         "favorited by": {"favorited": "ada"}, "deep page": {"offset": 500}}


def query_plans(db, tuned: bool | None = None) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN for each query lesson 6 tunes, or (``tuned=False``) for
    the general one it replaces. By default the tuned ones once ``create_indexes``
    has prepared ``db``; before that, the general ones, which need none of its tables."""
    prepared = db["article_counts"].exists() if tuned is None else tuned
    plans = {}
    for name, filters in LISTS.items():
        params = {**list_params(None, None, None, 20, 0), "viewer": None, **filters}
        count_sql, list_sql = list_queries(params) if prepared else (COUNT_ARTICLES, LIST_TUNED)
        plans[name] = explain(db, list_sql, params)
        if name == "by tag":
            plans["count by tag"] = explain(db, count_sql, params)
    feed = {"follower": 1, "viewer": 1, "limit": 20, "offset": 0}
    plans["feed"] = explain(db, FEED_TUNED if prepared else GENERAL_FEED, feed)
    plans["feed, following many"] = explain(db, FEED_WALKING if prepared else GENERAL_FEED, feed)
    plans["feed count"] = explain(db, FEED_COUNT if prepared else COUNT_FEED, feed)
    plans["tag list"] = explain(db, POPULAR_TAGS if prepared else COUNTED_TAGS, {"limit": 20})
    plans["article by slug"] = explain(db, ARTICLE_BY_SLUG, {"slug": "x", "viewer": None})
    return plans


def explain(db, sql, params) -> list[str]:
    return [row["detail"] for row in db.query("explain query plan " + sql, params)]
