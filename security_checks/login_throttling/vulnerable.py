"""Log in: POST /api/users/login with a username and a password."""

import time
from collections.abc import Callable

import bottle
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def create_app(users: dict[str, str], clock: Callable[[], float] = time.monotonic) -> bottle.Bottle:
    """Build the app. users maps each username to an Argon2 hash of their password.

    clock returns the time in seconds; tests pass a fake one.
    """
    app = bottle.Bottle()

    def password_ok(username: str, password: str) -> bool:
        try:
            return _hasher.verify(users[username], password)
        except (KeyError, VerificationError, InvalidHashError):
            return False

    @app.post("/api/users/login")
    def login() -> dict:
        username = bottle.request.forms.getunicode("username", "")
        password = bottle.request.forms.getunicode("password", "")
        # Nothing counts failures, so an attacker may guess as often and as fast
        # as the server answers: a wordlist against one account, or a list of
        # leaked username:password pairs against all of them (credential stuffing).
        if not password_ok(username, password):
            bottle.abort(401, "wrong username or password")
        return {"user": username}

    return app
