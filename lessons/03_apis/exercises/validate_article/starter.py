"""Exercise validate_article: turn bad input into 422 errors, good input into 201.

Never trust a request body. Check every field, collect every problem (not
just the first), and answer in the RealWorld error shape:
    {"errors": {"title": ["can't be blank"], "body": ["can't be blank"]}}
"""

import re

import bottle

REQUIRED = ("title", "description", "body")
MAX_TITLE = 120


def slugify(title: str) -> str:
    """Given: "Hello, World!" -> "hello-world"."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def validate_article(data) -> dict[str, list[str]]:
    """Return the problems with `data`, by field name; {} when it is valid."""
    errors: dict[str, list[str]] = {}
    # TODO 1: each REQUIRED field must be a string with something other than
    #         spaces in it, else "can't be blank".
    # TODO 2: a title longer than MAX_TITLE: "is too long (maximum is 120 characters)".
    # TODO 3: tagList is optional; if present it must be a list of strings,
    #         else "must be a list of strings".
    return errors


def make_app() -> bottle.Bottle:
    app = bottle.Bottle()

    @app.post("/api/articles")
    def create_article():
        payload = bottle.request.json  # any JSON at all: a dict, a list, a number, None
        article = payload.get("article") if isinstance(payload, dict) else None
        # TODO 4: if `article` is not a dict, or validate_article finds problems,
        #         answer 422 with {"errors": {...}}. A missing "article" is
        #         {"errors": {"article": ["can't be blank"]}}.
        # TODO 5: otherwise answer 201 with the article and its slug.
        return {"article": article}

    return app
