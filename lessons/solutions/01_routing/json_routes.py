"""Solution: json_routes."""

import json

import bottle

ARTICLES = {
    1: {"id": 1, "slug": "how-to-train-your-dragon", "title": "How to train your dragon"},
    2: {"id": 2, "slug": "bottle-in-one-file", "title": "Bottle in one file"},
}


def json_error(message: str) -> str:
    # Error handlers bypass Bottle's dict-to-JSON step, so encode by hand.
    bottle.response.content_type = "application/json"
    return json.dumps({"errors": {"body": [message]}})


def make_app() -> bottle.Bottle:
    app = bottle.Bottle()

    @app.get("/api/tags")
    def tags():
        return {"tags": ["bottle", "sqlite", "wsgi"]}

    @app.get("/api/articles/<article_id:int>")
    def article(article_id):
        if article_id not in ARTICLES:
            bottle.abort(404)
        return {"article": ARTICLES[article_id]}

    @app.error(404)
    def not_found(error):
        return json_error("not found")

    @app.error(405)
    def method_not_allowed(error):
        return json_error("method not allowed")

    return app
