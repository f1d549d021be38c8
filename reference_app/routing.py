"""Lesson 1: routing.

A request arrives as a method and a path; routing picks the function that
answers it. This module sets up what every later stage keeps:

- the read-only API routes and the pages, registered on an explicit Bottle app;
- the API's error format, ``{"errors": {"<field>": ["<message>"]}}``, and error
  handlers that answer JSON under ``/api`` and HTML elsewhere;
- a *store* handed to each route by a plugin. Here it is a small in-memory
  demo world; lesson 2 swaps in SQLite without touching a single route.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from urllib.parse import quote

import bottle
from bottle import HTTPResponse, request, response

from .memory_store import MemoryStore, load_demo_data

log = logging.getLogger("reference_app")

PACKAGE_DIR = Path(__file__).parent
VIEWS_DIR = str(PACKAGE_DIR / "views")
STATIC_DIR = str(PACKAGE_DIR / "static")

# Who is making this request. Nobody logs in before lesson 4, so until then it
# stays None; lesson 3 and lesson 4 install the plugin that fills it in.
VIEWER_KEY = "stagecraft.viewer"
# Variables every page template gets. Lesson 5 adds the CSRF token here.
PAGE_EXTRAS_KEY = "stagecraft.page_extras"


def install(app: bottle.Bottle) -> None:
    """Add lesson 1's routes, error handlers and store to ``app``."""
    app.install(StorePlugin(MemoryStore(load_demo_data())))  # see memory_store.py
    app.router.add_filter("slug", slug_filter)
    app.router.add_filter("id", id_filter)

    # --8<-- [start:routes]
    # auth="optional" is route config: inert until lesson 4's auth plugin reads it.
    app.route("/api/articles", "GET", list_articles, auth="optional")
    app.route("/api/articles/<slug:slug>", "GET", get_article, auth="optional")
    app.route("/api/articles/<slug:slug>/comments", "GET", list_comments, auth="optional")
    app.route("/api/profiles/<username>", "GET", get_profile, auth="optional")
    app.route("/api/tags", "GET", list_tags)

    app.route("/", "GET", home_page, auth="optional")
    app.route("/article/<slug:slug>", "GET", article_page, auth="optional")
    app.route("/profile/<username>", "GET", profile_page, auth="optional")
    app.route("/static/<filename:path>", "GET", static_file)
    # --8<-- [end:routes]

    for status in ERROR_FIELDS:
        app.error(status)(error_handler)


# What a username and an email look like; lesson 4 validates them, and the
# OpenAPI document (lesson 3) quotes these very patterns. Spelled out rather
# than with \s, which means different things in Python and in JSON Schema.
USERNAME = re.compile(r"[\w.-]{1,40}")  # letters, digits, _ . - : safe in a URL path
EMAIL = re.compile(r"[^@\x00-\x20\x7f]{1,64}@[^@\x00-\x20\x7f]{1,255}")


# --8<-- [start:slug_filter]
def slug_filter(config):
    """What ``<slug:slug>`` in a route matches: lowercase letters, digits and
    hyphens, and never the word "feed", which /api/articles/feed (lesson 4)
    keeps for itself. Bottle wants (regex, to Python, to URL)."""
    return r"(?!feed(?:/|$))[a-z0-9-]+", None, None


def id_filter(config):
    """What ``<comment_id:id>`` matches: a positive whole number that fits in a
    SQLite integer (up to 18 digits). Bottle's own ``int`` would pass on any
    length, and SQLite would fail on it with a 500."""
    return r"[1-9][0-9]{0,17}", int, str
# --8<-- [end:slug_filter]


# --8<-- [start:api_error]
def api_error(status: int, field: str, message: str) -> HTTPResponse:
    """An API error in the RealWorld format. ``raise`` it from a route.

    Raising an HTTPResponse stops the route at once, and Bottle sends it as is.
    """
    body = json.dumps({"errors": {field: [message]}})
    return HTTPResponse(body, status, headers={"Content-Type": "application/json"})
