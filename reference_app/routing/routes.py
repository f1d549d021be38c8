"""Lesson 1's API routes: read articles, comments, profiles and tags.

Every route gets the data store as its ``store`` parameter (store.py's
plugin puts it there) and returns a dict, which Bottle sends as JSON.
"""

from __future__ import annotations

import re

import bottle
from bottle import request

from ..core.web import api_error, refuse, viewer_id


def add_routes(app: bottle.Bottle) -> None:
    # --8<-- [start:routes]
    app.route("/api/articles", "GET", list_articles, name="list_articles")
    app.route("/api/articles/<slug:slug>", "GET", get_article, name="get_article")
    app.route("/api/articles/<slug:slug>/comments", "GET", list_comments, name="list_comments")
    app.route("/api/profiles/<username>", "GET", get_profile, name="get_profile")
    app.route("/api/tags", "GET", list_tags, name="list_tags")
    # --8<-- [end:routes]
    app.add_hook("before_request", ignore_trailing_slash)
    app.add_hook("before_request", refuse_a_broken_content_length)


def ignore_trailing_slash():
    """``/api/articles/`` means ``/api/articles``: some clients add the slash (the
    Angular RealWorld front end does). A hook runs before routing, so the route
    table itself stays free of slash variants."""
    path = request.environ.get("PATH_INFO", "")
    if path.startswith("/api/") and path.endswith("/"):
        request.environ["PATH_INFO"] = path.rstrip("/")


def refuse_a_broken_content_length():
    """A Content-Length that is not a number makes the request malformed: 400,
    before any route reads the body. gunicorn refuses such a request itself;
    Python's development server passes it on, and Bottle's ``int()`` of it would
    crash whatever reads the body (a 500)."""
    length = request.environ.get("CONTENT_LENGTH", "")
    if length and not re.fullmatch(r"[0-9]+", length):
        raise refuse(400, "Content-Length", "must be a whole number of bytes")


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


def query_value(name: str) -> str | None:
    """A query-string value decoded as UTF-8; None when absent.

    Bytes that are not UTF-8 are a 422. (``request.query.getunicode`` would
    answer None for them, as if the parameter were absent: ``?tag=%FF`` would
    quietly list every article.)
    """
    raw = request.query.get(name)
    if raw is None:
        return None
    try:
        return raw.encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise refuse(422, name, "must be UTF-8 text") from None


def query_text(name: str) -> str | None:
    """A query-string value decoded as UTF-8, or None when absent or empty."""
    return query_value(name) or None


def query_number(name: str, default: int, maximum: int) -> int:
    """A whole number from 0 to ``maximum``; ``default`` when absent, 422 otherwise."""
    text = query_value(name)
    if text is None:
        return default
    if not WHOLE_NUMBER.fullmatch(text):  # an empty ?limit= too: say so, never guess
        raise refuse(422, name, "must be a whole number")
    if int(text) > maximum:
        raise refuse(422, name, f"must be at most {maximum}")
    return int(text)


def pagination() -> tuple[int, int]:
    """``limit`` (default 20, at most 100) and ``offset`` from the query string."""
    return query_number("limit", 20, 100), query_number("offset", 0, 10**9)
# --8<-- [end:query_params]
