"""Exercise hello_routes: static and dynamic routes on an explicit Bottle app."""

import bottle


def make_app() -> bottle.Bottle:
    """Build and return a new app. Never use Bottle's global default app."""
    app = bottle.Bottle()

    @app.get("/")
    def index():
        return "Stagecraft is running.\n"

    # TODO 1: GET /hello returns the text "Hello, world!"
    # TODO 2: GET /hello/<name> returns "Hello, <name>!" for any name.
    # TODO 3: GET /square/<n:int> returns n squared, as text: "/square/7" -> "49".
    #         A path like /square/seven must not match (Bottle then answers 404).

    return app
