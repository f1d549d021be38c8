"""Exercise json_routes: JSON responses, and errors that are JSON too.

An API client parses every response as JSON, including the errors. Bottle's
own 404 and 405 pages are HTML, so an API replaces them.
"""

import json  # noqa: F401  (you will need it for the error handlers)

import bottle

ARTICLES = {
    1: {"id": 1, "slug": "how-to-train-your-dragon", "title": "How to train your dragon"},
    2: {"id": 2, "slug": "bottle-in-one-file", "title": "Bottle in one file"},
}


def make_app() -> bottle.Bottle:
    app = bottle.Bottle()

    @app.get("/api/tags")
    def tags():
        return {"tags": ["bottle", "sqlite", "wsgi"]}  # a dict: Bottle sends JSON

    # TODO 1: GET /api/articles/<article_id:int> returns {"article": ...} from
    #         ARTICLES, or calls bottle.abort(404) when there is no such id.
    # TODO 2: an error handler for 404 that answers
    #         {"errors": {"body": ["not found"]}} with Content-Type application/json.
    # TODO 3: the same for 405, with ["method not allowed"].

    return app
