"""Exercise online_backup: back up a live SQLite database correctly.

Copying the database file while the app runs looks fine and is not. In WAL
mode, recent commits live in the `-wal` file until a checkpoint, so a plain
copy can miss them (or catch a half-written page). SQLite's online backup
API copies a consistent snapshot, through SQLite itself.
"""

import shutil
import sqlite3  # noqa: F401  (you will need it)
from pathlib import Path


def backup(source_path: Path, dest_path: Path) -> None:
    """Write a consistent copy of the database at source_path to dest_path."""
    # TODO 1: open both databases with sqlite3.connect and copy with
    #         source.backup(dest), instead of copying the file.
    # TODO 2: write to a temporary file next to dest_path and os.replace() it
    #         into place at the end, so a crash never leaves a half backup.
    # TODO 3: close both connections, even if the backup fails.
    shutil.copyfile(source_path, dest_path)


def verify_backup(path: Path) -> bool:
    """True if `path` is a healthy SQLite database (PRAGMA integrity_check)."""
    # TODO 4: open it read-only (a "file:...?mode=ro" URI), run
    #         PRAGMA integrity_check, and return True only for "ok". A missing
    #         or garbage file is False, not an exception.
    raise NotImplementedError("verify_backup")
