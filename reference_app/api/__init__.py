"""Lesson 3: APIs.

The app learns to write: create, edit and delete articles and comments,
through JSON (routes.py) and through HTML forms (forms.py). An API is a
contract, so this lesson is mostly about saying no well: validation with
field-keyed errors (validation.py), the right status code for each outcome,
and an OpenAPI document that describes it all (openapi.py).

Nobody can log in yet (that is lesson 4): every write is signed by the demo
author (demo_author.py).
"""

from __future__ import annotations

from pathlib import Path

import bottle

from ..core.openapi import describe
from ..core.pages import add_to_slot, add_views
from ..routing.errors import handle_errors
from .demo_author import DemoAuthorPlugin, demo_author
from .forms import add_forms
from .openapi import WRITE_PATHS, WRITE_SCHEMAS, add_openapi
from .routes import add_routes
from .store import WritingStore


# --8<-- [start:install]
def install(app: bottle.Bottle, settings) -> None:
    app.config["store.class"] = WritingStore  # the seam lesson 2 left: a store that writes
    app.install(DemoAuthorPlugin(demo_author(app)))
    add_routes(app)
    add_forms(app)
    add_openapi(app)
    describe(app, WRITE_PATHS, WRITE_SCHEMAS)
    handle_errors(app, {403: ("request", "is forbidden")})
    add_views(app, Path(__file__).parent / "views")
    add_to_slot(app, "nav", "nav_editor")
    add_to_slot(app, "article_actions", "article_owner_actions")
    add_to_slot(app, "comment_form", "comment_form")
    add_to_slot(app, "comment_actions", "comment_owner_actions")
# --8<-- [end:install]
