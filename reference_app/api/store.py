"""Lesson 3's layer of the store: writes.

``WritingStore`` is lesson 2's SqliteStore plus the writes that lesson 3's
routes need. Every write is one transaction that takes the write lock up
front (``write_transaction``), and reads what it changes *inside* it: a row
read before the lock and written back after it would undo what another
request wrote in between (a "lost update").
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime, timedelta, timezone
from typing import Protocol

from ..database.connection import iso, utc_now, write_transaction
from ..database.store import SqliteStore
from ..routing.store import ReadStore

# --8<-- [start:update_article_sql]
# What an edit may change. A column given as NULL keeps its value, so one
# constant statement writes exactly the fields that were sent, and nothing
# else: a concurrent edit of another field is not overwritten.
ARTICLE_COLUMNS = ("title", "description", "body")
UPDATE_ARTICLE = """
update articles set title = coalesce(:title, title),
                    description = coalesce(:description, description),
                    body = coalesce(:body, body),
                    slug = coalesce(:slug, slug),
                    updated_at = :updated_at
where id = :id
"""
# --8<-- [end:update_article_sql]


class WriteStore(ReadStore, Protocol):
    """Lesson 1's reads, plus what lesson 3's routes write."""

    def article_row(self, slug) -> dict | None: ...
    def comment_row(self, article_id, comment_id) -> dict | None: ...
    def user_by_username(self, username) -> dict | None: ...
    def create_article(self, author_id, title, description, body, tags) -> str: ...
    def update_article(self, article_id, changes, tags=None) -> str: ...
    def delete_article(self, article_id) -> None: ...
    def add_comment(self, article_id, author_id, body, viewer_id) -> dict: ...
    def delete_comment(self, comment_id) -> None: ...
    def ensure_user(self, username, email) -> dict: ...


def slugify(title: str) -> str:
    """'Hello, World!' -> 'hello-world'. Non-Latin titles fall back to 'article'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:80].strip("-") or "article"


def later_than(previous: str) -> str:
    """Now, but at least a millisecond after ``previous``: an edit always moves updatedAt."""
    now = utc_now()
    if now > previous:
        return now
    moment = datetime.strptime(previous, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return iso(moment + timedelta(milliseconds=1))


class WritingStore(SqliteStore):
    """SqliteStore with lesson 3's writes."""

    # Slugs no article may take, because a route uses that path. Lesson 4 adds "feed".
    reserved_slugs: frozenset = frozenset()

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
        while slug != current and (slug in self.reserved_slugs
                                   or self.article_row(slug) is not None):
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

    # --8<-- [start:update_article]
    def update_article(self, article_id, changes, tags=None) -> str:
        """Change only the fields in ``changes`` (title, description, body) and,
        unless None, the tags. Returns the slug, which a new title changes."""
        with write_transaction(self.db):
            row = self.one("select * from articles where id = ?", [article_id])  # under the lock
            params = {name: changes.get(name) for name in ARTICLE_COLUMNS}  # None: unchanged
            params["slug"] = (self.unique_slug(changes["title"], current=row["slug"])
                              if "title" in changes else None)
            params.update(id=article_id, updated_at=later_than(row["updated_at"]))
            self.db.execute(UPDATE_ARTICLE, params)
            if tags is not None:
                self.set_tags(article_id, tags)
        return params["slug"] or row["slug"]
    # --8<-- [end:update_article]

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
        """The user's row, creating a user who cannot log in if there is none."""
        with write_transaction(self.db):
            self.db.execute(
                "insert or ignore into users (username, email, created_at) values (?, ?, ?)",
                [username, email, utc_now()],
            )
        return self.user_by_username(username)
