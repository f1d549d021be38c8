"""Lesson 5: CSRF tokens on every form.

Another site can make a visitor's browser post a form to us, and the browser
sends our session cookie along. What the other site cannot do is read our
pages. So every page carries a token, tied to a ``csrf`` cookie of this
browser, and every form post must send it back.

The API needs no token: it reads credentials only from the Authorization
header, which a browser never adds by itself to a request another site makes.
"""

from __future__ import annotations

import hmac
import secrets

import bottle
from bottle import request

from ..api.forms import posted_form
from ..auth.credentials import load_secret
from ..core.pages import add_page_variable
from ..core.web import is_api

CSRF_COOKIE = "csrf"
# Where the check leaves a cookie that headers.py must send to this browser.
NEW_COOKIE_KEY = "stagecraft.new_csrf_cookie"


# --8<-- [start:csrf]
class CsrfGuard:
    def __init__(self, settings):
        # A key for CSRF tokens, derived from the app's secret, used for nothing else.
        self.key = hmac.new(load_secret(settings).encode(), b"csrf", "sha256").digest()

    def token(self, cookie_value: str) -> str:
        return hmac.new(self.key, cookie_value.encode(), "sha256").hexdigest()

    def check(self):
        """A ``before_request`` hook: every page gets a token for this browser's
        cookie; every form post must send back the token of its cookie."""
        if is_api():
            return
        cookie = request.get_cookie(CSRF_COOKIE)
        if not cookie:
            request.environ[NEW_COOKIE_KEY] = secrets.token_urlsafe(32)
        # Every page gets the token, the 403 page below included, so a reload works.
        add_page_variable("csrf_token", self.token(cookie or request.environ[NEW_COOKIE_KEY]))
        if request.method not in ("GET", "HEAD", "OPTIONS") and routed():
            sent = posted_form().get("csrf_token", "")  # not request.forms: see posted_form
            if not cookie or not hmac.compare_digest(sent, self.token(cookie)):
                raise bottle.HTTPError(403, "The form's security token is missing or "
                                            "out of date. Go back, reload the page, and "
                                            "submit it again.")
# --8<-- [end:csrf]


def routed() -> bool:
    """Does any route take this method on this path? This hook runs before the
    router: without a route, its 404 or 405 is the honest answer, not a 403."""
    try:
        request.app.router.match(request.environ)
    except bottle.HTTPError:
        return False
    return True
