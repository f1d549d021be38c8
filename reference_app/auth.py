"""Lesson 4: auth.

Authentication asks "who are you?"; authorization asks "may you?".

- credentials.py holds the two secrets an account rests on: Argon2id password
  hashes and signed JWTs (``Authorization: Token <jwt>``).
- This module puts them to work: registration and login, for the API and for
  the pages, and a plugin that finds the user behind each request. Pages log
  in with the same token in a session cookie: HttpOnly (scripts cannot read
  it) and SameSite=Lax (other sites cannot post with it).

The visible step of this lesson: lesson 3's DemoAuthorPlugin is uninstalled,
and the TokenAuthPlugin takes its name, "auth". The routes do not change: a
route that said ``auth="required"`` now really requires a user.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from urllib.parse import quote

import bottle
from bottle import request, response

from .api import field_errors, public_user, read_json
from .credentials import Credentials
from .routing import EMAIL, USERNAME, VIEWER_KEY, api_error, render_page, viewer_id

audit = logging.getLogger("reference_app.audit")

SESSION_COOKIE = "session"
PASSWORD_MIN, PASSWORD_MAX = 8, 128


def install(app: bottle.Bottle, settings) -> None:
    credentials = Credentials(settings)
    app.config["auth.credentials"] = credentials
    # --8<-- [start:swap]
    app.uninstall("auth")  # goodbye, demo author
    app.install(TokenAuthPlugin(credentials))
    # --8<-- [end:swap]
    app.route("/api/users", "POST", register)
    # throttle="login" is inert route config until lesson 5's throttle reads it.
    app.route("/api/users/login", "POST", login, throttle="login")
    app.route("/api/user", "GET", current_user, auth="required")
    app.route("/api/user", "PUT", update_user, auth="required")
    app.route("/login", "GET", login_page)
    app.route("/login", "POST", login_submit, throttle="login")
    app.route("/register", "GET", register_page)
    app.route("/register", "POST", register_submit)
    app.route("/logout", "POST", logout)


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
        need = route.config.get("auth")
        if need is None:
            return callback
        require_store(route)
        api = route.rule.startswith("/api/")

        def authenticated(*args, **kwargs):
            store = kwargs["store"]  # opened by the store plugin, which runs first
            user = self.from_header(store) if api else self.from_cookie(store)
            if user is None and need == "required":
                if api:
                    raise api_error(401, "token", "is missing")
                bottle.redirect("/login?next=" + quote(request.path), 303)
            request.environ[VIEWER_KEY] = public_user(user) if user else None
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


def credentials() -> Credentials:
    return request.app.config["auth.credentials"]


def user_json(user: dict) -> dict:
    return {"user": {"email": user["email"], "token": credentials().token_for(user["id"]),
                     "username": user["username"], "bio": user["bio"], "image": user["image"]}}


# --8<-- [start:validation]
def clean_account(data: dict, *, creating: bool) -> tuple[dict, dict]:
    """(changes, errors) for a registration (every field) or a profile edit (some)."""
    changes, errors = {}, {}
    for field, pattern in (("username", USERNAME), ("email", EMAIL)):
        if field not in data and not creating:
            continue
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            errors[field] = ["can't be blank"]
        elif not pattern.fullmatch(value):
            errors[field] = ["is invalid"]
        else:
            changes[field] = value
    if "password" in data or creating:
        password = data.get("password")
        if not isinstance(password, str) or not password:
            errors["password"] = ["can't be blank"]
        elif len(password) < PASSWORD_MIN:
            errors["password"] = [f"is too short (minimum is {PASSWORD_MIN} characters)"]
        elif len(password) > PASSWORD_MAX:  # refused, never silently cut short
            errors["password"] = [f"is too long (maximum is {PASSWORD_MAX} characters)"]
        else:
            changes["password"] = password
    for field in ("bio", "image"):
        if field in data and data[field] is not None and not isinstance(data[field], str):
            errors[field] = ["must be a string"]
        elif field in data:
            changes[field] = data[field] or None  # "" means "clear it"
    if changes.get("image") and not changes["image"].startswith(("https://", "http://")):
        errors["image"] = ["must be an http(s) URL"]
    return changes, errors
# --8<-- [end:validation]


def conflict(fields: list[str]) -> bottle.HTTPResponse:
    """409: that username or email belongs to someone else."""
    return field_errors({field: ["has already been taken"] for field in fields}, status=409)


# --8<-- [start:register]
def register(store):
    changes, errors = clean_account(read_json("user"), creating=True)
    if errors:
        raise field_errors(errors)
    user = create_account(store, changes)
    response.status = 201
    return user_json(user)


def create_account(store, changes):
    taken = store.taken(changes["username"], changes["email"])
    if taken:
        raise conflict(taken)
    password_hash = credentials().hash_password(changes["password"])
    try:
        user = store.create_user(changes["username"], changes["email"], password_hash)
    except sqlite3.IntegrityError:  # someone took the name between our check and insert
        raise conflict(store.taken(changes["username"], changes["email"])) from None
    audit.info("registered user=%s", user["id"])
    return user
# --8<-- [end:register]


# --8<-- [start:login]
def login(store):
    data = read_json("user")
    errors = {field: ["can't be blank"] for field in ("email", "password")
              if not isinstance(data.get(field), str) or not data[field]}
    if errors:
        raise field_errors(errors)
    user = authenticate(store, data["email"], data["password"])
    if user is None:
        raise api_error(401, "credentials", "invalid")
    return user_json(user)


def authenticate(store, email, password):
    """The user if the password is right, else None. Logs the outcome, never the password."""
    user = store.user_by_email(email)
    if not credentials().check_password(user, password):
        audit.warning("login failed account=%s", fingerprint(email))
        return None
    if credentials().hasher.check_needs_rehash(user["password_hash"]):
        # Parameters were raised since this hash was made: upgrade it now, while we
        # briefly know the password.
        store.update_user(user["id"], {"password_hash": credentials().hash_password(password)})
    audit.info("login ok user=%s", user["id"])
    return user
# --8<-- [end:login]


def fingerprint(email: str) -> str:
    """A short hash of an email: enough to see repeated attacks on one account in
    the log, without writing anyone's address into it."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:12]


