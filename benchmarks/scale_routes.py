"""`make bench-scale`'s routes: which ones, with which names, and how to log in to them.

The same URLs are measured on the small database and on the big one, so each
name must exist in both. The names are picked from the seeded files by their
role, in the big database, where a role weighs most: the most used tag, the
least used one, the most prolific author, the reader who favourited the most
articles and the reader who follows the most users. Each list must fill a
page (``PAGE``) in the small database too, or the two sizes would not send
answers of the same length, and the ratio would measure the answer, not the
data. The article is a demo article: the demo world is the same at every size.
"""

from __future__ import annotations

import http.client
import json
import re
import sqlite3
import urllib.parse
from contextlib import closing

from reference_app.seed import DEMO_PASSWORD

PAGE = 20  # the API's default page: a list that fills it answers the same length at both sizes

# (label, path, who): the table's row, its URL with {names} to fill in, and who reads it:
# "anyone" is measured anonymous and logged in, "reader" logged in only.
ROUTES = [
    ("`/api/articles`", "/api/articles", "anyone"),
    ("`/api/articles?tag=` (most used tag)", "/api/articles?tag={popular_tag}", "anyone"),
    ("`/api/articles?tag=` (least used tag)", "/api/articles?tag={rare_tag}", "anyone"),
    ("`/api/articles?favorited=`", "/api/articles?favorited={favourer}", "anyone"),
    ("`/api/articles?author=`", "/api/articles?author={author}", "anyone"),
    ("`/api/articles?offset=500`", "/api/articles?offset=500", "anyone"),
    ("`/api/articles/feed`", "/api/articles/feed", "reader"),
    ("`/api/tags`", "/api/tags", "anyone"),
    ("`/api/articles/<slug>`", "/api/articles/{slug}", "anyone"),
    ("`/api/articles/<slug>/comments`", "/api/articles/{slug}/comments", "anyone"),
    ("`/api/profiles/<username>`", "/api/profiles/{author}", "anyone"),
    ("page `/`", "/", "anyone"),
    ("page `/?tag=`", "/?tag={popular_tag}", "anyone"),
    ("page `/feed`", "/feed", "reader"),
    ("page `/article/<slug>`", "/article/{slug}", "anyone"),
    ("page `/profile/<username>`", "/profile/{author}", "anyone"),
]
WHO = ("anonymous", "logged in")


def runs(names: dict) -> list[tuple[str, str, str]]:
    """Every (label, who, path) to measure, in the table's order."""
    return [(label, who, path.format(**names)) for label, path, reader in ROUTES
            for who in WHO if reader == "anyone" or who == "logged in"]


# Per user, per tag: how many rows each has, in one database.
COUNTS = {
    "tag": "select t.name, count(*) from article_tags x join tags t on t.id = x.tag_id"
           " group by t.id",
    "author": "select u.username, count(*) from articles a join users u on u.id = a.author_id"
              " group by u.id",
    "favourites": "select u.username, count(*) from favorites f join users u"
                  " on u.id = f.user_id group by u.id",
    "follows": "select u.username, count(*) from follows f join users u"
               " on u.id = f.follower_id group by u.id",
    # How long each reader's feed is: the articles of everyone they follow.
    "feed": "select u.username, count(*) from follows f join articles a"
            " on a.author_id = f.followed_id join users u on u.id = f.follower_id group by u.id",
}


def counts(path: str) -> dict[str, dict[str, int]]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return {what: dict(db.execute(sql).fetchall()) for what, sql in COUNTS.items()}


def most(big: dict, fills: dict, fewest: bool = False) -> str:
    """The name with the most rows in the big database (or the fewest) among those
    whose ``fills`` count fills a page in the small one; if none does, the one
    that comes closest."""
    full = [name for name in big if fills.get(name, 0) >= PAGE]
    if not full:  # a tiny seed: take the fullest page there is
        best = max(fills.get(name, 0) for name in big)
        full = [name for name in big if fills.get(name, 0) == best]
    # Ties go to the name that sorts first, so the same seed always gives the same names.
    return min(full, key=lambda name: ((1 if fewest else -1) * big[name], name))


def pick_names(small_db: str, big_db: str) -> dict:
    """The names to put in the URLs: each exists in both databases."""
    small, big = counts(small_db), counts(big_db)
    with closing(sqlite3.connect(f"file:{small_db}?mode=ro", uri=True)) as db:
        # A demo article (the same at every size), the one with the most comments.
        slug, = db.execute(
            "select a.slug from articles a left join comments c on c.article_id = a.id"
            " where a.slug not like 'generated-article-%' group by a.id"
            " order by count(c.id) desc, a.id limit 1").fetchone()
        reader = most(big["follows"], small["feed"])
        email, = db.execute("select email from users where username = ?", [reader]).fetchone()
    names = {
        "popular_tag": most(big["tag"], small["tag"]),
        "rare_tag": most(big["tag"], small["tag"], fewest=True),
        "author": most(big["author"], small["author"]),
        "favourer": most(big["favourites"], small["favourites"]),
        "slug": slug,
        "reader": reader,
        "email": email,
    }
    # What each name stands for at each size, for the table's header: (small, big).
    names["rows"] = {what: tuple(sizes[kind].get(names[name], 0) for sizes in (small, big))
                     for what, (name, kind) in ROWS.items()}
    return names


ROWS = {  # what the header says, the name it is about, and which count
    "popular_tag": ("popular_tag", "tag"), "rare_tag": ("rare_tag", "tag"),
    "author": ("author", "author"), "favourites": ("favourer", "favourites"),
    "follows": ("reader", "follows"), "feed": ("reader", "feed"),
}


def log_in(url: str, email: str) -> dict[str, str]:
    """Headers that make a request logged in as ``email``: the API's token, and
    the pages' session cookie, got the way a browser gets it (the login form,
    with its CSRF token)."""
    host, port = urllib.parse.urlsplit(url).netloc.split(":")

    def send(method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            connection.request(method, path, body, headers or {})
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            connection.close()

    status, _, body = send("POST", "/api/users/login", json.dumps(
        {"user": {"email": email, "password": DEMO_PASSWORD}}),
        {"Content-Type": "application/json"})
    if status != 200:
        raise RuntimeError(f"API login as {email} answered {status}: {body[:200]}")
    token = json.loads(body)["user"]["token"]
    _, headers, page = send("GET", "/login")
    csrf = cookies(headers)
    form = urllib.parse.urlencode({"email": email, "password": DEMO_PASSWORD, "csrf_token":
                                   re.search(r'name="csrf_token" value="([^"]+)"', page)[1]})
    status, headers, body = send("POST", "/login", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf})
    if status != 303 or "session=" not in cookies(headers):
        raise RuntimeError(f"page login as {email} answered {status}: {body[:200]}")
    return {"Authorization": f"Token {token}", "Cookie": f"{csrf}; {cookies(headers)}"}


def cookies(headers: list[tuple[str, str]]) -> str:
    """The name=value pairs of every Set-Cookie, as a Cookie header sends them back."""
    return "; ".join(value.split(";")[0] for name, value in headers
                     if name.lower() == "set-cookie")


def headers_for(path: str, login: dict[str, str]) -> dict[str, str]:
    """What a logged-in client sends: the API reads the token, pages the cookie."""
    return {"Authorization": login["Authorization"]} if path.startswith("/api/") \
        else {"Cookie": login["Cookie"]}
