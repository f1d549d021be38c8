"""The Writer: its own articles, and comments, favourites and follows (see locustfile.py)."""

from __future__ import annotations

import secrets

from conduit_user import ConduitUser, article_path, choose, profile_path, some_of
from locust import tag, task


class Writer(ConduitUser):
    """Registers once, then writes: its own articles, and comments where the readers are.

    It comments mostly on the popular articles, the most on the most popular,
    and favourites them and follows their authors. It undoes only its own
    favourites and follows: it starts with none.
    """

    weight = 1

    def on_start(self) -> None:
        super().on_start()
        self.register()
        self.mine: list[str] = []  # slugs of this user's articles
        self.comments: list[tuple[str, int]] = []  # (slug, id) of this user's comments
        self.favourited: list[str] = []
        self.followed: list[str] = []

    @tag("writer", "write")
    @task(3)
    def write_article(self):
        article = {"title": f"Load test {secrets.token_hex(4)}", "description": "Measured.",
                   "body": "Written by a simulated user. " * 20,
                   "tagList": choose.sample(self.tags, min(2, len(self.tags)))}
        answer = self.call("POST", "/api/articles", 201, body={"article": article})
        if answer:
            self.mine.append(answer["article"]["slug"])

    @tag("writer", "write")
    @task(2)
    def edit_article(self):
        if self.mine:
            # The title stays, so the slug stays: a new title may mean a new slug.
            change = {"article": {"description": f"Edited {secrets.token_hex(3)}."}}
            self.call("PUT", article_path(choose.choice(self.mine)), 200,
                      name="/api/articles/[slug]", body=change)

    @tag("writer", "write")
    @task(1)
    def delete_article(self):
        if self.mine:
            slug = self.mine.pop(0)
            self.comments = [c for c in self.comments if c[0] != slug]  # they go with it
            self.call("DELETE", article_path(slug), 204, name="/api/articles/[slug]")

    @tag("writer", "write")
    @task(3)
    def comment(self):
        """On a popular article, or now and then on one of its own."""
        popular = some_of(self.popular)
        slug = choose.choice(self.mine) if self.mine and choose.random() < 0.3 else (
            popular and popular[0])
        if slug:
            answer = self.call("POST", article_path(slug) + "/comments", 201,
                               name="/api/articles/[slug]/comments",
                               body={"comment": {"body": "Thanks, measured and noted."}})
            if answer:
                self.comments.append((slug, answer["comment"]["id"]))

    @tag("writer", "write")
    @task(2)
    def delete_comment(self):
        if self.comments:
            slug, comment_id = self.comments.pop(0)
            self.call("DELETE", f"{article_path(slug)}/comments/{comment_id}", 204,
                      name="/api/articles/[slug]/comments/[id]")

    @tag("writer", "social")
    @task(1)
    def favorite(self):
        popular = some_of(self.popular)
        if popular and popular[0] not in self.favourited:
            if self.call("POST", article_path(popular[0]) + "/favorite", 200,
                         name="/api/articles/[slug]/favorite"):
                self.favourited.append(popular[0])

    @tag("writer", "social")
    @task(1)
    def unfavorite(self):
        if self.favourited:
            self.call("DELETE", article_path(self.favourited.pop(0)) + "/favorite", 200,
                      name="/api/articles/[slug]/favorite")

    @tag("writer", "social")
    @task(1)
    def follow(self):
        author = self.famous_author()
        if author and author not in self.followed:
            if self.call("POST", profile_path(author) + "/follow", 200,
                         name="/api/profiles/[username]/follow"):
                self.followed.append(author)

    @tag("writer", "social")
    @task(1)
    def unfollow(self):
        if self.followed:
            self.call("DELETE", profile_path(self.followed.pop(0)) + "/follow", 200,
                      name="/api/profiles/[username]/follow")
