"""Log in: POST /api/users/login with a username and a password."""

import time
from collections.abc import Callable

import bottle
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

# At most this many failed logins per account, and per client address, within
# WINDOW seconds. Past that, even the right password gets 429 until the oldest
# failure is WINDOW seconds old.
LIMITS = {"account": 5, "address": 20}
WINDOW = 15 * 60


def create_app(users: dict[str, str], clock: Callable[[], float] = time.monotonic) -> bottle.Bottle:
    """Build the app. users maps each username to an Argon2 hash of their password.

    clock returns the time in seconds; tests pass a fake one.
    """
    app = bottle.Bottle()
    # ("account", name) or ("address", ip) -> times of recent failures. One
    # process's memory is enough for a lesson; several processes would share a
    # store such as Redis.
    failures: dict[tuple[str, str], list[float]] = {}

    def password_ok(username: str, password: str) -> bool:
        try:
            return _hasher.verify(users[username], password)
        except (KeyError, VerificationError, InvalidHashError):
            return False

    def too_many_failures(key: tuple[str, str]) -> bool:
        recent = [t for t in failures.get(key, []) if clock() - t < WINDOW]
        failures[key] = recent
        return len(recent) >= LIMITS[key[0]]

    @app.post("/api/users/login")
    def login() -> dict:
        username = bottle.request.forms.getunicode("username", "")
        password = bottle.request.forms.getunicode("password", "")
        # REMOTE_ADDR is the address the connection came from. Bottle's
        # request.remote_addr prefers the X-Forwarded-For header, which any
        # client can write, so an attacker could claim a new address each time.
        keys = [("account", username), ("address", bottle.request.environ.get("REMOTE_ADDR", ""))]
        if any(too_many_failures(key) for key in keys):
            bottle.abort(429, "too many failed logins; try again later")
        if not password_ok(username, password):
            for key in keys:
                failures[key].append(clock())
            bottle.abort(401, "wrong username or password")
        failures.pop(("account", username), None)
        return {"user": username}

    return app
