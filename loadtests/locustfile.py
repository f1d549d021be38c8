"""Who uses a Conduit backend, and how: three kinds of visitor for Locust.

- ``Reader`` (weight 6): anonymous. The home page, article lists (all, by tag,
  by author, a few pages deep), article pages, comments, profiles, tags.
- ``Follower`` (weight 3): logged in. The personal feed, follow and unfollow,
  favourite and unfavourite, articles as a logged-in viewer sees them.
- ``Writer`` (weight 1): registers its own account once, then creates, edits
  and deletes articles, and adds and deletes comments.

Every task is tagged (``list``, ``article``, ``feed``, ``social``, ``write``...)
so ``--tags list`` measures the list endpoints alone. Requests are named by
endpoint (``/api/articles/[slug]``) so the stats group by endpoint, not by URL,
and a response with any status but the expected one is a failure.

The test data comes from the API itself: slugs, authors and tags are sampled
from ``GET /api/articles`` and ``GET /api/tags``. Followers log in to accounts
that ``reference-app seed`` made (``<username>@stagecraft.dev``, password
``stagecraft-demo``) and register a fresh account when that fails, so this
file runs against any backend that speaks the RealWorld API:

    locust --config loadtests/locust.conf -f loadtests/locustfile.py \\
        --host http://127.0.0.1:3000

``LOAD_THINK_SECONDS`` (default 0.5) is the longest pause between two tasks
of one user; 0 makes every user a closed loop, as fast as the server allows.
"""

from __future__ import annotations

import json
import os
import random
import secrets
from urllib.parse import quote, urlencode

from locust import FastHttpUser, between, tag, task

SEEDED_DOMAIN = os.environ.get("LOAD_SEEDED_DOMAIN", "stagecraft.dev")
SEEDED_PASSWORD = os.environ.get("LOAD_SEEDED_PASSWORD", "stagecraft-demo")  # demo data
# Accounts this file registers are named with this prefix. Their articles come
# and go during a run, so nobody else samples them: a Reader must never ask for
# an article that a Writer has just deleted and count the 404 as a failure.
OWN_PREFIX = "loadtest-"
THINK_SECONDS = float(os.environ.get("LOAD_THINK_SECONDS", "0.5"))

# Which article to read next is a load test's choice, not a secret: the
# ordinary generator is the right one here.
choose = random.Random()  # noqa: S311


def article_path(slug: str) -> str:
    return f"/api/articles/{quote(slug, safe='')}"


class ConduitUser(FastHttpUser):
    """What every visitor shares: a checked request, a token, a sample of the data."""

    abstract = True
    wait_time = between(0, THINK_SECONDS)

    def on_start(self) -> None:
        self.token: str | None = None
        self.username: str | None = None
        self.articles: list[tuple[str, str]] = []  # (slug, author) of stable articles
        self.tags: list[str] = []
        self.sample()

    def call(self, method: str, path: str, expect: int, name: str | None = None,
             body: dict | None = None) -> dict | None:
        """Send one request. Unless the status is ``expect`` it counts as a failure,
        and the answer is None; otherwise the answer is the JSON body ({} if none)."""
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        data = json.dumps(body) if body is not None else None
        with self.client.request(method, path, name=name or path, data=data, headers=headers,
                                 catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"expected {expect}, got {response.status_code}: "
                                 f"{(response.text or '')[:120]}")
                return None
            response.success()
            if expect == 204 or "json" not in response.headers.get("Content-Type", ""):
                return {}
            return response.json()

    # ---- Test data, from the API itself ---------------------------------------
    def sample(self) -> None:
        """Remember up to 100 articles and the tags, leaving out load-test accounts."""
        found = self.call("GET", "/api/articles?limit=100", 200,
                          name="/api/articles?limit=100 [sample]")
        self.articles = [(a["slug"], a["author"]["username"])
                         for a in (found or {}).get("articles", [])
                         if not a["author"]["username"].startswith(OWN_PREFIX)]
        self.tags = (self.call("GET", "/api/tags", 200) or {}).get("tags", [])

    def some_article(self) -> tuple[str, str] | None:
        return choose.choice(self.articles) if self.articles else None

    def some_author(self) -> str | None:
        authors = sorted({author for _, author in self.articles} - {self.username})
        return choose.choice(authors) if authors else None

    # ---- Accounts: once per simulated user -------------------------------------
    def log_in(self, username: str) -> bool:
        """Log in to a seeded account; quietly False if the backend has no such account."""
        user = {"email": f"{username}@{SEEDED_DOMAIN}", "password": SEEDED_PASSWORD}
        with self.client.request("POST", "/api/users/login", name="/api/users/login",
                                 data=json.dumps({"user": user}), catch_response=True,
                                 headers={"Content-Type": "application/json"}) as response:
            if response.status_code != 200:
                # Not this backend's data: not a failure of the server, so not counted.
                response.success()
                return False
            self.token, self.username = response.json()["user"]["token"], username
            return True

    def register(self) -> None:
        username = f"{OWN_PREFIX}{secrets.token_hex(5)}"
        user = {"username": username, "email": f"{username}@example.com",
                "password": secrets.token_urlsafe(12)}
        answer = self.call("POST", "/api/users", 201, body={"user": user})
        if answer:
            self.token, self.username = answer["user"]["token"], username


