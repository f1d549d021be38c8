"""Lesson 2: connections to the database file, and transactions.

The demo world moves from memory into a real SQLite file, through sqlite-utils.
Four rules keep SQLite correct when several server processes share one file:

1. ``PRAGMA foreign_keys=ON`` on every connection: SQLite leaves it off.
2. WAL mode, so readers never block the writer (and the writer not them).
3. A busy timeout, so a second writer waits for the lock instead of failing.
4. ``BEGIN IMMEDIATE`` for every transaction that writes. A plain ``BEGIN``
   starts as a reader; if another process writes before it upgrades, it fails
   at once with SQLITE_BUSY, whatever the timeout.

And one rule for servers that fork workers (gunicorn): never carry an open
connection across ``fork()``. plugin.py opens one connection per request.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

# The tables, in schema.sql: SQL belongs in a .sql file, where an editor
# highlights it and sqlite3 can run it as is.
SCHEMA = (Path(__file__).parent / "schema.sql").read_text(encoding="utf-8")


# --8<-- [start:connect]
def connect(path: str, busy_timeout_ms: int = 5000, tracer=None) -> sqlite_utils.Database:
    """Open one connection with the settings every connection needs."""
    # isolation_level=None: Python's sqlite3 must not open transactions behind
    # our back. We say BEGIN IMMEDIATE ourselves, in write_transaction().
    conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    # In WAL mode NORMAL is safe against a crashed process; only a power cut
    # can lose the last transactions, never corrupt the file.
    conn.execute("PRAGMA synchronous = NORMAL")
    # tracer: sqlite-utils calls it with (sql, params) for every statement it runs
    # through db.query() or db.execute(); the app's query counter listens there.
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False,
                                 tracer=tracer)


def create_schema(path: str) -> None:
    """Create the file, its tables and WAL mode. Safe to run again and again."""
    create_private_file(path)
    db = connect(path)
    try:
        db.execute("PRAGMA journal_mode = WAL")  # stored in the file: set once
        db.conn.executescript(SCHEMA)
    finally:
        db.close()
# --8<-- [end:connect]


# --8<-- [start:private_file]
def create_private_file(path: str) -> None:
    """Create the file empty (SQLite reads that as an empty database), readable and
    writable by this user only (0600), in a folder only this user may enter (0700).

    It holds password hashes and emails. With the usual umask (022), a file is
    created readable by every local user; SQLite gives the -wal and -shm files
    the database file's permissions, so setting them here covers all three.
    Only what this creates is changed: an existing file or folder keeps its mode.
    """
    Path(path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
# --8<-- [end:private_file]


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
