"""Solution: security_headers."""

import bottle

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


def install_security_headers(app: bottle.Bottle) -> None:
    """Make `app` send SECURITY_HEADERS on every response."""

    @app.hook("after_request")  # runs for error pages too, unlike code in a route
    def add_security_headers():
        for name, value in SECURITY_HEADERS.items():
            bottle.response.set_header(name, value)  # set, not add: never doubled


def make_app() -> bottle.Bottle:
    app = bottle.Bottle()

    @app.get("/hello")
    def hello():
        return "Hello"

    @app.get("/api/ping")
    def ping():
        return {"pong": True}

    @app.get("/boom")
    def boom():
        bottle.abort(500, "something broke")

    install_security_headers(app)
    return app
