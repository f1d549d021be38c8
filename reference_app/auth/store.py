"""Lesson 4's layer of the store: accounts, follows, favourites and the feed.

Registration and renaming race: two people can ask for the same free name at
the same moment. The database's unique constraints settle it, and the loser
gets ``Taken``, a domain error that the API turns into 409 and a form into a
message on the form.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Protocol

from ..api.store import WriteStore, WritingStore
from ..database.connection import connect, utc_now, write_transaction
from ..database.store import NEWEST_FIRST, USER_BY_ID

# What update_user may change. NULL keeps a required column as it was; bio and
# image may be cleared to NULL, so for them a flag says "set it".
USER_COLUMNS = ("username", "email", "password_hash", "session_key", "bio", "image")
UPDATE_USER = """
update users set username = coalesce(:username, username),
                 email = coalesce(:email, email),
                 password_hash = coalesce(:password_hash, password_hash),
                 session_key = coalesce(:session_key, session_key),
                 bio = case when :set_bio then :bio else bio end,
                 image = case when :set_image then :image else image end
where id = :id
"""
# "Ada" is taken when "ada" exists: two names that differ only in case are
# one person to a reader. (Lesson 2's unique constraint is exact: this check,
# made under the write lock, is what keeps them apart.)
USER_BY_NAME_ANY_CASE = "select * from users where username = ? collate nocase"
# Each user's session key, which every token carries (credentials.py).
SESSION_KEYS = (Path(__file__).parent / "session_keys.sql").read_text(encoding="utf-8")

# --8<-- [start:feed_sql]
FEED_FILTER = """where a.author_id in (
    select followed_id from follows where follower_id = :follower)
"""
COUNT_FEED = "select count(*) from articles a\n" + FEED_FILTER  # noqa: S608  # nosec B608
LIST_FEED = "select a.* from articles a\n" + FEED_FILTER + NEWEST_FIRST  # noqa: S608  # nosec B608
# --8<-- [end:feed_sql]


def add_session_keys(path: str, busy_timeout_ms: int = 5000) -> None:
    """Give the users table its session_key column, once, and every user a key.
    Safe to run again, and from several processes at once: the write lock
    decides who adds the column."""
    db = connect(path, busy_timeout_ms)
    try:
        with write_transaction(db):
            if "session_key" not in db["users"].columns_dict:
                db.execute("alter table users add column session_key text")
        db.conn.executescript(SESSION_KEYS)
    finally:
        db.close()


class Taken(Exception):
    """The username or email (named in ``fields``) belongs to someone else."""

    def __init__(self, fields: list[str]):
        super().__init__(", ".join(fields))
        self.fields = fields


class AccountStore(WriteStore, Protocol):
    """Lesson 3's store, plus accounts, follows, favourites and the feed."""

    def user_by_id(self, user_id) -> dict | None: ...
    def user_by_email(self, email) -> dict | None: ...
    def create_user(self, username, email, password_hash) -> dict: ...
    def update_user(self, user_id, changes) -> dict: ...
    def follow(self, follower_id, followed_id) -> None: ...
    def unfollow(self, follower_id, followed_id) -> None: ...
    def favorite(self, user_id, article_id) -> None: ...
    def unfavorite(self, user_id, article_id) -> None: ...
    def feed_articles(self, follower_id, *, limit=20, offset=0) -> tuple[list[dict], int]: ...


class SqliteAccountStore(WritingStore):
    """WritingStore with lesson 4's accounts, follows, favourites and feed."""

    # /api/articles/feed is a route of its own: an article titled "Feed" must
    # not get the slug "feed", or that route would hide it.
    reserved_slugs = WritingStore.reserved_slugs | {"feed"}

    def user_by_id(self, user_id):
        return self.one(USER_BY_ID, [user_id])

    def user_by_email(self, email):
        return self.one("select * from users where email = ?", [email])

    # --8<-- [start:taken]
    def taken(self, username=None, email=None, except_id=None) -> list[str]:
        """Which of username and email another user already has."""
        fields = []
        other = self.one(USER_BY_NAME_ANY_CASE, [username]) if username else None
        if other and other["id"] != except_id:
            fields.append("username")
        other = self.user_by_email(email) if email else None
        if other and other["id"] != except_id:
            fields.append("email")
        return fields
    # --8<-- [end:taken]

    # --8<-- [start:create_user]
    def create_user(self, username, email, password_hash):
        """The new user's row; raises Taken if the name or email is someone else's."""
        try:
            with write_transaction(self.db):
                taken = self.taken(username, email)
                if taken:
                    raise Taken(taken)
                user_id = self.db.execute(
                    "insert into users (username, email, password_hash, created_at)"
                    " values (?, ?, ?, ?)",
                    [username, email, password_hash, utc_now()],
                ).lastrowid
        except sqlite3.IntegrityError:  # the unique constraint, should a check ever miss
            raise Taken(self.taken(username, email) or ["username"]) from None
        return self.user_by_id(user_id)
    # --8<-- [end:create_user]

    def update_user(self, user_id, changes):
        """Change only the columns in ``changes``, under the write lock."""
        columns = {name: changes[name] for name in USER_COLUMNS if name in changes}
        if not columns:
            return self.user_by_id(user_id)
        try:
            with write_transaction(self.db):
                taken = self.taken(columns.get("username"), columns.get("email"),
                                   except_id=user_id)
                if taken:
                    raise Taken(taken)
                self.db.execute(UPDATE_USER, {
                    **{name: columns.get(name) for name in USER_COLUMNS}, "id": user_id,
                    "set_bio": "bio" in columns, "set_image": "image" in columns})
        except sqlite3.IntegrityError:
            raise Taken(self.taken(columns.get("username"), columns.get("email"),
                                   except_id=user_id) or ["username"]) from None
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

    # --8<-- [start:feed]
    def feed_articles(self, follower_id, *, limit=20, offset=0):
        """Articles by the authors ``follower_id`` follows, newest first, and their count."""
        params = {"follower": follower_id, "limit": limit, "offset": offset}
        count = self.value(COUNT_FEED, params)
        rows = list(self.db.query(LIST_FEED, params))
        return [self.article(row, follower_id, with_body=False) for row in rows], count
    # --8<-- [end:feed]
