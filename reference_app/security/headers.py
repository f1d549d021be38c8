"""Lesson 5: headers that every response gets, 500s included.

This is WSGI middleware rather than an ``after_request`` hook, because Bottle
builds the page for a crash *after* its hooks ran, with fresh headers: a hook's
headers would be missing from exactly the responses an attacker provokes.
Middleware sees the final status and headers of every response
(core/app.py explains the seam).
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from ..auth.plugin import SESSION_COOKIE
from ..core.web import is_api
from .csrf import CSRF_COOKIE, NEW_COOKIE_KEY

# Avatars are images on other sites, over HTTPS (img-src); everything else comes from here.
PAGE_CSP = ("default-src 'self'; img-src 'self' https:; frame-ancestors 'none'; "
            "form-action 'self'; object-src 'none'; base-uri 'none'")
# Responses that carry credentials or personal data must never sit in a cache.
AUTH_PATHS = {"/api/users", "/api/users/login", "/api/user", "/login", "/register", "/logout"}


# --8<-- [start:headers]
class SecureHeaders:
    """Middleware: ``app.add_middleware(SecureHeaders(settings))``."""

    def __init__(self, settings):
        self.settings = settings
        # The same for every response: built once here, not once per request.
        self.always = [("X-Content-Type-Options", "nosniff"),
                       ("Referrer-Policy", "strict-origin-when-cross-origin"),
                       ("Content-Security-Policy", PAGE_CSP)]
        self.hsts = [("Strict-Transport-Security", "max-age=31536000; includeSubDomains")]

    def __call__(self, app):
        def secured(environ, start_response):
            def start(status, headers, exc_info=None):
                return start_response(status, self.headers(environ, headers), exc_info)
            return app(environ, start)
        return secured

    def headers(self, environ, headers: list) -> list:
        """The app's headers, with ours added (or, for Cache-Control, replacing)."""
        headers = [*headers, *self.always]  # a new list: the app's stays as it was
        if self.settings.behind_tls or environ.get("wsgi.url_scheme") == "https":
            headers += self.hsts
        if personal(environ):
            headers = [(k, v) for k, v in headers if k.lower() != "cache-control"]
            headers.append(("Cache-Control", "no-store"))
        new_cookie = environ.get(NEW_COOKIE_KEY)
        if new_cookie and is_page(headers):  # pages only
            headers.append(("Set-Cookie", self.csrf_cookie(new_cookie)))
        if "HTTP_ORIGIN" in environ:  # no Origin, no CORS: most requests have none
            headers += self.cors(environ)
        return headers
    # --8<-- [end:headers]

    def csrf_cookie(self, value: str) -> str:
        cookie = SimpleCookie()
        cookie[CSRF_COOKIE] = value
        cookie[CSRF_COOKIE].update({"path": "/", "httponly": True, "samesite": "Lax",
                                    "secure": self.settings.behind_tls})
        return cookie[CSRF_COOKIE].OutputString()

    # --8<-- [start:cors]
    def cors(self, environ) -> list:
        """CORS is off unless an origin is on the allowlist: then, and only then,
        a browser page from that origin may read our API's answers."""
        origin = environ.get("HTTP_ORIGIN")
        if not is_api(environ.get("PATH_INFO", "")) or origin not in self.settings.cors_origins:
            return []
        return [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
    # --8<-- [end:cors]


def personal(environ) -> bool:
    """Does this request carry credentials, or is it about logging in?"""
    if environ.get("HTTP_AUTHORIZATION") or environ.get("PATH_INFO") in AUTH_PATHS:
        return True
    cookies = environ.get("HTTP_COOKIE", "")
    # Parsing cookies costs more than the rest of this middleware: look first.
    return SESSION_COOKIE in cookies and SESSION_COOKIE in SimpleCookie(cookies)


def is_page(headers: list) -> bool:
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
    return content_type.startswith("text/html")
