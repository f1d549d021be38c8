"""What every simulated visitor of a Conduit backend shares: a checked request,
a token, and the data to visit.

The data comes from two places. The runner (``make load``) reads the seeded
database before the app serves it and writes the *cast* (``seeded.py``): the
readers who really follow people, the most favourited articles, the most
followed authors. Locust finds it through ``LOAD_CAST``. Without a cast, as
against another backend, everything comes from the API: the newest articles
(``GET /api/articles``) and the tags, and the popular articles are those of
them with the most favourites.

Locust puts this folder on the import path while it loads a locustfile, so the
user classes import this module by its plain name.
"""

from __future__ import annotations

import json
import os
import random
import secrets
from itertools import accumulate
from pathlib import Path
from urllib.parse import quote

from locust import FastHttpUser, between

SEEDED_DOMAIN = os.environ.get("LOAD_SEEDED_DOMAIN", "stagecraft.dev")
SEEDED_PASSWORD = os.environ.get("LOAD_SEEDED_PASSWORD", "stagecraft-demo")  # demo data
# Accounts this file registers are named with this prefix. Their articles come
# and go during a run, so nobody else samples them: a Reader must never ask for
# an article that a Writer has just deleted and count the 404 as a failure.
OWN_PREFIX = "loadtest-"
THINK_SECONDS = float(os.environ.get("LOAD_THINK_SECONDS", "0.5"))
# {"followers": [...], "popular": [[slug, author], ...], "authors": [...]}, or None.
CAST = json.loads(Path(os.environ["LOAD_CAST"]).read_text()) if os.environ.get(
    "LOAD_CAST") else None

# Which article to read next is a load test's choice, not a secret: the
# ordinary generator is the right one here.
choose = random.Random()  # noqa: S311


def article_path(slug: str) -> str:
    return f"/api/articles/{quote(slug, safe='')}"


def profile_path(username: str) -> str:
    return f"/api/profiles/{quote(username, safe='')}"


def some_of(ranked: list):
    """One member of ``ranked``, the first likeliest: rank r weighs 1/r, as the seed draws."""
    if not ranked:
        return None
    return choose.choices(ranked, cum_weights=list(
        accumulate(1 / r for r in range(1, len(ranked) + 1))))[0]


class ConduitUser(FastHttpUser):
    """What every visitor shares: a checked request, a token, a sample of the data."""

    abstract = True
    wait_time = between(0, THINK_SECONDS)

    def on_start(self) -> None:
        self.token: str | None = None
        self.username: str | None = None
        self.articles: list[tuple[str, str]] = []  # (slug, author) of stable articles
        self.popular: list[tuple[str, str]] = []  # the same, the most favourited first
        self.tags: list[str] = []
        self.sample()

    def call(self, method: str, path: str, expect: int, name: str | None = None,
             body: dict | None = None, check=None) -> dict | None:
        """Send one request. Unless the status is ``expect``, and ``check(answer)``
        (if given) says nothing is wrong, it counts as a failure and the answer is
        None; otherwise the answer is the JSON body ({} if none)."""
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
            answer = ({} if expect == 204 or "json" not in response.headers.get(
                "Content-Type", "") else response.json())
            wrong = check(answer) if check else None
            if wrong:
                response.failure(wrong)
                return None
            response.success()
            return answer

    # ---- Test data: the cast, or the API itself --------------------------------
    def sample(self) -> None:
        """Remember up to 100 articles and the tags, leaving out load-test accounts."""
        found = self.call("GET", "/api/articles?limit=100", 200,
                          name="/api/articles?limit=100 [sample]")
        stable = [a for a in (found or {}).get("articles", [])
                  if not a["author"]["username"].startswith(OWN_PREFIX)]
        self.articles = [(a["slug"], a["author"]["username"]) for a in stable]
        if CAST:
            self.popular = [tuple(pair) for pair in CAST["popular"]]
        else:
            by_favourites = sorted(stable, key=lambda a: -a.get("favoritesCount", 0))
            self.popular = [(a["slug"], a["author"]["username"]) for a in by_favourites]
        self.tags = (self.call("GET", "/api/tags", 200) or {}).get("tags", [])

    def some_article(self) -> tuple[str, str] | None:
        return choose.choice(self.articles) if self.articles else None

    def some_author(self) -> str | None:
        authors = sorted({author for _, author in self.articles} - {self.username})
        return choose.choice(authors) if authors else None

    def famous_author(self) -> str | None:
        """Someone else, the most followed likeliest (from the cast, or the sample)."""
        ranked = CAST["authors"] if CAST else [author for _, author in self.popular]
        return some_of([name for name in dict.fromkeys(ranked) if name != self.username])

    # ---- Accounts: once per simulated user -------------------------------------
    def log_in(self, username: str, quiet: bool = True) -> bool:
        """Log in to a seeded account. When it fails: False, and a failure unless
        ``quiet`` (a backend without our seed has no such account: not its fault)."""
        user = {"email": f"{username}@{SEEDED_DOMAIN}", "password": SEEDED_PASSWORD}
        with self.client.request("POST", "/api/users/login", name="/api/users/login",
                                 data=json.dumps({"user": user}), catch_response=True,
                                 headers={"Content-Type": "application/json"}) as response:
            if response.status_code != 200:
                if quiet:
                    response.success()
                else:
                    response.failure(f"{username} could not log in: {response.status_code}")
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
