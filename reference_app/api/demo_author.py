"""Lesson 3's stand-in for logging in: every visitor is the demo author.

Nobody can log in yet (that is lesson 4). Rather than pretend, every write is
signed by one fixed *demo author*, and lesson 4 replaces this plugin, by its
name, with one that checks real credentials.
"""

from __future__ import annotations

import contextlib

import bottle

from ..core.web import set_viewer

DEMO_USERNAME = "demo"
DEMO_EMAIL = "demo@stagecraft.dev"


# --8<-- [start:demo_author_row]
def demo_author(app: bottle.Bottle) -> dict:
    """The demo author's row, created once, when the lesson is installed: never
    by a request, so reading a page never writes to the database."""
    with contextlib.closing(app.config["store.class"](app.config["database.open"])) as store:
        return store.user_by_username(DEMO_USERNAME) or store.ensure_user(DEMO_USERNAME,
                                                                          DEMO_EMAIL)
# --8<-- [end:demo_author_row]


# --8<-- [start:demo_author]
class DemoAuthorPlugin:
    """Before lesson 4, every visitor is the demo author.

    Honest, not secure: anyone can write, and it all shows up as "demo".
    Lesson 4 uninstalls "auth" and installs a plugin that checks credentials,
    reading each route's ``auth=`` config to know who may use it.
    """

    name = "auth"
    api = 2

    def __init__(self, author: dict):
        self.author = author

    def apply(self, callback, route):
        def as_demo_author(*args, **kwargs):
            set_viewer(self.author)
            return callback(*args, **kwargs)

        return as_demo_author
# --8<-- [end:demo_author]
