"""Solution: schema_foreign_keys."""

import sqlite_utils


def connect(path) -> sqlite_utils.Database:
    """Open the database at `path`, with foreign keys enforced."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA foreign_keys = ON")  # per connection, and off by default
    return db


def create_schema(db: sqlite_utils.Database) -> None:
    """Create the users and articles tables. Safe to run twice."""
    users = db.table("users")
    users.create({"id": int, "username": str, "email": str}, pk="id",
                 not_null={"username", "email"}, if_not_exists=True)
    users.create_index(["username"], unique=True, if_not_exists=True)
    articles = db.table("articles")
    articles.create({"id": int, "author_id": int, "slug": str, "title": str}, pk="id",
                    not_null={"author_id", "slug", "title"},
                    foreign_keys=[("author_id", "users", "id")], if_not_exists=True)
    articles.create_index(["slug"], unique=True, if_not_exists=True)
