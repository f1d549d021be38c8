"""Lesson 2: the database.

The demo world moves from memory into a real SQLite file, through sqlite-utils:

- connection.py: how to open SQLite so that several processes can share it,
  and transactions that take the write lock up front;
- schema.sql: the tables;
- store.py: ``SqliteStore``, lesson 1's read contract answered with SQL;
- plugin.py: one store, and one connection, per request.
"""

from __future__ import annotations

import bottle

from .connection import create_schema
from .plugin import DatabasePlugin
from .store import SqliteStore


# --8<-- [start:install]
def install(app: bottle.Bottle, settings) -> None:
    """Swap lesson 1's in-memory store for SQLite: same plugin name, same routes."""
    create_schema(settings.database)
    app.config["store.class"] = SqliteStore
    app.uninstall("store")
    app.install(DatabasePlugin(settings.database, settings.busy_timeout_ms))
# --8<-- [end:install]
