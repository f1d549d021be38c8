"""Remember a visitor's preferences in a signed cookie: POST and GET /prefs."""

import base64
import hashlib
import hmac
import json

import bottle

DEFAULT_PREFS = {"theme": "light"}


def _sign(data: dict, secret: str) -> str:
    """Return data as JSON, base64url-encoded, with an HMAC-SHA256 signature after a dot."""
    body = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
    signature = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{signature}"


def _unsign(value: str, secret: str) -> dict | None:
    """Return the data in a value made by _sign, or None if it is not signed with secret."""
    body, _, signature = value.rpartition(".")
    expected = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    if not body or not hmac.compare_digest(signature.encode(), expected.encode()):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(body))
    except ValueError:  # signed with our key, yet not our JSON: a forgery
        return None
    return data if isinstance(data, dict) else None


def create_app(secret: str) -> bottle.Bottle:
    """Build the app. secret is the key that signs the cookie."""
    app = bottle.Bottle()

    @app.post("/prefs")
    def save_prefs() -> dict:
        prefs = {"theme": bottle.request.forms.getunicode("theme", "light")}
        # Signed JSON instead of Bottle's signed pickle: JSON can only ever hold
        # data (strings, numbers, lists, dicts), never an instruction to call code.
        bottle.response.set_cookie("prefs", _sign(prefs, secret), path="/", httponly=True)
        return prefs

    @app.get("/prefs")
    def show_prefs() -> dict:
        # No secret= here: with it, Bottle would unpickle the cookie. A forged
        # cookie is at worst a forged preference, which we can live with.
        return _unsign(bottle.request.get_cookie("prefs", ""), secret) or DEFAULT_PREFS

    return app
