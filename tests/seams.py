"""What a stage test may use beside HTTP (WebTest) and ``create_app``.

Stage tests are the specification, so they go through the front door: WebTest,
``create_app``, settings and the documented seams below. They never import a
lesson's modules, so that they can check a learner's app as well as ours.

- ``settings.database`` is the SQLite file: ``database()``, ``value()`` and
  ``row()`` open it with plain sqlite3, to set up or check data.
- ``app.config["database.tracers"]`` is a list of ``f(sql, params)``, called
  for each statement the app runs: ``traced()`` collects them, and
  ``racing_write()`` lets another writer in at the moment the app starts to write.
- ``app.config["store.class"]`` makes each request's store: ``store_with()``
  swaps some of its methods, to make the store misbehave on purpose.
- a route gets its store as its ``store`` argument, from a plugin: from stage 1 on,
  ``every_article_body()`` installs one more plugin that gives every article the
  same body, to show the pages one that nobody could write yet.
- ``app.config["auth.credentials"]`` (lesson 4) signs tokens: ``token_for(user)``
  makes an API token for a user's row, as ``row()`` reads it.
- lesson 6's in-process cache tells time by ``time.monotonic()``, read at each
  call: a test may move it with ``monkeypatch`` to expire entries.

And helpers that read an answer as a browser would: ``cookie()`` and
``where_a_browser_goes()``.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from http.cookies import Morsel, SimpleCookie
from urllib.parse import urljoin

import jwt


@contextlib.contextmanager
def database(settings):
    """The app's database file through its own sqlite3 connection: committed
    when the block ends without error, and always closed."""
    conn = sqlite3.connect(settings.database)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def value(settings, sql: str, *params):
    """The first column of the first row of ``sql``, read from the app's database."""
    with database(settings) as db:
        return db.execute(sql, params).fetchone()[0]


def row(settings, sql: str, *params) -> dict:
    """The first row of ``sql``, read from the app's database, as {column: value}."""
    with database(settings) as db:
        db.row_factory = sqlite3.Row
        return dict(db.execute(sql, params).fetchone())


# The statements that start a write: a transaction, or a write on its own.
WRITE_START = re.compile(r"\s*(begin|insert|update|delete|replace)\b", re.IGNORECASE)


def is_write(sql: str) -> bool:
    return bool(WRITE_START.match(sql))


@contextlib.contextmanager
def racing_write(app, settings, sql: str, *params):
    """Two requests racing, made deterministic: inside the block, at the moment
    the app starts its next write (``BEGIN IMMEDIATE``, before it holds the
    lock), another connection commits ``sql``. Fails if the app never started a
    write, because then nothing raced it."""
    raced = []

    def other_writer(statement, _params):
        if not raced and is_write(statement):
            raced.append(statement)
            with database(settings) as db:
                db.execute(sql, params)

    tracers = app.config["database.tracers"]
    tracers.append(other_writer)
    try:
        yield
    finally:
        tracers.remove(other_writer)
    assert raced, "the app started no write, so nothing raced it"


@contextlib.contextmanager
def traced(app):
    """Every statement the app runs inside the block, as (sql, params)."""
    statements: list[tuple] = []

    def trace(sql, params):
        statements.append((sql, params))

    app.config["database.tracers"].append(trace)
    try:
        yield statements
    finally:
        app.config["database.tracers"].remove(trace)


def store_with(app, **methods) -> None:
    """From now on every request's store answers ``name=function`` with the
    function instead of its own method. ``store.class`` may hold a class or any
    callable that makes a store, so this wraps it rather than subclassing."""
    make_store = app.config["store.class"]

    def make(open_db):
        store = make_store(open_db)
        for name, method in methods.items():
            setattr(store, name, method)
        return store

    app.config["store.class"] = make


def crash(*args, **kwargs):
    """A store method that fails the way a bug would."""
    raise RuntimeError("a bug in the store")


def every_article_body(app, body: str) -> None:
    """From now on every article a route reads from its store has ``body`` as its body.

    It shows the pages and the API a body that nobody could write yet (stage 1 has
    no writes), from stage 1 on. It needs only lesson 1's promises: a route gets its
    store as its ``store`` argument, and ``store.get_article`` answers the article's
    JSON. A Bottle plugin installed last runs closest to each route, so it sees the
    store the lesson's own plugin handed in, and wraps it.
    """

    class WithBody:
        def __init__(self, store):
            self.store = store

        def __getattr__(self, name):  # everything else: the real store's
            return getattr(self.store, name)

        def get_article(self, slug, **kwargs):
            article = self.store.get_article(slug, **kwargs)
            return article and {**article, "body": body}

    class BodyPlugin:
        name, api = "seams.every_article_body", 2

        def apply(self, callback, route):
            if "store" not in route.get_callback_args():
                return callback

            def with_body(*args, **kwargs):
                kwargs["store"] = WithBody(kwargs["store"])
                return callback(*args, **kwargs)

            return with_body

    app.install(BodyPlugin())


def user_id_of(token: str) -> str:
    """The user id (``sub``) a token names, read without checking its signature."""
    return jwt.decode(token, options={"verify_signature": False})["sub"]


def cookie(response, name: str) -> Morsel:
    """The cookie ``name`` that the response sets; its flags are keys (``"secure"``)."""
    for header in response.headers.getall("Set-Cookie"):
        jar = SimpleCookie(header)
        if name in jar:
            return jar[name]
    raise AssertionError(f"the response sets no {name!r} cookie")


# Redirect targets that lead a browser to another site. It reads "\\" as "/" and
# drops tabs and newlines, so all but the last mean //evil.example.
OFF_SITE = ["//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example",
            "https://evil.example/"]
# Where WebTest's requests come from: the page a redirect is resolved against.
SITE = "http://localhost:80"


def where_a_browser_goes(response) -> str:
    """The URL a browser visits after this redirect, as the WHATWG URL rules
    read its Location: tabs and newlines dropped, "\\" as "/", resolved
    against our page."""
    location = re.sub(r"[\t\n\r]", "", response.location).replace("\\", "/")
    return urljoin(SITE + "/", location)
