"""Lesson 4: accounts through the API. Register, log in, read and edit yourself.

Authentication asks "who are you?"; authorization asks "may you?".
credentials.py holds the two secrets an account rests on (Argon2id password
hashes and signed JWTs); this module puts them to work.
"""

from __future__ import annotations

import hashlib
import logging

import bottle
from bottle import request, response

from ..api.validation import read_json
from ..core.web import api_error, field_errors, viewer, viewer_id
from .credentials import Credentials, new_session_key
from .store import Taken
from .validation import clean_account

audit = logging.getLogger("reference_app.audit")


def add_routes(app: bottle.Bottle) -> None:
    # --8<-- [start:routes]
    app.route("/api/users", "POST", register, name="register")
    app.route("/api/users/login", "POST", login, name="login")
    app.route("/api/user", "GET", current_user, auth="required", name="current_user")
    app.route("/api/user", "PUT", update_user, auth="required", name="update_user")
    # --8<-- [end:routes]


def credentials() -> Credentials:
    return request.app.config["auth.credentials"]


def user_json(user: dict) -> dict:
    return {"user": {"email": user["email"], "token": credentials().token_for(user),
                     "username": user["username"], "bio": user["bio"], "image": user["image"]}}


def conflict(fields: list[str]) -> bottle.HTTPResponse:
    """409: that username or email belongs to someone else."""
    return field_errors({field: ["has already been taken"] for field in fields}, status=409)


# --8<-- [start:register]
def register(store):
    changes, errors = clean_account(read_json("user"), creating=True)
    if errors:
        raise field_errors(errors)
    try:
        user = create_account(store, changes)
    except Taken as taken:
        raise conflict(taken.fields) from None
    response.status = 201
    return user_json(user)


def create_account(store, changes):
    """The new user; raises Taken (a 409 for the API) if the name or email is used."""
    taken = store.taken(changes["username"], changes["email"])
    if taken:  # checked first too, so a taken name costs no slow password hash
        raise Taken(taken)
    password_hash = credentials().hash_password(changes["password"])
    user = store.create_user(changes["username"], changes["email"], password_hash)
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


# --8<-- [start:update_user]
def update_user(store):
    changes, errors = clean_account(read_json("user"), creating=False, current=viewer())
    if errors:
        raise field_errors(errors)
    if "password" in changes:
        changes["password_hash"] = credentials().hash_password(changes.pop("password"))
        # A new password ends every session the old one opened: someone who
        # stole a token, or a cookie, is out. The answer carries a new token.
        changes["session_key"] = new_session_key()
    try:
        user = store.update_user(viewer_id(), changes)
    except Taken as taken:
        raise conflict(taken.fields) from None
    if "session_key" in changes:
        audit.info("password changed, sessions ended user=%s", user["id"])
    return user_json(user)
# --8<-- [end:update_user]


def end_sessions(store, user_id: int) -> None:
    """Log the user out everywhere: a new session key, so that no token issued
    before, API token or session cookie, is theirs any more."""
    store.update_user(user_id, {"session_key": new_session_key()})
    audit.info("sessions ended user=%s", user_id)
