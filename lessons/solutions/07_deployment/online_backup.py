"""Solution: online_backup."""

import os
import sqlite3
from pathlib import Path


def backup(source_path: Path, dest_path: Path) -> None:
    """Write a consistent copy of the database at source_path to dest_path."""
    dest_path = Path(dest_path)
    tmp = dest_path.with_name(dest_path.name + ".tmp")
    source = sqlite3.connect(source_path)
    destination = sqlite3.connect(tmp)
    try:
        source.backup(destination)  # a consistent snapshot, WAL contents included
    finally:
        source.close()
        destination.close()
    os.replace(tmp, dest_path)  # atomic: the old backup or the new, never half


def verify_backup(path: Path) -> bool:
    """True if `path` is a healthy SQLite database (PRAGMA integrity_check)."""
    conn = None
    try:
        # mode=ro: a plain connect() would quietly create a missing file.
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False
    finally:
        if conn is not None:
            conn.close()
