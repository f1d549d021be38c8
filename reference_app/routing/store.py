"""Lesson 1's data: what a store must answer, and a store that answers from memory.

``ReadStore`` is the contract between the routes and the data: the questions
a route may ask, and the JSON shapes of the answers. ``MemoryStore`` answers
them from the demo world in demo_data.json; lesson 2's SQLite store answers
the same questions, and that shared contract is what lets lesson 2 swap one
for the other without touching a route. ``reference-app seed`` writes the same
demo world into SQLite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from ..core.shapes import article_json, profile_json

DEMO_DATA = Path(__file__).parent / "demo_data.json"


# --8<-- [start:read_store]
class ReadStore(Protocol):
    """What every store answers, from lesson 1 on. ``None`` means "no such thing"."""

    def list_articles(self, *, tag=None, author=None, favorited=None, limit=20, offset=0,
                      viewer_id=None) -> tuple[list[dict], int]:
        """A page of articles, newest first, without bodies, and how many match in all."""

    def get_article(self, slug, *, viewer_id=None) -> dict | None: ...

    def list_comments(self, slug, *, viewer_id=None) -> list[dict] | None:
        """The article's comments, newest first; None if there is no such article."""

    def get_profile(self, username, *, viewer_id=None) -> dict | None: ...

    def list_tags(self) -> list[str]:
        """Every tag in use, in alphabetical order."""
# --8<-- [end:read_store]


# --8<-- [start:plugin]
class StorePlugin:
    """Hands the data store to every route that has a ``store`` parameter.

    This is Bottle's plugin seam: ``apply`` wraps each route's callback once,
    when the route is first used. Lesson 2 uninstalls this plugin by its name
    and installs one that opens a database connection per request instead.
    """

    name = "store"
    api = 2

    def __init__(self, store: ReadStore):
        self.store = store

    def apply(self, callback, route):
        if "store" not in route.get_callback_args():
            return callback  # this route does not use the store: leave it alone

        def with_store(*args, **kwargs):
            kwargs["store"] = self.store
            return callback(*args, **kwargs)

        return with_store
# --8<-- [end:plugin]


def load_demo_data(path: Path = DEMO_DATA) -> dict:
    with open(path, encoding="utf-8") as file:
        return json.load(file)


# --8<-- [start:memory_store]
class MemoryStore:
    """The read half of the store interface, answered from memory.

    Nobody is logged in yet, so ``viewer_id`` is accepted but always None.
    """

    def __init__(self, data: dict):
        self.users = {user["username"]: user for user in data["users"]}
        newest_first = sorted(data["articles"], key=lambda a: a["created_at"], reverse=True)
        self.articles = [dict(a, updated_at=a["created_at"]) for a in newest_first]
        self.comments = data["comments"]
        self.favorites = [(f["user"], f["article"]) for f in data["favorites"]]

    def list_articles(self, *, tag=None, author=None, favorited=None, limit=20, offset=0,
                      viewer_id=None):
        matches = [
            a for a in self.articles
            if (tag is None or tag in a["tags"])
            and (author is None or a["author"] == author)
            and (favorited is None or (favorited, a["slug"]) in self.favorites)
        ]
        page = matches[offset:offset + limit]
        return [self._article(a, with_body=False) for a in page], len(matches)

    def get_article(self, slug, *, viewer_id=None):
        for article in self.articles:
            if article["slug"] == slug:
                return self._article(article)
        return None

    def list_comments(self, slug, *, viewer_id=None):
        if self.get_article(slug) is None:
            return None
        mine = [c for c in self.comments if c["article"] == slug]
        return [
            {"id": number, "body": c["body"], "createdAt": c["created_at"],
             "updatedAt": c["created_at"], "author": self.get_profile(c["author"])}
            for number, c in enumerate(mine, start=1)
        ][::-1]  # newest first, like every list in this API

    def get_profile(self, username, *, viewer_id=None):
        user = self.users.get(username)
        return profile_json(user, following=False) if user else None

    def list_tags(self):
        return sorted({tag for article in self.articles for tag in article["tags"]})

    def _article(self, article, with_body=True):
        count = sum(1 for _, slug in self.favorites if slug == article["slug"])
        author = self.get_profile(article["author"])
        return article_json(article, article["tags"], author, False, count, with_body=with_body)
# --8<-- [end:memory_store]