class Reader(ConduitUser):
    """Anonymous: reads lists, articles and comments, as most visitors do."""

    weight = 6

    @tag("reader", "page")
    @task(2)
    def home_page(self):
        self.call("GET", "/", 200)

    @tag("reader", "list")
    @task(4)
    def list_articles(self):
        offset = 20 * choose.randrange(5)  # the first five pages
        self.call("GET", f"/api/articles?limit=20&offset={offset}", 200, name="/api/articles")

    @tag("reader", "list")
    @task(2)
    def list_by_tag(self):
        if self.tags:
            query = urlencode({"tag": choose.choice(self.tags)})
            self.call("GET", f"/api/articles?{query}", 200, name="/api/articles?tag=[tag]")

    @tag("reader", "list")
    @task(2)
    def list_by_author(self):
        author = self.some_author()
        if author:
            query = urlencode({"author": author})
            self.call("GET", f"/api/articles?{query}", 200, name="/api/articles?author=[username]")

    @tag("reader", "article")
    @task(4)
    def read_article(self):
        picked = self.some_article()
        if picked:
            self.call("GET", article_path(picked[0]), 200, name="/api/articles/[slug]")

    @tag("reader", "article")
    @task(2)
    def read_comments(self):
        picked = self.some_article()
        if picked:
            self.call("GET", article_path(picked[0]) + "/comments", 200,
                      name="/api/articles/[slug]/comments")

    @tag("reader", "article")
    @task(1)
    def read_profile(self):
        author = self.some_author()
        if author:
            self.call("GET", f"/api/profiles/{quote(author, safe='')}", 200,
                      name="/api/profiles/[username]")


class Follower(ConduitUser):
    """Logged in: the feed, follows and favourites, the per-viewer parts of the API."""

    weight = 3

    def on_start(self) -> None:
        super().on_start()
        author = self.some_author()
        if not (author and self.log_in(author)):
            self.register()

    @tag("follower", "feed")
    @task(4)
    def feed(self):
        self.call("GET", "/api/articles/feed", 200, name="/api/articles/feed")

    @tag("follower", "article")
    @task(2)
    def read_article(self):
        picked = self.some_article()
        if picked:
            self.call("GET", article_path(picked[0]), 200, name="/api/articles/[slug]")

    @tag("follower", "social")
    @task(2)
    def follow(self):
        self._follow("POST")

    @tag("follower", "social")
    @task(1)
    def unfollow(self):
        self._follow("DELETE")

    @tag("follower", "social")
    @task(2)
    def favorite(self):
        self._favorite("POST")

    @tag("follower", "social")
    @task(1)
    def unfavorite(self):
        self._favorite("DELETE")

    def _follow(self, method):
        author = self.some_author()  # never yourself: following yourself is a 422
        if author:
            self.call(method, f"/api/profiles/{quote(author, safe='')}/follow", 200,
                      name="/api/profiles/[username]/follow")

    def _favorite(self, method):
        picked = self.some_article()
        if picked:
            self.call(method, article_path(picked[0]) + "/favorite", 200,
                      name="/api/articles/[slug]/favorite")


class Writer(ConduitUser):
    """Registers once, then writes: its own articles, and comments anywhere."""

    weight = 1

    def on_start(self) -> None:
        super().on_start()
        self.register()
        self.mine: list[str] = []  # slugs of this user's articles
        self.comments: list[tuple[str, int]] = []  # (slug, id) of this user's comments

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
    @task(2)
    def comment(self):
        picked = self.some_article()
        slug = choose.choice(self.mine) if self.mine and choose.random() < 0.5 else (
            picked and picked[0])
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
