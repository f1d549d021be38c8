"""Lesson 2's store plugin: one store, and at most one connection, per request."""

from __future__ import annotations

import contextlib

from .connection import connect


# --8<-- [start:plugin]
class DatabasePlugin:
    """One store per request, handed to routes as ``store``; it opens at most one
    database connection, and the plugin closes it when the route is done.

    It has the same name as lesson 1's StorePlugin, so it takes its place.
    The store class comes from ``app.config["store.class"]``: later lessons
    give the routes a store that can do more by changing that one setting.

    Two seams, for tools and tests that watch the database:

    - ``app.config["database.open"]`` is the function each request's store
      calls to open its connection: wrap it to watch connections;
    - ``app.config["database.tracers"]`` is a list of functions that
      sqlite-utils calls with ``(sql, params)`` for each statement a store runs:
      one call per ``query()`` or ``execute()``, not counting the SAVEPOINT and
      RELEASE that sqlite-utils wraps around each query. Lesson 6 counts there.
    """

    name = "store"
    api = 2

    def __init__(self, path: str, busy_timeout_ms: int):
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms

    def setup(self, app):
        self.config = app.config
        self.config.setdefault("database.tracers", [])
        self.config["database.open"] = self.open

    def open(self):
        """A new connection to the app's database (the caller closes it)."""
        tracers = self.config["database.tracers"]
        return connect(self.path, self.busy_timeout_ms, tracer=self.trace if tracers else None)

    def trace(self, sql, params):
        for tracer in self.config["database.tracers"]:
            tracer(sql, params)

    def apply(self, callback, route):
        if "store" not in route.get_callback_args():
            return callback

        def with_connection(*args, **kwargs):
            store = self.config["store.class"](self.config["database.open"])
            try:
                kwargs["store"] = store
                return callback(*args, **kwargs)
            finally:
                store.close()  # even when the route raised: no connection outlives its request

        return with_connection
# --8<-- [end:plugin]


# --8<-- [start:count_queries]
@contextlib.contextmanager
def count_queries(app):
    """Collect the SQL of every statement ``app``'s stores run inside the block.

    It listens at ``app.config["database.tracers"]``, so it counts what
    sqlite-utils runs for the app: each ``query()`` or ``execute()`` once, not
    the SAVEPOINT and RELEASE around each query. Lesson 6 uses it to prove a
    list costs the same few queries whatever its length: a count, not a timing,
    so a test of it cannot flake.
    """
    statements: list[str] = []

    def trace(sql, params):
        statements.append(sql)

    app.config["database.tracers"].append(trace)
    try:
        yield statements
    finally:
        app.config["database.tracers"].remove(trace)
# --8<-- [end:count_queries]
