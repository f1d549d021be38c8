"""Lesson 4's auth plugin: who is behind this request?

The visible step of this lesson: lesson 3's DemoAuthorPlugin is uninstalled,
and the TokenAuthPlugin takes its name, "auth". The routes do not change: a
route that said ``auth="required"`` now really requires a user.
"""

from __future__ import annotations

import logging
import sqlite3
from urllib.parse import quote

from bottle import request

from ..core.web import api_error, is_api, see_other, set_viewer, viewer
from .credentials import API, PAGES, Credentials

audit = logging.getLogger("reference_app.audit")

SESSION_COOKIE = "session"
# --8<-- [start:reading_routes]
# Lesson 1's reading routes, by name. Anyone may read; a logged-in reader also
# learns what they favourited and whom they follow, so the plugin looks for a
# user on these routes too ("optional"), without requiring one.
READING_ROUTES = {"list_articles", "get_article", "list_comments", "get_profile",
                  "home_page", "article_page", "profile_page"}
# --8<-- [end:reading_routes]


# --8<-- [start:plugin]
class TokenAuthPlugin:
    """Finds the user behind a request, for routes that declare ``auth=...``.

    API routes read ``Authorization: Token <jwt>``; pages read the session
    cookie. ``auth="required"`` turns away anonymous requests (401 for the
    API, a redirect to the login page for pages); ``"optional"`` lets them in.
    """

    name = "auth"
    api = 2

    def __init__(self, credentials: Credentials):
        self.credentials = credentials

    def apply(self, callback, route):
        need = route.config.get("auth") or ("optional" if route.name in READING_ROUTES
                                            else None)
        if need is None:
            return callback
        require_store(route)
        api = is_api(route.rule)

        def authenticated(*args, **kwargs):
            store = kwargs["store"]  # opened by the store plugin, which runs first
            user = self.from_header(store) if api else self.from_cookie(store)
            if user is None and need == "required":
                if api:
                    raise api_error(401, "token", "is missing")
                raise see_other("/login?next=" + quote(request.path))
            set_viewer(user)
            return callback(*args, **kwargs)

        return authenticated

    def viewer_for_page(self) -> dict | None:
        """Who the session cookie names, for a page no route wrapped: an error
        page (core/pages.py asks here). It only draws the top bar; it grants nothing."""
        store = request.app.config["store.class"](request.app.config["database.open"])
        try:
            set_viewer(self.from_cookie(store))
        except sqlite3.Error:  # this may be the 500 page of a failing database
            set_viewer(None)
        finally:
            store.close()
        return viewer()

    def from_header(self, store):
        # From the WSGI environ: request.get_header() would first build a dict of
        # every header, and this runs on every API read, signed in or not.
        header = request.environ.get("HTTP_AUTHORIZATION")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        user = self.user_for(store, token, API) if scheme == "Token" else None
        if user is None:  # a token was sent, and it is no good: say so, never ignore it
            audit.warning("token rejected path=%s", request.path)
            raise api_error(401, "token", "is invalid")
        return user

    def from_cookie(self, store):
        token = request.get_cookie(SESSION_COOKIE)
        return self.user_for(store, token, PAGES) if token else None

    def user_for(self, store, token: str, audience: str) -> dict | None:
        """The user a valid token for ``audience`` names, if its session is still theirs."""
        found = self.credentials.read_token(token, audience)
        user = store.user_by_id(found[0]) if found else None
        # A token is only good while it carries the user's current session key.
        # Logout and a password change replace the key, which ends every token
        # issued before. This is the price of ending sessions: a token is no
        # longer enough on its own, the server must look the key up. It costs
        # no extra query, since the user's row is read on every request anyway.
        if user is None or user.get("session_key") != found[1]:
            return None
        return user
# --8<-- [end:plugin]


def require_store(route) -> None:
    """Finding the user needs the database, so a route that asks for auth must
    take ``store``. Say so plainly, when the route is first used."""
    if "store" not in route.get_callback_args():
        raise TypeError(f"{route.method} {route.rule} declares auth= but has no store "
                        "parameter: add one so the auth plugin can look the user up")
