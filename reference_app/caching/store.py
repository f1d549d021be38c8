"""Lesson 6: the tuned store. The same answers, in a fixed number of queries.

Through lesson 5 a list of 20 articles costs a count, the page, and then, for
every article, its tags, its author and its favourite count (and for a
logged-in reader also "favourited?" and "following?"): 62 queries for an
anonymous reader, 102 for a logged-in one. That is the N+1 problem.
``TunedStore`` answers any list in 3 queries (a count, the page with
everything joined, then all the page's tags at once), and indexes.sql adds
the indexes those queries need.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from ..auth.store import COUNT_FEED, FEED_FILTER, SqliteAccountStore
from ..core.shapes import article_json, profile_json
from ..database.connection import connect
from ..database.store import ARTICLE_FILTER, COUNT_ARTICLES, NEWEST_FIRST, list_params

INDEXES = (Path(__file__).parent / "indexes.sql").read_text(encoding="utf-8")


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
ONE_FILTER = {
    "author": (COUNT_FROM + BY_AUTHOR, ARTICLE_ROWS + BY_AUTHOR + NEWEST_FIRST),
}
FEED_TUNED = ARTICLE_ROWS + FEED_FILTER + NEWEST_FIRST
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
# --8<-- [start:popular_tags_sql]
# The tags that the most articles use, listed by name. Every page carries the
# tag list, so its size must not grow with the data: 100 posts with new tags
# made the home page 369 kB before it had a limit.
POPULAR_TAGS = """
select name from (
    select t.name, count(*) as uses from article_tags at join tags t on t.id = at.tag_id
    group by t.id order by uses desc, t.name limit :limit
) order by name
"""
# --8<-- [end:popular_tags_sql]


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
        count = self.value(COUNT_FEED, params)
        rows = list(self.db.query(FEED_TUNED, params))
        return self.articles(rows, with_body=False), count

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
    """The count and list SQL for these filters: a dedicated pair when only one
    filter is set and one exists for it, else the general pair."""
    used = [name for name in ("tag", "author", "favorited") if params[name]]
    if len(used) == 1 and used[0] in ONE_FILTER:
        return ONE_FILTER[used[0]]
    return COUNT_ARTICLES, LIST_TUNED
# --8<-- [end:list_queries]


def author_of(row) -> dict:
    return profile_json(row, following=bool(row["following"]))
