"""Solution: csrf_token."""

import hmac
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
    return session.setdefault("csrf_token", secrets.token_urlsafe(32))


def check_token(session: dict, submitted: str | None) -> bool:
    """True only if `submitted` equals the session's token."""
    expected = session.get("csrf_token")
    if not expected or not submitted:  # "" == "" must never count as a match
        return False
    # Constant time, on bytes: compare_digest rejects non-ASCII str.
    return hmac.compare_digest(expected.encode(), submitted.encode())


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
        if not check_token(current_session(), bottle.request.forms.get("csrf_token")):
            bottle.abort(403, "bad CSRF token")
        return "Saved"

    return app
