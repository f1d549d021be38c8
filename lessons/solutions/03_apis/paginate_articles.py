"""Solution: paginate_articles."""

import re

import bottle
import sqlite_utils

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
# Digits 0-9 only, and at most ten: inside what SQLite can hold. Not str.isdigit():
# Bottle decodes query strings as Latin-1, so ?offset=%B2 arrives as "²", which
# isdigit() accepts and int() refuses.
WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")


def parse_pagination(query) -> tuple[int, int, dict[str, list[str]]]:
    """Read `limit` and `offset` from a query mapping: (limit, offset, errors)."""
    errors: dict[str, list[str]] = {}
    limit_text = query.get("limit", str(DEFAULT_LIMIT))
    limit = int(limit_text) if WHOLE_NUMBER.fullmatch(limit_text) else 0  # no sign, no dot
    if not 1 <= limit <= MAX_LIMIT:
        errors["limit"] = [f"must be a whole number from 1 to {MAX_LIMIT}"]
    offset_text = query.get("offset", "0")
    offset = int(offset_text) if WHOLE_NUMBER.fullmatch(offset_text) else 0
    if not WHOLE_NUMBER.fullmatch(offset_text):
        errors["offset"] = ["must be a whole number from 0"]
    return limit, offset, errors


def make_app(db: sqlite_utils.Database) -> bottle.Bottle:
    app = bottle.Bottle()

    @app.get("/api/articles")
    def list_articles():
        limit, offset, errors = parse_pagination(bottle.request.query)
        if errors:
            bottle.response.status = 422
            return {"errors": errors}
        # ORDER BY makes pages stable; LIMIT/OFFSET make SQLite do the cutting.
        page = db.query("SELECT * FROM articles ORDER BY id LIMIT ? OFFSET ?", [limit, offset])
        return {"articles": list(page), "articlesCount": db["articles"].count}

    return app
