"""Every SQL statement the app runs, behind one class: the SQLite store.

Routes never write SQL; they ask the store. The store answers with the API's
JSON shapes (from routing.py), exactly as lesson 1's MemoryStore does, so the
two are interchangeable. The sections follow the course: reads (lesson 2),
writes (lesson 3), accounts, follows and favourites (lesson 4).

Every statement is a constant with ``?`` or ``:name`` placeholders: no value
is ever pasted into SQL text, so no value can change what the SQL means.
"""

from __future__ import annotations

import functools
import re
import secrets
import unicodedata

from .database import later_than, utc_now, write_transaction
from .shapes import article_json, profile_json

# --8<-- [start:list_sql]
# One filter serves every list: a filter left as NULL matches everything.
ARTICLE_FILTER = """
where (:tag is null or a.id in (
        select at.article_id from article_tags at join tags t on t.id = at.tag_id
        where t.name = :tag))
  and (:author is null or a.author_id = (select id from users where username = :author))
  and (:favorited is null or a.id in (
        select f.article_id from favorites f join users u on u.id = f.user_id
        where u.username = :favorited))
  and (:followed_by is null or a.author_id in (
        select followed_id from follows where follower_id = :followed_by))
"""
NEWEST_FIRST = "order by a.created_at desc, a.id desc limit :limit offset :offset"
# Bandit flags any SQL built with "+". Here every piece is a constant of this
# module and values only ever travel as :parameters, so we mark the two lines
# as reviewed (nosec) rather than copy the filter into each statement.
COUNT_ARTICLES = "select count(*) from articles a" + ARTICLE_FILTER  # noqa: S608  # nosec B608
LIST_ARTICLES = "select a.* from articles a" + ARTICLE_FILTER + NEWEST_FIRST  # noqa: S608  # nosec B608
# --8<-- [end:list_sql]

# --8<-- [start:per_article_sql]
# Run once per article in a list: the "N+1 queries" that lesson 6 measures and removes.
TAGS_OF_ARTICLE = """
select t.name from article_tags at join tags t on t.id = at.tag_id
where at.article_id = ? order by at.position
"""
USER_BY_ID = "select * from users where id = ?"
IS_FOLLOWING = "select 1 from follows where follower_id = ? and followed_id = ?"
FAVORITES_COUNT = "select count(*) from favorites where article_id = ?"
IS_FAVORITE = "select 1 from favorites where user_id = ? and article_id = ?"
# --8<-- [end:per_article_sql]


# /api/articles/feed is a route of its own: an article titled "Feed" must not
# get the slug "feed", or that route would hide it.
RESERVED_SLUGS = {"feed"}


def list_params(tag, author, favorited, followed_by, limit, offset) -> dict:
    return {"tag": tag, "author": author, "favorited": favorited,
            "followed_by": followed_by, "limit": limit, "offset": offset}


