"""Lesson 1's data: the demo world, in memory, read-only.

It answers the same questions, with the same shapes, as lesson 2's SQLite
store, and that shared interface is what lets lesson 2 swap one for the other.
The demo world lives in demo_data.json; `reference-app seed` writes the same
world into SQLite.
"""

from __future__ import annotations

import json
from pathlib import Path

from .shapes import article_json, profile_json

DEMO_DATA = Path(__file__).parent / "demo_data.json"


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
