"""The API's JSON shapes, as the RealWorld spec defines them.

Every store builds its answers with these two functions: lesson 1's
MemoryStore, lesson 2's SQLite store and lesson 6's tuned one. So they cannot
disagree about the format, and a route never needs to know which store it has.
"""

from __future__ import annotations


def profile_json(user: dict, following: bool) -> dict:
    return {
        "username": user["username"],
        "bio": user["bio"],
        "image": user["image"],
        "following": following,
    }


def article_json(row: dict, tags, author, favorited, favorites_count, *, with_body=True):
    """One article. Lists leave out ``body``: the RealWorld spec says so."""
    article = {
        "slug": row["slug"],
        "title": row["title"],
        "description": row["description"],
        "tagList": list(tags),
        "createdAt": row["created_at"],
        "updatedAt": row["updated_at"],
        "favorited": bool(favorited),
        "favoritesCount": favorites_count,
        "author": author,
    }
    if with_body:
        article["body"] = row["body"]
    return article
