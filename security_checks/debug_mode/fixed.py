"""Show an article: GET /api/articles/<article_id>."""

import sqlite3

import bottle


def create_app(db: sqlite3.Connection) -> bottle.Bottle:
    app = bottle.Bottle()
    # Debug mode off, said out loud because the switch is process-wide. A 500
    # page now says only "Internal Server Error"; Bottle still writes the
    # traceback to the server's error log (wsgi.errors), where it belongs.
    bottle.debug(False)

    @app.get("/api/articles/<article_id>")
    def show_article(article_id: str) -> dict:
        # A bug to trigger: int("abc") raises ValueError, so this is a 500.
        query = "SELECT title, body FROM articles WHERE id = ?"
        row = db.execute(query, (int(article_id),)).fetchone()
        if row is None:
            bottle.abort(404, "no such article")
        return {"title": row[0], "body": row[1]}

    return app
