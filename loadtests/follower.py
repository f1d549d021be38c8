"""The Follower: a seeded reader who follows people, at home in the feed (see locustfile.py)."""

from __future__ import annotations

from itertools import count

from conduit_user import CAST, ConduitUser, article_path, profile_path, some_of
from locust import tag, task


class Follower(ConduitUser):
    """Logged in: the feed, and what a reader does from it: reads, favourites, follows."""

    weight = 3
    seats = count()  # the n-th Follower this process starts plays the n-th follower in the cast

    def on_start(self) -> None:
        super().on_start()
        self.feed_articles: list[dict] = []  # the feed's first page, as last seen
        self.followed: list[str] = []  # whom this user followed during the run
        self.favourited: list[str] = []  # slugs this user favourited during the run
        self.follows_someone = False  # the cast says so: then an empty feed is wrong
        followers = CAST["followers"] if CAST else []
        if followers:
            name = followers[next(Follower.seats) % len(followers)]
            self.follows_someone = self.log_in(name, quiet=False)
        elif not ((author := self.some_author()) and self.log_in(author)):
            self.register()

    def feed_is_wrong(self, answer: dict) -> str | None:
        if self.follows_someone and not answer.get("articles"):
            return f"{self.username} follows authors with articles, but the feed is empty"
        return None

    @tag("follower", "feed")
    @task(4)
    def feed(self):
        answer = self.call("GET", "/api/articles/feed", 200, name="/api/articles/feed",
                           check=self.feed_is_wrong)
        if answer:
            self.feed_articles = answer["articles"]

    def from_feed(self) -> dict | None:
        """An article from the feed, the top of it likeliest, as people read."""
        return some_of(self.feed_articles)

    @tag("follower", "article")
    @task(3)
    def read_from_feed(self):
        if article := self.from_feed():
            self.call("GET", article_path(article["slug"]), 200, name="/api/articles/[slug]")

    @tag("follower", "article")
    @task(1)
    def read_comments(self):
        if article := self.from_feed():
            self.call("GET", article_path(article["slug"]) + "/comments", 200,
                      name="/api/articles/[slug]/comments")

    @tag("follower", "social")
    @task(2)
    def favorite(self):
        article = self.from_feed()
        if article and not article["favorited"] and article["slug"] not in self.favourited:
            if self.call("POST", article_path(article["slug"]) + "/favorite", 200,
                         name="/api/articles/[slug]/favorite"):
                self.favourited.append(article["slug"])

    @tag("follower", "social")
    @task(1)
    def unfavorite(self):
        if self.favourited:
            self.call("DELETE", article_path(self.favourited.pop(0)) + "/favorite", 200,
                      name="/api/articles/[slug]/favorite")

    @tag("follower", "social")
    @task(2)
    def visit_profile(self):
        """A popular author's profile; follow them, unless this reader already does."""
        author = self.famous_author()
        profile = author and self.call("GET", profile_path(author), 200,
                                       name="/api/profiles/[username]")
        if profile and not profile["profile"]["following"] and author not in self.followed:
            if self.call("POST", profile_path(author) + "/follow", 200,
                         name="/api/profiles/[username]/follow"):
                self.followed.append(author)

    @tag("follower", "social")
    @task(1)
    def unfollow(self):
        if self.followed:  # only whom it followed itself: the seeded follows stay
            self.call("DELETE", profile_path(self.followed.pop(0)) + "/follow", 200,
                      name="/api/profiles/[username]/follow")
