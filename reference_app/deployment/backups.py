"""Backups and restores of the live database (lesson 7).

Copying the file with ``cp`` while the app writes can catch it half-written,
and misses what still sits in the ``-wal`` file. SQLite's online backup API
copies a consistent snapshot, even while other processes keep writing.
A backup you have never opened is a hope, not a backup: each one is checked.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..database.connection import create_private_file


class BackupError(Exception):
    """A backup or restore that must not go ahead; the message says why."""


def integrity(path: str | Path) -> str:
    """``ok``, or what SQLite's integrity check found wrong."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        return str(error)
    finally:
        conn.close()


# --8<-- [start:backup]
def backup(database: str, destination: str, *, force: bool = False) -> int:
    """Copy the live database to ``destination``; return the backup's size in bytes."""
    target = Path(destination)
    if not Path(database).is_file():
        raise BackupError(f"there is no database at {database}")
    if target.exists() and not force:
        raise BackupError(f"{target} exists; pass --force to replace it")
    if not target.parent.is_dir():
        raise BackupError(f"there is no folder {target.parent} to write the backup into")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)  # left by a backup that was interrupted
    create_private_file(str(partial))  # 0600, like the database: it holds the same data
    source, copy = sqlite3.connect(database), sqlite3.connect(partial)
    try:
        source.backup(copy)  # all pages in one step: one consistent snapshot
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        copy.close()
        source.close()
    problem = integrity(partial)
    if problem != "ok":
        partial.unlink()
        raise BackupError(f"the copy failed its integrity check: {problem}")
    os.replace(partial, target)  # the backup appears whole, or not at all
    return target.stat().st_size
# --8<-- [end:backup]


# --8<-- [start:restore]
def restore(source: str, database: str, *, force: bool = False) -> None:
    """Put a backup's content into the database the app uses."""
    if not Path(source).is_file():
        raise BackupError(f"there is no backup at {source}")
    problem = integrity(source)
    if problem != "ok":
        raise BackupError(f"{source} is not a sound database: {problem}")
    if has_data(database) and not force:
        raise BackupError(f"{database} holds live data; pass --force to overwrite it "
                          "(take a backup of it first)")
    # The backup API again, in the other direction: connected apps see the
    # restored data on their next query, and the WAL stays consistent.
    create_private_file(database)  # if there is none yet: 0600, in a 0700 folder
    backup_copy, live = sqlite3.connect(source), sqlite3.connect(database, timeout=30)
    try:
        backup_copy.backup(live)
    finally:
        live.close()
        backup_copy.close()
# --8<-- [end:restore]


def has_data(database: str) -> bool:
    """Does the file hold users or articles, which a restore would throw away?"""
    if not Path(database).is_file():
        return False
    conn = sqlite3.connect(database)
    try:
        return bool(conn.execute(
            "select exists (select 1 from users) or exists (select 1 from articles)").fetchone()[0])
    except sqlite3.DatabaseError:  # no such table, or not a database: nothing to lose
        return False
    finally:
        conn.close()
