"""Who uses a Conduit backend, and how: three kinds of visitor for Locust.

- ``Reader`` (weight 6): anonymous. The home page, article lists (all, by tag,
  by author, a few pages deep), article pages, comments, profiles, tags.
- ``Follower`` (weight 3): logged in as a seeded reader who really follows
  people. Reads the personal feed and the articles in it, favourites some of
  them, and follows popular authors from their profiles; it undoes only what
  it did itself, so its feed is never empty, and an empty one is a failure.
- ``Writer`` (weight 1): registers its own account once, then creates, edits
  and deletes articles, comments on the popular articles (the most on the
  most popular), favourites them, and follows their authors.

Every task is tagged (``list``, ``article``, ``feed``, ``social``, ``write``...)
so ``--tags list`` measures the list endpoints alone. Requests are named by
endpoint (``/api/articles/[slug]``) so the stats group by endpoint, not by URL,
and a response with any status but the expected one is a failure.

Whom to play comes from the cast that ``make load`` writes (``LOAD_CAST``, see
``conduit_user.py``): the n-th Follower a Locust process starts logs in as the
n-th reader in it, so every run meets the same people in the same order. (In
distributed mode each Locust worker starts from the first: two simulated users
may share an account, each with its own token.) Without a cast, the data comes
from the API, followers log in as the authors they find or register, and this
file runs against any backend that speaks the RealWorld API:

    locust --config loadtests/locust.conf -f loadtests/locustfile.py \\
        --host http://127.0.0.1:3000

``LOAD_THINK_SECONDS`` (default 0.5) is the longest pause between two tasks
of one user; 0 makes every user a closed loop, as fast as the server allows.
"""

from __future__ import annotations

from urllib.parse import urlencode

# Locust puts this folder on the import path while it loads a locustfile, so
# these plain names import; and it runs every user class the locustfile holds,
# the imported Follower and Writer too.
from conduit_user import ConduitUser, article_path, choose, profile_path
from follower import Follower  # noqa: F401
from locust import tag, task
from writer import Writer  # noqa: F401


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
            self.call("GET", profile_path(author), 200,
                      name="/api/profiles/[username]")
