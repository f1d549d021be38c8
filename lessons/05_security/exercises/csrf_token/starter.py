"""Exercise csrf_token: the synchronizer token pattern.

A browser sends your session cookie with EVERY request to your site, even a
form that another site submits. The server must tell "my own form" from
"a form on evil.example". The synchronizer token does it: a secret random
value stored in the session AND written into your own forms. Another site
cannot read it, so it cannot send it back.
"""

import hmac  # noqa: F401  (you will need it)
import secrets

import bottle

SESSIONS: dict[str, dict] = {}  # session id -> session data (given: a toy store)


def current_session() -> dict:
    """Given: the session for this browser, by a random cookie."""
    session_id = bottle.request.get_cookie("sid")
    if session_id not in SESSIONS:
        session_id = secrets.token_urlsafe(16)
        SESSIONS[session_id] = {}
        bottle.response.set_cookie("sid", session_id, httponly=True, samesite="lax", path="/")
    return SESSIONS[session_id]


def issue_token(session: dict) -> str:
    """Return the session's CSRF token, creating it on first use."""
    # TODO 1: if the session has no "csrf_token", store secrets.token_urlsafe(32)
    #         there. Return the session's token (the same one every time).
    raise NotImplementedError("issue_token")


def check_token(session: dict, submitted: str | None) -> bool:
    """True only if `submitted` equals the session's token."""
    # TODO 2: False if either side is missing or empty ("" == "" must not pass!).
    # TODO 3: compare with hmac.compare_digest on bytes (constant time).
    raise NotImplementedError("check_token")


def make_app() -> bottle.Bottle:
    app = bottle.Bottle()

    @app.get("/settings")
    def settings_form():
        token = issue_token(current_session())
        return ('<form method="post" action="/settings">'
                f'<input type="hidden" name="csrf_token" value="{token}">'
                '<input name="bio"><button>Save</button></form>')

    @app.post("/settings")
    def save_settings():
        # TODO 4: abort(403, "bad CSRF token") unless check_token passes for
        #         the submitted form field "csrf_token".
        return "Saved"

    return app
