"""Exercise schema_foreign_keys: a schema whose foreign keys are enforced.

SQLite accepts FOREIGN KEY clauses but, for backwards compatibility, does not
enforce them unless each connection asks with `PRAGMA foreign_keys = ON`.
"""

import sqlite_utils


def connect(path) -> sqlite_utils.Database:
    """Open the database at `path`, with foreign keys enforced."""
    db = sqlite_utils.Database(path)
    # TODO 1: turn on foreign key enforcement for this connection.
    return db


def create_schema(db: sqlite_utils.Database) -> None:
    """Create the users and articles tables. Safe to run twice."""
    db.table("users").create({"id": int, "username": str, "email": str}, pk="id")
    # TODO 2: username and email are NOT NULL; username is UNIQUE (an index).
    # TODO 3: an articles table: id (primary key), author_id, slug, title, all
    #         NOT NULL, slug UNIQUE, and author_id a foreign key to users.id.
    # TODO 4: running create_schema a second time must not fail.
