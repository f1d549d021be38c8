"""Solution: favorite_transaction."""

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
    db.execute("BEGIN IMMEDIATE")  # take the write lock now, not halfway through
    try:
        db.execute("UPDATE articles SET favorites_count = favorites_count + 1 WHERE id = ?",
                   [article_id])
        db.execute("INSERT INTO favorites (user_id, article_id) VALUES (?, ?)",
                   [user_id, article_id])
    except sqlite3.IntegrityError:
        db.execute("ROLLBACK")  # undoes the UPDATE too
        return False
    db.execute("COMMIT")
    return True
