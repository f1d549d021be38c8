"""Lesson 4's auth plugin: who is behind this request?

The visible step of this lesson: lesson 3's DemoAuthorPlugin is uninstalled,
and the TokenAuthPlugin takes its name, "auth". The routes do not change: a
route that said ``auth="required"`` now really requires a user.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

import bottle
from bottle import request

from ..core.web import api_error, is_api, set_viewer
from .credentials import Credentials

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
                bottle.redirect("/login?next=" + quote(request.path), 303)
            set_viewer(user)
            return callback(*args, **kwargs)

        return authenticated

    def from_header(self, store):
        header = request.get_header("Authorization")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        user_id = self.credentials.user_id_from(token) if scheme == "Token" else None
        user = store.user_by_id(user_id) if user_id is not None else None
        if user is None:  # a token was sent, and it is no good: say so, never ignore it
            audit.warning("token rejected path=%s", request.path)
            raise api_error(401, "token", "is invalid")
        return user

    def from_cookie(self, store):
        token = request.get_cookie(SESSION_COOKIE)
        user_id = self.credentials.user_id_from(token) if token else None
        return store.user_by_id(user_id) if user_id is not None else None
# --8<-- [end:plugin]


def require_store(route) -> None:
    """Finding the user needs the database, so a route that asks for auth must
    take ``store``. Say so plainly, when the route is first used."""
    if "store" not in route.get_callback_args():
        raise TypeError(f"{route.method} {route.rule} declares auth= but has no store "
                        "parameter: add one so the auth plugin can look the user up")
