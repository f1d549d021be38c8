"""Lesson 4: auth.

Authentication asks "who are you?"; authorization asks "may you?".

- credentials.py: Argon2id password hashes and signed JWTs;
- plugin.py: the TokenAuthPlugin that replaces lesson 3's demo author;
- accounts.py and pages.py: register, log in and edit yourself, through the
  API and through pages with a session cookie;
- social.py: what a login unlocks: follows, favourites and the feed;
- store.py: the store's accounts, follows and favourites, and each user's
  session key (session_keys.sql), which logout and a password change replace.
"""

from __future__ import annotations

from pathlib import Path

import bottle

from ..core.openapi import describe
from ..core.pages import add_to_slot, add_views
from ..routing.errors import handle_errors
from . import accounts, pages, social
from .credentials import Credentials
from .openapi import ACCOUNT_SCHEMAS, account_paths
from .plugin import TokenAuthPlugin
from .store import SqliteAccountStore, add_session_keys


def install(app: bottle.Bottle, settings) -> None:
    add_session_keys(settings.database, settings.busy_timeout_ms)
    credentials = Credentials(settings)
    app.config["auth.credentials"] = credentials
    app.config["store.class"] = SqliteAccountStore
    # --8<-- [start:swap]
    app.uninstall("auth")  # goodbye, demo author
    auth = app.install(TokenAuthPlugin(credentials))
    # --8<-- [end:swap]
    app.config["pages.find_viewer"] = auth.viewer_for_page  # for error pages
    accounts.add_routes(app)
    pages.add_pages(app)
    social.add_routes(app)
    describe(app, account_paths(), ACCOUNT_SCHEMAS)
    handle_errors(app, {401: ("token", "is missing")})
    add_views(app, Path(__file__).parent / "views")
    add_to_slot(app, "nav", "nav_account")
    add_to_slot(app, "favorite", "favorite_button")
    add_to_slot(app, "profile_actions", "follow_button")
