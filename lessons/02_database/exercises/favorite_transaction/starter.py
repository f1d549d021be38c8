"""Exercise favorite_transaction: two writes that happen together or not at all.

Favoriting an article inserts a row in `favorites` and bumps the article's
`favorites_count`. If only one of the two happens, the count lies forever.
A transaction makes them one unit: COMMIT keeps both, ROLLBACK undoes both.
"""

import sqlite3

import sqlite_utils


def create_tables(db: sqlite_utils.Database) -> None:
    """Given: the tables this exercise works on."""
    db.execute("PRAGMA foreign_keys = ON")
    db.table("articles").create({"id": int, "title": str, "favorites_count": int}, pk="id",
                                defaults={"favorites_count": 0})
    db.table("favorites").create({"user_id": int, "article_id": int},
                                 pk=("user_id", "article_id"),
                                 foreign_keys=[("article_id", "articles", "id")])


def favorite(db: sqlite_utils.Database, user_id: int, article_id: int) -> bool:
    """Favorite an article: True if done, False if it was already a favorite
    (or the article does not exist). Either both writes happen or neither.
    """
    # TODO 1: start the transaction with BEGIN IMMEDIATE (it takes the write
    #         lock now, instead of failing halfway through with "database is locked").
    # TODO 2: on sqlite3.IntegrityError, ROLLBACK and return False.
    # TODO 3: otherwise COMMIT and return True. Leave no transaction open.
    try:
        db.execute("UPDATE articles SET favorites_count = favorites_count + 1 WHERE id = ?",
                   [article_id])
        db.execute("INSERT INTO favorites (user_id, article_id) VALUES (?, ?)",
                   [user_id, article_id])
    except sqlite3.IntegrityError:
        return False
    return True