def current_user(store):
    return user_json(store.user_by_id(viewer_id()))


def update_user(store):
    changes, errors = clean_account(read_json("user"), creating=False)
    if errors:
        raise field_errors(errors)
    taken = store.taken(changes.get("username"), changes.get("email"), except_id=viewer_id())
    if taken:
        raise conflict(taken)
    if "password" in changes:
        changes["password_hash"] = credentials().hash_password(changes.pop("password"))
    return user_json(store.update_user(viewer_id(), changes))


# ---- Pages: the same accounts, through a session cookie ---------------------
def start_session(user) -> None:
    options = dict(request.app.config.get("session.cookie", {}))
    response.set_cookie(SESSION_COOKIE, credentials().token_for(user["id"]),
                        max_age=credentials().ttl, path="/", httponly=True, samesite="lax",
                        **options)


def local_path(target: str | None) -> str:
    """Only redirect to a path on this site: never to another host (an open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def login_page():
    return render_page("login", form={}, errors={}, next=request.query.getunicode("next"),
                       title="Sign in")


def login_submit(store):
    email = request.forms.getunicode("email", "")
    user = authenticate(store, email, request.forms.getunicode("password", ""))
    if user is None:
        response.status = 401
        return render_page("login", form={"email": email}, next=request.forms.get("next"),
                           errors={"credentials": ["invalid"]}, title="Sign in")
    start_session(user)
    bottle.redirect(local_path(request.forms.getunicode("next")), 303)


def register_page():
    return render_page("register", form={}, errors={}, title="Sign up")


def register_submit(store):
    form = {name: request.forms.getunicode(name, "") for name in ("username", "email", "password")}
    changes, errors = clean_account(form, creating=True)
    if not errors:
        try:
            user = create_account(store, changes)
        except bottle.HTTPResponse:  # 409: show it on the form instead
            errors = {field: ["has already been taken"]
                      for field in store.taken(changes["username"], changes["email"])}
    if errors:
        response.status = 422
        form.pop("password")  # never echo a password back into a page
        return render_page("register", form=form, errors=errors, title="Sign up")
    start_session(user)
    bottle.redirect("/", 303)


def logout():
    response.delete_cookie(SESSION_COOKIE, path="/")
    bottle.redirect("/", 303)
