"""Find a user by name, with Python's built-in sqlite3 module."""

import sqlite3


def find_user(db: sqlite3.Connection, username: str) -> list[tuple]:
    """Return the (id, username, email) rows whose username is exactly username."""
    # The SQL text is a constant and the username travels beside it as a
    # parameter (the ?), so SQLite never reads it as SQL, whatever it contains.
    sql = "SELECT id, username, email FROM users WHERE username = ?"
    return db.execute(sql, (username,)).fetchall()
