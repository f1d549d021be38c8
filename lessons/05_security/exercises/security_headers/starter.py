"""Exercise security_headers: security headers on every response.

A few response headers tell the browser to refuse whole classes of attack:
guessing content types, framing your page (clickjacking), leaking URLs in
the Referer header, loading scripts from anywhere. They must be on EVERY
response, including error pages, so they belong in a hook, not in routes.
"""

import bottle

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


def install_security_headers(app: bottle.Bottle) -> None:
    """Make `app` send SECURITY_HEADERS on every response."""
    # TODO 1: register an "after_request" hook on `app` (not on Bottle's
    #         default app) that sets each header on bottle.response.
    # TODO 2: use set_header, not add_header, so that nothing is ever doubled.


def make_app() -> bottle.Bottle:
    app = bottle.Bottle()

    @app.get("/hello")
    def hello():
        # TODO 3: this per-route loop misses every other route and every
        #         error page. Delete it once the hook works.
        for name, value in SECURITY_HEADERS.items():
            bottle.response.set_header(name, value)
        return "Hello"

    @app.get("/api/ping")
    def ping():
        return {"pong": True}

    @app.get("/boom")
    def boom():
        bottle.abort(500, "something broke")

    install_security_headers(app)
    return app