# --8<-- [end:api_error]


def viewer() -> dict | None:
    """The logged-in user as ``{"id", "username", ...}``, or None."""
    return request.environ.get(VIEWER_KEY)


def viewer_id() -> int | None:
    user = viewer()
    return user["id"] if user else None


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
WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")  # ten digits: past any real page, never an overflow


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


# --8<-- [start:plugin]
class StorePlugin:
    """Hands the data store to every route that has a ``store`` parameter.

    This is Bottle's plugin seam: ``apply`` wraps each route's callback once,
    when the route is first used. Lesson 2 uninstalls this plugin by its name
    and installs one that opens a database connection per request instead.
    """

    name = "store"
    api = 2

    def __init__(self, store):
        self.store = store

    def apply(self, callback, route):
        if "store" not in route.get_callback_args():
            return callback  # this route does not use the store: leave it alone

        def with_store(*args, **kwargs):
            kwargs["store"] = self.store
            return callback(*args, **kwargs)

        return with_store
# --8<-- [end:plugin]


# --8<-- [start:pages]
def render_page(name: str, **context) -> str:
    """Render ``views/<name>.tpl``. SimpleTemplate escapes ``{{value}}`` by default."""
    context.setdefault("viewer", viewer())
    context.update(stage=request.app.config["stagecraft.stage"], has_route=has_route,
                   quote=quote, **request.environ.get(PAGE_EXTRAS_KEY, {}))
    return bottle.template(name, template_lookup=[VIEWS_DIR], **context)


def has_route(rule: str, method: str = "POST") -> bool:
    """Does the app, at this stage, have this route? Pages show only links that work."""
    return any(r.rule == rule and r.method == method for r in request.app.routes)


PAGE_SIZE = 10


def home_page(store):
    tag = query_text("tag")
    page = query_number("page", 1, 10**6) or 1
    articles, count = store.list_articles(
        tag=tag, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, viewer_id=viewer_id()
    )
    pages = max(1, -(-count // PAGE_SIZE))  # ceiling division
    return render_page("home", articles=articles, tags=store.list_tags(), tag=tag,
                       page=page, pages=pages, title="Home")
# --8<-- [end:pages]


def article_page(slug, store):
    article = store.get_article(slug, viewer_id=viewer_id())
    if article is None:
        raise bottle.HTTPError(404, "No such article.")
    comments = store.list_comments(slug, viewer_id=viewer_id())
    return render_page("article", article=article, comments=comments, title=article["title"])


def profile_page(username, store):
    profile = store.get_profile(username, viewer_id=viewer_id())
    if profile is None:
        raise bottle.HTTPError(404, "No such user.")
    articles, _ = store.list_articles(author=username, limit=50, viewer_id=viewer_id())
    return render_page("profile", profile=profile, articles=articles, title=username)


def static_file(filename):
    return bottle.static_file(filename, root=STATIC_DIR)


# --8<-- [start:errors]
# status: (field, message) for the JSON error body under /api.
ERROR_FIELDS = {
    400: ("request", "is malformed"),
    401: ("token", "is missing"),
    403: ("request", "is forbidden"),
    404: ("path", "not found"),
    405: ("method", "not allowed"),
    413: ("body", "is too large"),
    415: ("body", "must be JSON"),
    422: ("request", "is invalid"),
    429: ("request", "is throttled"),
    500: ("server", "internal error"),
}


def error_handler(error: bottle.HTTPError) -> str:
    """Bottle calls this for errors that no route answered itself."""
    if error.status_code == 500:
        # Log the traceback for us; never send it to the client.
        log.error("500 on %s %s\n%s", request.method, request.path, error.traceback)
    if request.path.startswith("/api/"):
        field, message = ERROR_FIELDS[error.status_code]
        response.content_type = "application/json"
        return json.dumps({"errors": {field: [message]}})
    message = error.body if error.status_code != 500 else "Something went wrong on our side."
    return render_page("error", status=error.status_code, message=message,
                       title=error.status_line)
# --8<-- [end:errors]
