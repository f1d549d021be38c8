"""Solution: batch_query."""

import sqlite_utils


def articles_with_authors(db: sqlite_utils.Database) -> list[dict]:
    """Every article as {"id", "title", "author"} (the author's username), by id."""
    articles = list(db.query("SELECT id, title, author_id FROM articles ORDER BY id"))
    if not articles:
        return []  # and no "IN ()", which SQLite rejects
    author_ids = sorted({a["author_id"] for a in articles})
    placeholders = ", ".join("?" * len(author_ids))  # only "?"s go into the SQL text
    sql = f"SELECT id, username FROM users WHERE id IN ({placeholders})"  # noqa: S608
    usernames = {row["id"]: row["username"] for row in db.query(sql, author_ids)}
    return [{"id": a["id"], "title": a["title"], "author": usernames[a["author_id"]]}
            for a in articles]
