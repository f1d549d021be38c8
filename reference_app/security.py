"""Lesson 5: security hardening.

Nothing here adds a feature; everything here takes an attack away. Each
defence plugs into one of Bottle's seams:

- ``before_request`` hook: refuse oversized or non-JSON bodies, and check the
  CSRF token on every HTML form post;
- ``after_request`` hook: security headers, ``Cache-Control: no-store`` on
  anything personal, CORS for an allowlist of origins;
- a plugin on the routes marked ``throttle="login"``: slow down password
  guessing with a 429 after repeated failures.

The throttle and the CSRF token are hand-written here so that you can read
them. A team would reach for libraries: ``limits`` (or Flask-Limiter's engine)
with Redis storage for throttling, and the CSRF protection of its framework.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
from collections import defaultdict, deque

import bottle
from bottle import request, response

from .api import refuse
from .auth import SESSION_COOKIE, fingerprint
from .credentials import load_secret
from .routing import PAGE_EXTRAS_KEY, api_error
from .settings import SettingsError

audit = logging.getLogger("reference_app.audit")

CSRF_COOKIE = "csrf"
PAGE_CSP = ("default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
            "object-src 'none'; base-uri 'none'")
# Responses that carry credentials or personal data must never sit in a cache.
AUTH_PATHS = {"/api/users", "/api/users/login", "/api/user", "/login", "/register", "/logout"}
WEAK_SECRETS = {"secret", "changeme", "change-me", "password", "jwt-secret", "development"}


# --8<-- [start:install]
def install(app: bottle.Bottle, settings) -> None:
    if settings.production:
        check_production_secret(settings)
    guard = Guard(settings)
    app.config["session.cookie"] = {"secure": True} if settings.behind_tls else {}
    app.add_hook("before_request", guard.check_request)
    app.add_hook("after_request", guard.secure_response)
    wrap_error_handler(app, 500, guard.secure_response)
    app.install(LoginThrottle(settings))
    app.route("/.well-known/security.txt", "GET", security_txt)
# --8<-- [end:install]


# --8<-- [start:secret]
def check_production_secret(settings) -> None:
    """In production the key must come from the environment, where every app
    instance can share it, and it must be long and not a placeholder."""
    secret = settings.jwt_secret or ""
    if not secret:
        raise SettingsError("production needs STAGECRAFT_JWT_SECRET (make one with: "
                            "python -c 'import secrets; print(secrets.token_urlsafe(48))')")
    if len(secret.encode()) < 32 or secret.lower() in WEAK_SECRETS or len(set(secret)) < 8:
        raise SettingsError("STAGECRAFT_JWT_SECRET is too weak: use 32 or more random bytes")
# --8<-- [end:secret]


def wrap_error_handler(app, status, before):
    """Bottle builds a fresh response for a crash *after* the hooks ran, so the
    error handler itself must add the headers to a 500."""
    handler = app.error_handler[status]

    def secured(error):
        before()
        return handler(error)

    app.error_handler[status] = secured


class Guard:
    """The request and response checks, configured from settings."""

    def __init__(self, settings):
        self.settings = settings
        # A key for CSRF tokens, derived from the app's secret, used for nothing else.
        self.csrf_key = hmac.new(load_secret(settings).encode(), b"csrf", "sha256").digest()

    # --8<-- [start:check_request]
    def check_request(self):
        length = request.content_length
        if length > self.settings.max_body_bytes:
            raise refuse(413, "body", f"is too large (maximum is "
                                      f"{self.settings.max_body_bytes} bytes)")
        if request.path.startswith("/api/"):
            if request.method == "OPTIONS" and self.settings.cors_origins:
                raise self.preflight()
            kind = request.content_type.split(";")[0].strip().lower()
            if length > 0 and request.method in ("POST", "PUT", "PATCH") \
                    and kind != "application/json":
                raise api_error(415, "body", "must be JSON (Content-Type: application/json)")
            # The API needs no CSRF token: it reads credentials only from the
            # Authorization header, which a browser never adds by itself to a
            # request another site makes. Cookies, it ignores.
            return
        self.check_csrf()
    # --8<-- [end:check_request]

    # --8<-- [start:csrf]
    def csrf_token(self, cookie_value: str) -> str:
        return hmac.new(self.csrf_key, cookie_value.encode(), "sha256").hexdigest()

    def check_csrf(self):
        """Every page gets a token tied to this browser's csrf cookie; every form
        post must send it back. Another site can make a browser post a form here,
        but cannot read our page to learn the token."""
        cookie = request.get_cookie(CSRF_COOKIE)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            sent = request.forms.get("csrf_token", "")
            if not cookie or not hmac.compare_digest(sent, self.csrf_token(cookie)):
                raise bottle.HTTPError(403, "The form's security token is missing or "
                                            "out of date. Go back, reload the page, and "
                                            "submit it again.")
        if not cookie:
            cookie = secrets.token_urlsafe(32)
            request.environ["stagecraft.new_csrf_cookie"] = cookie
        request.environ.setdefault(PAGE_EXTRAS_KEY, {})["csrf_token"] = self.csrf_token(cookie)
    # --8<-- [end:csrf]

    # --8<-- [start:headers]
    def secure_response(self):
        response.set_header("X-Content-Type-Options", "nosniff")
        response.set_header("Referrer-Policy", "strict-origin-when-cross-origin")
        response.set_header("Content-Security-Policy", PAGE_CSP)
        if self.settings.behind_tls or request.environ.get("wsgi.url_scheme") == "https":
            response.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        personal = (request.get_header("Authorization") or request.get_cookie(SESSION_COOKIE)
                    or request.path in AUTH_PATHS)
        if personal:
            response.set_header("Cache-Control", "no-store")
        new_cookie = request.environ.get("stagecraft.new_csrf_cookie")
        # Pages only. Bottle fills in its default, text/html, after this hook runs.
        if new_cookie and response.content_type in ("", "text/html; charset=UTF-8"):
            response.set_cookie(CSRF_COOKIE, new_cookie, path="/", httponly=True,
                                samesite="lax", secure=self.settings.behind_tls)
        self.allow_origin()
    # --8<-- [end:headers]

    # --8<-- [start:cors]
    def allow_origin(self) -> bool:
        """CORS is off unless an origin is on the allowlist: then, and only then,
        a browser page from that origin may read our API's answers."""
        origin = request.get_header("Origin")
        if not request.path.startswith("/api/") or origin not in self.settings.cors_origins:
            return False
        response.set_header("Access-Control-Allow-Origin", origin)
        response.add_header("Vary", "Origin")
        return True

    def preflight(self) -> bottle.HTTPResponse:
        """The browser's "may I?" before a cross-origin write. Answered only when
        CORS is configured; the after_request hook adds Allow-Origin if the origin
        is on the list, and without that header the browser stops right here."""
        return bottle.HTTPResponse(status=204, headers={
            "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
            "Access-Control-Allow-Headers": "Authorization, Content-Type",
            "Access-Control-Max-Age": "600",
        })
    # --8<-- [end:cors]


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
    """Guards routes marked ``throttle="login"``: after too many failures for one
    account, or from one address, answer 429 with Retry-After, before spending
    any time on the password."""

    name = "throttle"
    api = 2

    def __init__(self, settings, clock=time.monotonic):
        self.settings = settings
        self.counter = FailureCounter(settings.login_window_seconds, clock)

    def apply(self, callback, route):
        if route.config.get("throttle") != "login":
            return callback

        def throttled(*args, **kwargs):
            account, address = account_key(), client_address(self.settings)
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
    if request.path.startswith("/api/"):
        try:
            email = (request.json or {}).get("user", {}).get("email", "")
        except (bottle.HTTPError, AttributeError):
            email = ""
    else:
        email = request.forms.getunicode("email", "")
    return fingerprint(email if isinstance(email, str) else "")


def client_address(settings) -> str:
    """The client's IP address. X-Forwarded-For is only believed behind our own
    proxy: anyone can send the header, so trusting it lets them pick their address."""
    if settings.trust_proxy:
        forwarded = request.get_header("X-Forwarded-For", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.environ.get("REMOTE_ADDR", "unknown")


def security_txt():
    """RFC 9116: whom to tell about a vulnerability. Expires a year from now."""
    response.content_type = "text/plain; charset=utf-8"
    contact = request.app.config["stagecraft.settings"].security_contact
    expires = time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(time.time() + 365 * 86400))
    return f"Contact: {contact}\nExpires: {expires}\nPreferred-Languages: en\n"
