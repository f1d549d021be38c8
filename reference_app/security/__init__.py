"""Lesson 5: security hardening.

Nothing here adds a feature; everything here takes an attack away. Each
defence plugs into one seam:

- limits.py, a ``before_request`` hook: refuse oversized or non-JSON bodies;
- csrf.py, a ``before_request`` hook: check the CSRF token on every form post;
- headers.py, WSGI middleware: security headers, ``Cache-Control: no-store``
  on anything personal, CORS for an allowlist of origins, on every response,
  500s included;
- throttle.py, a plugin on the login and sign-up routes: slows guessing down,
  with its counts in the database or Redis (counts.py), shared by every worker.

The throttle and the CSRF token are hand-written here so that you can read
them. A team would reach for libraries: ``limits`` (the engine of
Flask-Limiter) with its Redis storage for throttling, and the CSRF protection
of its framework.
"""

from __future__ import annotations

import time
from pathlib import Path

from bottle import request, response

from ..auth.credentials import MIN_SECRET_BYTES
from ..core import App, SettingsError
from ..core.openapi import describe, document, more_errors
from ..core.pages import add_to_slot, add_views
from ..routing.errors import handle_errors
from .counts import make_counts
from .csrf import CsrfGuard
from .headers import SecureHeaders
from .limits import RequestLimits
from .throttle import Throttle

WEAK_SECRETS = {"secret", "changeme", "change-me", "password", "jwt-secret", "development"}


# --8<-- [start:install]
def install(app: App, settings) -> None:
    if settings.production:
        check_production_secret(settings)
    app.config["session.cookie"] = {"secure": True} if settings.behind_tls else {}
    app.add_hook("before_request", RequestLimits(settings).check)
    app.add_hook("before_request", CsrfGuard(settings).check)
    app.add_middleware(SecureHeaders(settings))
    app.install(Throttle(settings, make_counts(settings)))
    describe(app, openapi_part(app))
    handle_errors(app, {413: ("body", "is too large"), 415: ("body", "must be JSON"),
                        429: ("request", "is throttled")})
    app.route("/.well-known/security.txt", "GET", security_txt, name="security_txt")
    add_views(app, Path(__file__).parent / "views")
    add_to_slot(app, "head", "csrf_meta")
    add_to_slot(app, "form_fields", "csrf_field")
# --8<-- [end:install]


def openapi_part(app: App) -> dict:
    """This lesson's answers, added to operations that lessons 3 and 4 described:
    as limits.py checks every request, 413 (a body too large) to every one, and
    415 (a body that is not JSON) to every POST and PUT, whether it takes a body
    or not; and the throttle's 429, with Retry-After, to the two routes it guards."""
    part = {path: {method: more_errors("413", "415") if method in ("post", "put")
                   else more_errors("413") for method in operations}
            for path, operations in document(app)["paths"].items()}
    for path in ("/api/users", "/api/users/login"):
        answer = more_errors("429")["responses"]["429"]
        answer["headers"] = {"Retry-After": {"description": "Seconds to wait",
                                             "schema": {"type": "integer", "minimum": 1}}}
        part[path]["post"]["responses"]["429"] = answer
    return part


# --8<-- [start:secret]
def check_production_secret(settings) -> None:
    """In production the key must come from the environment, where every app
    instance can share it, and it must be long and not a placeholder."""
    secret = settings.jwt_secret or ""
    if not secret:
        raise SettingsError("production needs STAGECRAFT_JWT_SECRET (make one with: "
                            "python -c 'import secrets; print(secrets.token_urlsafe(48))')")
    too_short = len(secret.encode()) < MIN_SECRET_BYTES  # lesson 4's rule
    if too_short or secret.lower() in WEAK_SECRETS or len(set(secret)) < 8:
        raise SettingsError("STAGECRAFT_JWT_SECRET is too weak: use 32 or more random bytes")
# --8<-- [end:secret]


def security_txt():
    """RFC 9116: whom to tell about a vulnerability. Expires a year from now."""
    response.content_type = "text/plain; charset=utf-8"
    contact = request.app.config["stagecraft.settings"].security_contact
    expires = time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(time.time() + 365 * 86400))
    return f"Contact: {contact}\nExpires: {expires}\nPreferred-Languages: en\n"
