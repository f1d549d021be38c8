"""Server-rendered pages: one layout, template folders and named slots.

Each lesson keeps its templates in its own ``views/`` folder and adds it with
``add_views``. A page that a later lesson extends leaves a named *slot*:

    {{!slot("article_actions", article=article)}}

Lesson 1's article page knows nothing of editing; lesson 3 calls
``add_to_slot(app, "article_actions", "article_owner_actions")`` and its
template draws the Edit and Delete buttons there. A slot nobody filled draws
nothing. So a page never asks "does the app have this route yet?".
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import bottle
from bottle import request

from .web import VIEWER_KEY, viewer

CORE_DIR = Path(__file__).parent
STATIC_DIR = str(CORE_DIR / "static")
# Values every page template gets on this request (lesson 5 adds its CSRF token).
PAGE_VARIABLES_KEY = "stagecraft.page_variables"


def add_views(app: bottle.Bottle, folder: str | Path) -> None:
    """Let ``render_page`` find templates in ``folder`` (a lesson's ``views/``)."""
    app.config.setdefault("pages.views", [str(CORE_DIR / "views")])
    app.config["pages.views"] = [*app.config["pages.views"], str(folder)]


def add_to_slot(app: bottle.Bottle, slot: str, template: str) -> None:
    """Draw ``template`` wherever a page leaves the slot named ``slot``."""
    slots = dict(app.config.get("pages.slots", {}))
    slots[slot] = [*slots.get(slot, []), template]
    app.config["pages.slots"] = slots


def add_page_variable(name: str, value) -> None:
    """Give every template rendered for this request the variable ``name``."""
    request.environ.setdefault(PAGE_VARIABLES_KEY, {})[name] = value


# --8<-- [start:render_page]
def render_page(name: str, **context) -> str:
    """Render ``<name>.tpl`` from the lessons' folders. SimpleTemplate escapes
    ``{{value}}`` by default; ``{{!value}}`` is only for HTML we made."""
    context.setdefault("viewer", page_viewer())
    context.update(stage=request.app.config["stagecraft.stage"], quote=quote,
                   field_state=field_state, **request.environ.get(PAGE_VARIABLES_KEY, {}))
    context["slot"] = lambda slot, **more: fill_slot(slot, {**context, **more})
    return bottle.template(name, template_lookup=request.app.config["pages.views"], **context)


def page_viewer() -> dict | None:
    """Who is signed in, for the top bar. The auth plugin says so for the routes
    it wraps. An error page ran no route, so no plugin: it asks the function in
    ``app.config["pages.find_viewer"]``, which lesson 4 sets (before it, nobody
    can sign in)."""
    if VIEWER_KEY in request.environ:
        return viewer()
    find = request.app.config.get("pages.find_viewer")
    return find() if find else None


def fill_slot(slot: str, context: dict) -> str:
    """The HTML of every template added to ``slot``, in the order lessons added them."""
    templates = request.app.config.get("pages.slots", {}).get(slot, [])
    return "".join(bottle.template(name, template_lookup=request.app.config["pages.views"],
                                   **context) for name in templates)
# --8<-- [end:render_page]


# --8<-- [start:field_state]
def field_state(errors: dict, field: str) -> str:
    """A form field's ARIA attributes: ``<input ... {{!field_state(errors, 'title')}}>``.

    With a problem, the field says it is invalid and names its message (the
    ``<field>-error`` paragraph of field_errors.tpl) as its description, so a
    screen reader reads the message with the field. Without one: nothing.
    ``field`` is a name we wrote in the template, never the visitor's text.
    """
    if not errors.get(field):
        return ""
    return f'aria-invalid="true" aria-describedby="{field}-error"'
# --8<-- [end:field_state]
