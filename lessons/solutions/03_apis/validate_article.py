"""Solution: validate_article."""

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
    for field in REQUIRED:
        value = data.get(field)
        if not (isinstance(value, str) and value.strip()):
            errors.setdefault(field, []).append("can't be blank")
    title = data.get("title")
    if isinstance(title, str) and len(title) > MAX_TITLE:
        errors.setdefault("title", []).append(f"is too long (maximum is {MAX_TITLE} characters)")
    tags = data.get("tagList", [])
    if not (isinstance(tags, list) and all(isinstance(tag, str) for tag in tags)):
        errors["tagList"] = ["must be a list of strings"]
    return errors


def make_app() -> bottle.Bottle:
    app = bottle.Bottle()

    @app.post("/api/articles")
    def create_article():
        payload = bottle.request.json  # any JSON at all: a dict, a list, a number, None
        article = payload.get("article") if isinstance(payload, dict) else None
        if not isinstance(article, dict):
            errors = {"article": ["can't be blank"]}
        else:
            errors = validate_article(article)
        if errors:
            bottle.response.status = 422
            return {"errors": errors}
        bottle.response.status = 201
        return {"article": {**article, "slug": slugify(article["title"])}}

    return app
