"""EXPLAIN QUERY PLAN for the queries lesson 6 tunes: what SQLite will do.

Tooling for ``make plans`` and lesson 6's page, not part of the app.
"""

from __future__ import annotations

from .caching.store import ARTICLE_BY_SLUG, FEED_TUNED, list_queries
from .database.store import list_params


def query_plans(db) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN for the queries lesson 6 tunes: what SQLite will do."""
    cases = {"newest articles": {}, "by author": {"author": "demo"},
             "by tag": {"tag": "python"}}
    plans = {}
    for name, filters in cases.items():
        params = {**list_params(None, None, None, 20, 0), "viewer": None, **filters}
        plans[name] = explain(db, list_queries(params)[1], params)
    plans["feed"] = explain(db, FEED_TUNED, {"follower": 1, "viewer": 1, "limit": 20,
                                             "offset": 0})
    plans["article by slug"] = explain(db, ARTICLE_BY_SLUG, {"slug": "x", "viewer": None})
    return plans


def explain(db, sql, params) -> list[str]:
    return [row["detail"] for row in db.query("explain query plan " + sql, params)]
