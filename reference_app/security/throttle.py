"""Lesson 5: throttling. Slow guessing down, and lock nobody out.

Locking an account after five wrong passwords lets anyone lock out anyone:
they need only the email. OWASP's Authentication Cheat Sheet says so, and
this throttle follows it. It never locks an account; it slows an address:

- one account from one address: after 5 failures, each next try must wait,
  1 s, then 2, 4, 8... up to the window (15 minutes). The account's owner,
  from their own address, is not slowed at all;
- one address, looser: after 20 failures, for any accounts, it waits out the
  window, and may not sign up meanwhile;
- sign-ups from one address: 10 attempts, then an hour's wait. Each sign-up
  tells whether an email has an account (the spec's 409), so this bounds how
  fast anyone can find out.

A count is forgotten once its key has been left alone for its window (a
day, for an account-and-address), and a successful login forgets its own.
The counts live in counts.py: in the database or in Redis, where every
worker sees them.

Hand-written here so that you can read it. A team would take the counting
from the ``limits`` library (the engine of Flask-Limiter), with its Redis
storage, and keep only the policy.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import bottle
from bottle import request, response

from ..api.validation import read_json
from ..auth.accounts import fingerprint
from ..core.web import is_api, refuse

audit = logging.getLogger("reference_app.audit")

# --8<-- [start:login_routes]
# Lesson 4's routes, by name: the API's and the page's.
LOGIN_ROUTES = {"login", "login_form"}
SIGNUP_ROUTES = {"register", "register_form"}
# --8<-- [end:login_routes]
SIGNUP_WINDOW = 3600  # seconds
# An account-and-address's failures are kept for a day: its waits grow up to the
# login window, and a count forgotten as soon as a wait ended would start it over.
LOGIN_MEMORY = 86400
REFUSALS = {"login": ("credentials", "were wrong too often: try again later"),
            "signup": ("request", "came too often from this address: try again later")}


# --8<-- [start:limit]
@dataclass(frozen=True)
class Limit:
    """``allowed`` attempts under ``key``; then each next one waits ``longest``
    seconds or, with ``backoff``, that many seconds doubled for each attempt
    past ``allowed``, up to ``longest``. A key left alone for ``window``
    seconds starts again from zero."""

    key: str
    allowed: int
    window: int
    longest: int
    backoff: int | None = None

    def wait(self, attempts: int, last_at: float, now: float) -> int:
        """Whole seconds until the next attempt may run; 0 if it may run now."""
        if attempts < self.allowed:
            return 0
        delay = self.longest
        if self.backoff is not None:
            doublings = min(attempts - self.allowed, 32)  # 2**32 s is past any wait
            delay = min(self.backoff * 2 ** doublings, self.longest)
        return max(0, math.ceil(last_at + delay - now))
# --8<-- [end:limit]


# --8<-- [start:throttle]
class Throttle:
    """A plugin for lesson 4's login and sign-up routes. When a limit says
    wait, it answers 429 with Retry-After, before any time goes on a password
    hash; otherwise it runs the route and counts what happened."""

    name = "throttle"
    api = 2

    def __init__(self, settings, counts, clock=time.time):
        self.settings, self.counts, self.clock = settings, counts, clock

    def apply(self, callback, route):
        if route.name not in LOGIN_ROUTES | SIGNUP_ROUTES:
            return callback
        kind = "login" if route.name in LOGIN_ROUTES else "signup"

        def throttled(*args, **kwargs):
            limits = self.limits(kind, client_address(request.environ, self.settings))
            self.refuse_if_waiting(kind, limits)
            try:
                result = callback(*args, **kwargs)
            except bottle.HTTPResponse as answer:  # the API's 401, or a page's redirect
                self.record(kind, answer.status_code, limits)
                raise
            self.record(kind, response.status_code, limits)  # a page's form with 401
            return result

        return throttled

    def limits(self, kind: str, address: str) -> dict[str, Limit]:
        s, window = self.settings, self.settings.login_window_seconds
        limits = {"address": Limit(f"address:{address}", s.login_failures_per_address,
                                   window, longest=window)}
        if kind == "login":
            limits["login"] = Limit(f"login:{account_key()}:{address}",
                                    s.login_failures_before_backoff, LOGIN_MEMORY,
                                    longest=window, backoff=s.login_backoff_seconds)
        else:
            limits["signup"] = Limit(f"signup:{address}", s.signups_per_address,
                                     SIGNUP_WINDOW, longest=SIGNUP_WINDOW)
        return limits

    def refuse_if_waiting(self, kind: str, limits: dict[str, Limit]) -> None:
        now = self.clock()
        wait = max(limit.wait(*self.counts.get(limit.key, now), now)
                   for limit in limits.values())
        if wait:
            audit.warning("%s throttled key=%s wait=%ds", kind, limits[kind].key, wait)
            error = refuse(429, *REFUSALS[kind])
            error.set_header("Retry-After", str(wait))
            raise error

    def record(self, kind: str, status: int, limits: dict[str, Limit]) -> None:
        """Count a failed login for its account-and-address and for its address,
        and every sign-up attempt. A successful login forgets its own failures."""
        if kind == "signup":
            self.count(limits["signup"])
        elif status == 401:
            self.count(limits["login"], limits["address"])
        elif status < 400:
            self.counts.forget(limits["login"].key)

    def count(self, *limits: Limit) -> None:
        self.counts.add({limit.key: limit.window for limit in limits}, self.clock())
# --8<-- [end:throttle]


# --8<-- [start:account_key]
def account_key() -> str:
    """Which account this login is for, as lesson 4's fingerprint of its email.

    Read the way the login route reads it: lesson 3's ``read_json`` for the
    API, the form for pages. Not Bottle's ``request.json``, which gives up on
    a body over 102,400 bytes (MEMFILE_MAX) that the route still reads: such a
    login would be counted under no account at all.
    """
    if is_api():
        try:
            email = read_json("user").get("email")
        except bottle.HTTPResponse:  # not a login at all: the route answers 422, uncounted
            email = ""
    else:
        email = request.forms.getunicode("email", "")
    return fingerprint(email if isinstance(email, str) else "")
# --8<-- [end:account_key]


def client_address(environ, settings) -> str:
    """The client's IP address. X-Forwarded-For is only believed behind our own
    proxy: anyone can send the header, so trusting it lets them pick their address."""
    if settings.trust_proxy:
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return environ.get("REMOTE_ADDR", "unknown")
