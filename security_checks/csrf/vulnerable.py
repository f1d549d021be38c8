"""Change your email address with an HTML form, logged in with a session cookie."""

import secrets

import bottle

FORM = bottle.SimpleTemplate(
    """<form method="post" action="/settings/email">
  <input name="email" value="{{email}}">
  <button>Save</button>
</form>
"""
)


def create_app(emails: dict[str, str]) -> bottle.Bottle:
    """Build the app. emails maps each username to an email address, and is updated in place."""
    app = bottle.Bottle()
    sessions: dict[str, str] = {}  # session id -> username

    @app.post("/login")
    def login() -> dict:
        # No password here: this exercise is about what happens after login.
        username = bottle.request.forms.getunicode("username", "")
        if username not in emails:
            bottle.abort(401, "unknown user")
        session_id = secrets.token_urlsafe(32)
        sessions[session_id] = username
        bottle.response.set_cookie("session", session_id, path="/", httponly=True)
        return {"user": username}

    def current_session() -> str:
        """Return the session id from the cookie, or stop with 401."""
        session_id = bottle.request.get_cookie("session", "")
        if session_id not in sessions:
            bottle.abort(401, "log in first")
        return session_id

    @app.get("/settings")
    def settings() -> str:
        session_id = current_session()
        return FORM.render(email=emails[sessions[session_id]])

    @app.post("/settings/email")
    def change_email() -> dict:
        session_id = current_session()
        # The browser attaches the session cookie to every request to this site,
        # including one sent by a form on the attacker's page. The cookie proves
        # who the user is, not that the user meant to send this request.
        emails[sessions[session_id]] = bottle.request.forms.getunicode("email", "")
        return {"email": emails[sessions[session_id]]}

    return app
