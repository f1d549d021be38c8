"""List an author's published articles with sqlite-utils, sorted as the reader asks."""

import sqlite_utils

SORTABLE = ("created", "title")


def list_articles(db: sqlite_utils.Database, author: str, sort: str = "created") -> list[dict]:
    """Return the author's published articles, ordered by the column named in sort.

    sort must be one of SORTABLE.
    """
    # The author becomes a parameter (where_args). A column name cannot be a
    # parameter, so sort is checked against an allowlist before it goes in.
    if sort not in SORTABLE:
        raise ValueError(f"cannot sort by {sort!r}; choose one of {SORTABLE}")
    where = "author = ? AND published = 1"
    return list(db["articles"].rows_where(where, [author], order_by=sort))
