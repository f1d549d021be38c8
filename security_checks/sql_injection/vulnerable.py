"""Find a user by name, with Python's built-in sqlite3 module."""

import sqlite3


def find_user(db: sqlite3.Connection, username: str) -> list[tuple]:
    """Return the (id, username, email) rows whose username is exactly username."""
    # The username is pasted into the text of the SQL. A quote in it ends the
    # string literal, and SQLite reads whatever follows as more SQL.
    sql = f"SELECT id, username, email FROM users WHERE username = '{username}'"  # expect: B608
    return db.execute(sql).fetchall()