def slugify(title: str) -> str:
    """'Hello, World!' -> 'hello-world'. Non-Latin titles fall back to 'article'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:80].strip("-") or "article"


class SqliteStore:
    """The data store on SQLite, made afresh for each request."""

    def __init__(self, open_db):
        self.open_db = open_db

    @functools.cached_property
    def db(self):
        """This request's connection, opened the first time a query needs it: a
        request that needs no query (lesson 6 answers some from a cache) opens none."""
        return self.open_db()

    def close(self):
        if "db" in self.__dict__:  # only if it was ever opened
            self.db.close()

    def one(self, sql, params=()):
        """The first row of a query as a dict, or None."""
        return next(self.db.query(sql, params), None)

    def value(self, sql, params=()):
        return self.db.execute(sql, params).fetchone()[0]

    # ---- Lesson 2: reads ---------------------------------------------------
    # --8<-- [start:reads]
    def list_articles(self, *, tag=None, author=None, favorited=None, followed_by=None,
                      limit=20, offset=0, viewer_id=None):
        params = list_params(tag, author, favorited, followed_by, limit, offset)
        count = self.value(COUNT_ARTICLES, params)
        rows = list(self.db.query(LIST_ARTICLES, params))
        return [self.article(row, viewer_id, with_body=False) for row in rows], count

    def article(self, row, viewer_id, with_body=True):
        """Shape one article row. Four or five small queries: fine for one article."""
        tags = [r["name"] for r in self.db.query(TAGS_OF_ARTICLE, [row["id"]])]
        author = self.profile(self.one(USER_BY_ID, [row["author_id"]]), viewer_id)
        count = self.value(FAVORITES_COUNT, [row["id"]])
        favorited = viewer_id is not None and self.one(IS_FAVORITE, [viewer_id, row["id"]])
        return article_json(row, tags, author, favorited, count, with_body=with_body)
    # --8<-- [end:reads]

    def profile(self, user, viewer_id):
        following = viewer_id is not None and self.one(IS_FOLLOWING, [viewer_id, user["id"]])
        return profile_json(user, bool(following))

    def get_article(self, slug, *, viewer_id=None):
        row = self.article_row(slug)
        return self.article(row, viewer_id) if row else None

    def article_row(self, slug):
        return self.one("select * from articles where slug = ?", [slug])

    def list_comments(self, slug, *, viewer_id=None):
        article = self.article_row(slug)
        if article is None:
            return None
        rows = self.db.query(
            "select * from comments where article_id = ? order by created_at desc, id desc",
            [article["id"]],
        )
        return [self.comment(row, viewer_id) for row in rows]

    def comment(self, row, viewer_id):
        author = self.profile(self.one(USER_BY_ID, [row["author_id"]]), viewer_id)
        return {"id": row["id"], "body": row["body"], "createdAt": row["created_at"],
                "updatedAt": row["updated_at"], "author": author}

    def get_profile(self, username, *, viewer_id=None):
        user = self.user_by_username(username)
        return self.profile(user, viewer_id) if user else None

    def user_by_username(self, username):
        return self.one("select * from users where username = ?", [username])

    def list_tags(self):
        rows = self.db.query(
            "select name from tags where id in (select tag_id from article_tags) order by name"
        )
        return [row["name"] for row in rows]

    # ---- Lesson 3: writes --------------------------------------------------
    # --8<-- [start:create_article]
    def create_article(self, author_id, title, description, body, tags) -> str:
        """Insert an article with its tags, all or nothing. Returns its slug."""
        with write_transaction(self.db):
            now = utc_now()
            slug = self.unique_slug(title)
            article_id = self.db.execute(
                "insert into articles (slug, title, description, body, author_id,"
                " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)",
                [slug, title, description, body, author_id, now, now],
            ).lastrowid
            self.set_tags(article_id, tags)
        return slug
    # --8<-- [end:create_article]

    def unique_slug(self, title, current=None):
        """A slug from the title; if taken, add a random suffix rather than count up."""
        slug = slugify(title)
        while slug != current and (slug in RESERVED_SLUGS or self.article_row(slug) is not None):
            slug = f"{slugify(title)}-{secrets.token_hex(3)}"
        return slug

    def set_tags(self, article_id, tags):
        self.db.execute("delete from article_tags where article_id = ?", [article_id])
        for position, name in enumerate(tags):
            self.db.execute("insert or ignore into tags (name) values (?)", [name])
            tag_id = self.value("select id from tags where name = ?", [name])
            self.db.execute(
                "insert into article_tags (article_id, tag_id, position) values (?, ?, ?)",
                [article_id, tag_id, position],
            )

    def update_article(self, row, changes, tags=None) -> str:
        """Apply ``changes`` (title, description, body) and, unless None, new tags."""
        with write_transaction(self.db):
            new = {**row, **changes}
            if "title" in changes:
                new["slug"] = self.unique_slug(changes["title"], current=row["slug"])
            self.db.execute(
                "update articles set slug = ?, title = ?, description = ?, body = ?,"
                " updated_at = ? where id = ?",
                [new["slug"], new["title"], new["description"], new["body"],
                 later_than(row["updated_at"]), row["id"]],
            )
            if tags is not None:
                self.set_tags(row["id"], tags)
        return new["slug"]

    def delete_article(self, article_id):
        # Comments, tags links and favourites go too: "on delete cascade".
        with write_transaction(self.db):
            self.db.execute("delete from articles where id = ?", [article_id])

    def add_comment(self, article_id, author_id, body, viewer_id):
        with write_transaction(self.db):
            now = utc_now()
            comment_id = self.db.execute(
                "insert into comments (article_id, author_id, body, created_at, updated_at)"
                " values (?, ?, ?, ?, ?)",
                [article_id, author_id, body, now, now],
            ).lastrowid
        return self.comment(self.one("select * from comments where id = ?", [comment_id]),
                            viewer_id)

    def comment_row(self, article_id, comment_id):
        return self.one("select * from comments where id = ? and article_id = ?",
                        [comment_id, article_id])

    def delete_comment(self, comment_id):
        with write_transaction(self.db):
            self.db.execute("delete from comments where id = ?", [comment_id])

    def ensure_user(self, username, email):
        """The user's id, creating a user who cannot log in if there is none."""
        with write_transaction(self.db):
            self.db.execute(
                "insert or ignore into users (username, email, created_at) values (?, ?, ?)",
                [username, email, utc_now()],
            )
        return self.user_by_username(username)

    # ---- Lesson 4: accounts, follows, favourites ---------------------------
    def user_by_id(self, user_id):
        return self.one(USER_BY_ID, [user_id])

    def user_by_email(self, email):
        return self.one("select * from users where email = ?", [email])

    # --8<-- [start:taken]
    def taken(self, username=None, email=None, except_id=None) -> list[str]:
        """Which of username and email another user already has."""
        fields = []
        other = self.user_by_username(username) if username else None
        if other and other["id"] != except_id:
            fields.append("username")
        other = self.user_by_email(email) if email else None
        if other and other["id"] != except_id:
            fields.append("email")
        return fields
    # --8<-- [end:taken]

    def create_user(self, username, email, password_hash):
        with write_transaction(self.db):
            user_id = self.db.execute(
                "insert into users (username, email, password_hash, created_at)"
                " values (?, ?, ?, ?)",
                [username, email, password_hash, utc_now()],
            ).lastrowid
        return self.user_by_id(user_id)

    def update_user(self, user_id, changes):
        """Update the named columns; ``changes`` keys come from a fixed allowlist."""
        user = {**self.user_by_id(user_id), **changes}
        with write_transaction(self.db):
            self.db.execute(
                "update users set username = ?, email = ?, password_hash = ?, bio = ?,"
                " image = ? where id = ?",
                [user["username"], user["email"], user["password_hash"], user["bio"],
                 user["image"], user_id],
            )
        return self.user_by_id(user_id)

    def follow(self, follower_id, followed_id):
        with write_transaction(self.db):
            self.db.execute("insert or ignore into follows values (?, ?)",
                            [follower_id, followed_id])

    def unfollow(self, follower_id, followed_id):
        with write_transaction(self.db):
            self.db.execute("delete from follows where follower_id = ? and followed_id = ?",
                            [follower_id, followed_id])

    def favorite(self, user_id, article_id):
        with write_transaction(self.db):
            self.db.execute("insert or ignore into favorites values (?, ?)",
                            [user_id, article_id])

    def unfavorite(self, user_id, article_id):
        with write_transaction(self.db):
            self.db.execute("delete from favorites where user_id = ? and article_id = ?",
                            [user_id, article_id])
