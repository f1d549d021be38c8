"""Lesson 1: routing.

A request arrives as a method and a path; routing picks the function that
answers it. This package sets up what every later stage keeps:

- the read-only API routes (routes.py) and the pages (pages.py), on an
  explicit Bottle app, each with a name;
- the API's error format, and error handlers that answer JSON under ``/api``
  and HTML elsewhere (errors.py);
- a *store* handed to each route by a plugin (store.py). Here it is a small
  in-memory demo world; lesson 2 swaps in SQLite without touching a route.
"""

from __future__ import annotations

from pathlib import Path

import bottle

from ..core.openapi import describe
from ..core.pages import add_views
from . import errors, pages, routes
from .openapi import READ_SCHEMAS, read_paths
from .store import MemoryStore, StorePlugin, load_demo_data


# --8<-- [start:install]
def install(app: bottle.Bottle, settings) -> None:
    """Add lesson 1's routes, pages, error handlers and store to ``app``."""
    app.install(StorePlugin(MemoryStore(load_demo_data())))  # see store.py
    app.router.add_filter("slug", routes.slug_filter)
    app.router.add_filter("id", routes.id_filter)
    routes.add_routes(app)
    pages.add_pages(app)
    add_views(app, Path(__file__).parent / "views")
    errors.handle_errors(app, errors.ERROR_FIELDS)
    describe(app, read_paths(), READ_SCHEMAS)
# --8<-- [end:install]
