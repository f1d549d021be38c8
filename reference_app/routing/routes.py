"""Lesson 1's API routes: read articles, comments, profiles and tags.

Every route gets the data store as its ``store`` parameter (store.py's
plugin puts it there) and returns a dict, which Bottle sends as JSON.
"""

from __future__ import annotations

import re

import bottle
from bottle import request

from ..core.web import api_error, viewer_id


def add_routes(app: bottle.Bottle) -> None:
    # --8<-- [start:routes]
    app.route("/api/articles", "GET", list_articles, name="list_articles")
    app.route("/api/articles/<slug:slug>", "GET", get_article, name="get_article")
    app.route("/api/articles/<slug:slug>/comments", "GET", list_comments, name="list_comments")
    app.route("/api/profiles/<username>", "GET", get_profile, name="get_profile")
    app.route("/api/tags", "GET", list_tags, name="list_tags")
    # --8<-- [end:routes]
    app.add_hook("before_request", ignore_trailing_slash)


def ignore_trailing_slash():
    """``/api/articles/`` means ``/api/articles``: some clients add the slash (the
    Angular RealWorld front end does). A hook runs before routing, so the route
    table itself stays free of slash variants."""
    path = request.environ.get("PATH_INFO", "")
    if path.startswith("/api/") and path.endswith("/"):
        request.environ["PATH_INFO"] = path.rstrip("/")


# --8<-- [start:slug_filter]
def slug_filter(config):
    """What ``<slug:slug>`` in a route matches: lowercase letters, digits and
    hyphens. Bottle wants (regex, to Python, to URL)."""
    return r"[a-z0-9-]+", None, None


def id_filter(config):
    """What ``<comment_id:id>`` matches: a positive whole number that fits in a
    SQLite integer (up to 18 digits). Bottle's own ``int`` would pass on any
    length, and SQLite would fail on it with a 500."""
    return r"[1-9][0-9]{0,17}", int, str
# --8<-- [end:slug_filter]


# --8<-- [start:read_routes]
def list_articles(store):
    limit, offset = pagination()
    articles, count = store.list_articles(
        tag=query_text("tag"),
        author=query_text("author"),
        favorited=query_text("favorited"),
        limit=limit,
        offset=offset,
        viewer_id=viewer_id(),
    )
    return {"articles": articles, "articlesCount": count}


def get_article(slug, store):
    article = store.get_article(slug, viewer_id=viewer_id())
    if article is None:
        raise api_error(404, "article", "not found")
    return {"article": article}
# --8<-- [end:read_routes]


def list_comments(slug, store):
    comments = store.list_comments(slug, viewer_id=viewer_id())
    if comments is None:
        raise api_error(404, "article", "not found")
    return {"comments": comments}


def get_profile(username, store):
    profile = store.get_profile(username, viewer_id=viewer_id())
    if profile is None:
        raise api_error(404, "profile", "not found")
    return {"profile": profile}


def list_tags(store):
    return {"tags": store.list_tags()}


# --8<-- [start:query_params]
# At most ten digits: past any real page, and never an integer overflow.
# Not str.isdigit(): Bottle decodes query strings as Latin-1, so ?offset=%B2
# arrives as "²", which isdigit() accepts and int() refuses.
WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")


def query_text(name: str) -> str | None:
    """A query-string value decoded as UTF-8, or None when absent or empty."""
    return request.query.getunicode(name) or None


def query_number(name: str, default: int, maximum: int) -> int:
    text = request.query.getunicode(name)
    if text is None or text == "":
        return default
    if not WHOLE_NUMBER.fullmatch(text):
        raise api_error(422, name, "must be a whole number")
    if int(text) > maximum:
        raise api_error(422, name, f"must be at most {maximum}")
    return int(text)


def pagination() -> tuple[int, int]:
    """``limit`` (default 20, at most 100) and ``offset`` from the query string."""
    return query_number("limit", 20, 100), query_number("offset", 0, 10**9)
# --8<-- [end:query_params]
