"""Lesson 4's pages: the same accounts, through a session cookie.

Pages log in with a token like the API's, but made out to the pages (its
audience), so that neither works in the other's place. It is kept in a cookie
that is HttpOnly (scripts cannot read it) and SameSite=Lax (other sites cannot
post with it). Logging out ends the session on the server too.
"""

from __future__ import annotations

import re

import bottle
from bottle import request, response

from ..core.pages import render_page
from ..core.web import see_other, viewer_id
from .accounts import authenticate, create_account, credentials, end_sessions
from .credentials import PAGES
from .plugin import SESSION_COOKIE
from .store import Taken
from .validation import clean_account


def add_pages(app: bottle.Bottle) -> None:
    # --8<-- [start:pages_routes]
    app.route("/login", "GET", login_page, name="login_page")
    app.route("/login", "POST", login_submit, name="login_form")
    app.route("/register", "GET", register_page, name="register_page")
    app.route("/register", "POST", register_submit, name="register_form")
    app.route("/logout", "POST", logout, auth="optional", name="logout")
    # --8<-- [end:pages_routes]


def start_session(user) -> None:
    options = dict(request.app.config.get("session.cookie", {}))
    response.set_cookie(SESSION_COOKIE, credentials().token_for(user, PAGES),
                        max_age=credentials().ttl, path="/", httponly=True, samesite="lax",
                        **options)


# --8<-- [start:local_path]
# Browsers read "\\" as "/" and drop tabs and newlines from URLs, so "/\\evil.example"
# and "/\t/evil.example" both mean "//evil.example": another site.
CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


def local_path(target: str | None) -> str:
    """Only redirect to a path on this site: never to another host (an open redirect)."""
    if (target and target.startswith("/") and not target.startswith(("//", "/\\"))
            and not CONTROL_OR_SPACE.search(target)):
        return target
    return "/"
# --8<-- [end:local_path]


def login_page():
    return render_page("login", form={}, errors={}, next=request.query.getunicode("next"),
                       title="Sign in")


def login_submit(store):
    email = request.forms.getunicode("email", "")
    user = authenticate(store, email, request.forms.getunicode("password", ""))
    if user is None:  # which of the two was wrong is not said: that would confirm an account
        response.status = 401
        return render_page("login", form={"email": email}, next=request.forms.get("next"),
                           errors={"email": ["or password is incorrect"]}, title="Sign in")
    start_session(user)
    raise see_other(local_path(request.forms.getunicode("next")))


def register_page():
    return render_page("register", form={}, errors={}, title="Sign up")


def register_submit(store):
    form = {name: request.forms.getunicode(name, "") for name in ("username", "email", "password")}
    changes, errors = clean_account(form, creating=True)
    if not errors:
        try:
            user = create_account(store, changes)
        except Taken as taken:  # the API's 409, shown on the form instead
            errors = {field: ["has already been taken"] for field in taken.fields}
    if errors:
        response.status = 422
        form.pop("password")  # never echo a password back into a page
        return render_page("register", form=form, errors=errors, title="Sign up")
    start_session(user)
    raise see_other("/")


# --8<-- [start:logout]
def logout(store):
    """Deleting the cookie is not enough: a copy of it would still work. Ending
    the user's sessions on the server makes every copy worthless."""
    if viewer_id() is not None:
        end_sessions(store, viewer_id())
    response.delete_cookie(SESSION_COOKIE, path="/")
    raise see_other("/")
# --8<-- [end:logout]
