"""Solution: hello_routes."""

import bottle


def make_app() -> bottle.Bottle:
    """Build and return a new app. Never use Bottle's global default app."""
    app = bottle.Bottle()

    @app.get("/")
    def index():
        return "Stagecraft is running.\n"

    @app.get("/hello")
    def hello():
        return "Hello, world!"

    @app.get("/hello/<name>")
    def hello_name(name):
        return f"Hello, {name}!"

    @app.get("/square/<n:int>")
    def square(n):
        return str(n * n)  # a body must be text or bytes, not an int

    return app
