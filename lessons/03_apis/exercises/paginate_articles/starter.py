"""Exercise paginate_articles: limit/offset pagination with a total count.

A list endpoint that returns every row works with 10 rows and falls over
with a million. The client asks for one page (`?limit=20&offset=40`) and
needs the total to draw "page 3 of 9".
"""

import bottle
import sqlite_utils

DEFAULT_LIMIT, MAX_LIMIT = 20, 100


def parse_pagination(query) -> tuple[int, int, dict[str, list[str]]]:
    """Read `limit` and `offset` from a query mapping: (limit, offset, errors).

    limit: a whole number from 1 to MAX_LIMIT, default DEFAULT_LIMIT.
    offset: a whole number from 0 up, default 0.
    """
    errors: dict[str, list[str]] = {}
    # TODO 1: parse limit; if it is not the digits 0-9 only, or out of range, add
    #         errors["limit"] = ["must be a whole number from 1 to 100"].
    #         (Not str.isdigit(): it accepts "²", which int() refuses.)
    # TODO 2: parse offset (0-9 only, ten digits at most); on a problem,
    #         errors["offset"] = ["must be a whole number from 0"].
    return DEFAULT_LIMIT, 0, errors


def make_app(db: sqlite_utils.Database) -> bottle.Bottle:
    app = bottle.Bottle()

    @app.get("/api/articles")
    def list_articles():
        limit, offset, errors = parse_pagination(bottle.request.query)
        # TODO 3: on errors, answer 422 with {"errors": errors}.
        # TODO 4: fetch only one page, in a stable order (ORDER BY id), using
        #         LIMIT and OFFSET in SQL rather than slicing in Python.
        # TODO 5: articlesCount is the total number of articles, not the page size.
        articles = list(db["articles"].rows)
        return {"articles": articles, "articlesCount": len(articles)}

    return app
