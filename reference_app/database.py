"""Lesson 2: the database.

The demo world moves from memory into a real SQLite file, through sqlite-utils.
Four rules keep SQLite correct when several server processes share one file:

1. ``PRAGMA foreign_keys=ON`` on every connection: SQLite leaves it off.
2. WAL mode, so readers never block the writer (and the writer not them).
3. A busy timeout, so a second writer waits for the lock instead of failing.
4. ``BEGIN IMMEDIATE`` for every transaction that writes. A plain ``BEGIN``
   starts as a reader; if another process writes before it upgrades, it fails
   at once with SQLITE_BUSY, whatever the timeout.

And one rule for servers that fork workers (gunicorn): never carry an open
connection across ``fork()``. This module opens one connection per request.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import bottle
import sqlite_utils

# --8<-- [start:schema]
SCHEMA = """
create table if not exists users (
    id integer primary key,
    username text not null unique,
    email text not null unique collate nocase,
    password_hash text,            -- null: this user cannot log in (lesson 4)
    bio text,
    image text,
    created_at text not null
);
create table if not exists articles (
    id integer primary key,
    slug text not null unique,
    title text not null,
    description text not null,
    body text not null,
    author_id integer not null references users(id) on delete cascade,
    created_at text not null,
    updated_at text not null
);
create table if not exists tags (
    id integer primary key,
    name text not null unique
);
create table if not exists article_tags (
    article_id integer not null references articles(id) on delete cascade,
    tag_id integer not null references tags(id) on delete cascade,
    position integer not null,     -- tagList keeps the order it was sent in
    primary key (article_id, tag_id)
);
create table if not exists comments (
    id integer primary key,
    article_id integer not null references articles(id) on delete cascade,
    author_id integer not null references users(id) on delete cascade,
    body text not null,
    created_at text not null,
    updated_at text not null
);
create table if not exists follows (
    follower_id integer not null references users(id) on delete cascade,
    followed_id integer not null references users(id) on delete cascade,
    primary key (follower_id, followed_id)
);
create table if not exists favorites (
    user_id integer not null references users(id) on delete cascade,
    article_id integer not null references articles(id) on delete cascade,
    primary key (user_id, article_id)
);
"""
# --8<-- [end:schema]


# --8<-- [start:install]
def install(app: bottle.Bottle, settings) -> None:
    """Swap lesson 1's in-memory store for SQLite: same plugin name, same routes."""
    from .store import SqliteStore  # here, not at the top: store.py uses this module

    create_schema(settings.database)
    app.config["store.class"] = SqliteStore
    app.uninstall("store")
    app.install(DatabasePlugin(settings.database, settings.busy_timeout_ms))
# --8<-- [end:install]


# --8<-- [start:connect]
def connect(path: str, busy_timeout_ms: int = 5000) -> sqlite_utils.Database:
    """Open one connection with the settings every connection needs."""
    # isolation_level=None: Python's sqlite3 must not open transactions behind
    # our back. We say BEGIN IMMEDIATE ourselves, in write_transaction().
    conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    # In WAL mode NORMAL is safe against a crashed process; only a power cut
    # can lose the last transactions, never corrupt the file.
    conn.execute("PRAGMA synchronous = NORMAL")
    for watch in CONNECTION_WATCHERS:  # lesson 6's query counter listens here
        watch(conn)
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def create_schema(path: str) -> None:
    """Create the file, its tables and WAL mode. Safe to run again and again."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    try:
        db.execute("PRAGMA journal_mode = WAL")  # stored in the file: set once
        db.conn.executescript(SCHEMA)
    finally:
        db.close()
# --8<-- [end:connect]


# Functions called with every new connection. Empty in normal running; the
# query counter below adds one while it counts.
CONNECTION_WATCHERS: list = []


# --8<-- [start:count_queries]
@contextlib.contextmanager
def count_queries():
    """Collect every SQL statement that connections opened inside the block run.

    Lesson 6 uses it to prove a list costs the same few queries whatever its
    length: a count, not a timing, so the test cannot flake.
    """
    statements: list[str] = []

    def watch(conn):
        conn.set_trace_callback(statements.append)

    CONNECTION_WATCHERS.append(watch)
    try:
        yield statements
    finally:
        CONNECTION_WATCHERS.remove(watch)
# --8<-- [end:count_queries]


# --8<-- [start:transaction]
@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database):
    """Run the block as one transaction that takes the write lock up front.

    Everything in the block commits together, or, if anything raises, nothing
    does. IMMEDIATE waits (up to the busy timeout) for other writers first.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
# --8<-- [end:transaction]


def utc_now() -> str:
    """Now, as the API writes times: ISO 8601 with milliseconds and a Z."""
    return iso(datetime.now(timezone.utc))


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def later_than(previous: str) -> str:
    """Now, but at least a millisecond after ``previous``: an edit always moves updatedAt."""
    now = utc_now()
    if now > previous:
        return now
    moment = datetime.strptime(previous, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return iso(moment + timedelta(milliseconds=1))


# --8<-- [start:plugin]
class DatabasePlugin:
    """One store per request, handed to routes as ``store``; it opens at most one
    database connection, and the plugin closes it when the route is done.

    It has the same name as lesson 1's StorePlugin, so it takes its place.
    The store class comes from ``app.config["store.class"]``: later lessons
    give the routes a store that can do more by changing that one setting.
    """

    name = "store"
    api = 2

    def __init__(self, path: str, busy_timeout_ms: int):
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms

    def setup(self, app):
        self.config = app.config

    def open(self):
        return connect(self.path, self.busy_timeout_ms)

    def apply(self, callback, route):
        if "store" not in route.get_callback_args():
            return callback

        def with_connection(*args, **kwargs):
            store = self.config["store.class"](self.open)
            try:
                kwargs["store"] = store
                return callback(*args, **kwargs)
            finally:
                store.close()  # even when the route raised: no connection outlives its request

        return with_connection
# --8<-- [end:plugin]
