"""Lesson 5: login throttling. Slow down password guessing.

After repeated failures for one account, or from one client address, the
login routes answer 429 with Retry-After until the window passes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict, deque

import bottle
from bottle import request, response

from ..auth.accounts import fingerprint
from ..core.web import is_api, refuse

audit = logging.getLogger("reference_app.audit")

# --8<-- [start:login_routes]
# Lesson 4's login routes, by name: the API's and the page's.
LOGIN_ROUTES = {"login", "login_form"}
# --8<-- [end:login_routes]


# --8<-- [start:throttle]
class FailureCounter:
    """Failed attempts per key within a sliding window, in this process's memory.

    With several worker processes each keeps its own count, so an attacker gets
    up to (limit x workers) tries: lesson 6's Redis is where a shared one lives.
    """

    def __init__(self, window_seconds, clock=time.monotonic):
        self.window, self.clock = window_seconds, clock
        self.failures = defaultdict(deque)
        self.lock = threading.Lock()  # the development server runs a thread per request

    def _recent(self, key):
        times, now = self.failures[key], self.clock()
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, key, limit) -> int:
        """Seconds until ``key`` may try again; 0 if it may try now."""
        with self.lock:
            times = self._recent(key)
            if len(times) < limit:
                return 0
            return max(1, int(times[-limit] + self.window - self.clock()) + 1)

    def fail(self, key):
        with self.lock:
            self._recent(key).append(self.clock())

    def forget(self, key):
        with self.lock:
            self.failures.pop(key, None)


class LoginThrottle:
    """Guards lesson 4's login routes: after too many failures for one account,
    or from one address, answer 429 with Retry-After, before spending any time
    on the password."""

    name = "throttle"
    api = 2

    def __init__(self, settings, clock=time.monotonic):
        self.settings = settings
        self.counter = FailureCounter(settings.login_window_seconds, clock)

    def apply(self, callback, route):
        if route.name not in LOGIN_ROUTES:
            return callback

        def throttled(*args, **kwargs):
            account, address = account_key(), client_address(request.environ, self.settings)
            limits = {("account", account): self.settings.login_failures_per_account,
                      ("address", address): self.settings.login_failures_per_address}
            wait = max(self.counter.retry_after(key, limit) for key, limit in limits.items())
            if wait:
                audit.warning("login throttled account=%s address=%s", account, address)
                error = refuse(429, "credentials", "were wrong too often: try again later")
                error.set_header("Retry-After", str(wait))
                raise error
            try:
                result = callback(*args, **kwargs)
            except bottle.HTTPResponse as answer:  # the API's 401, or a page's redirect
                self.record(answer.status_code, account, address)
                raise
            self.record(response.status_code, account, address)  # a page's form with 401
            return result

        return throttled

    def record(self, status, account, address):
        if status == 401:
            self.counter.fail(("account", account))
            self.counter.fail(("address", address))
        elif status < 400:  # a success clears the account's count, not the address's
            self.counter.forget(("account", account))
# --8<-- [end:throttle]


def account_key() -> str:
    """Which account this login is for, from a JSON body or a form."""
    if is_api():
        try:
            email = (request.json or {}).get("user", {}).get("email", "")
        except (bottle.HTTPError, AttributeError):
            email = ""
    else:
        email = request.forms.getunicode("email", "")
    return fingerprint(email if isinstance(email, str) else "")


def client_address(environ, settings) -> str:
    """The client's IP address. X-Forwarded-For is only believed behind our own
    proxy: anyone can send the header, so trusting it lets them pick their address."""
    if settings.trust_proxy:
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return environ.get("REMOTE_ADDR", "unknown")
