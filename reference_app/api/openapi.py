"""Lesson 3's part of the OpenAPI document, and the route that serves it all.

The limits below are quoted from validation.py, the code that enforces them,
so the document and the app cannot disagree.
"""

from __future__ import annotations

import bottle
from bottle import request

from ..core.openapi import CONTROL, document, operation, path_param, ref, sent, text, wrapped
from ..routing.openapi import ARTICLE, SLUG
from .validation import MAX_LENGTH, MAX_TAGS

TAG_LIST = {"type": "array", "maxItems": MAX_TAGS,
            "items": {"type": "string", "maxLength": MAX_LENGTH["tag"],
                      "not": {"pattern": CONTROL}},
            "description": "Kept in the order sent; blank tags and repeats are dropped."}
TITLE, DESCRIPTION = text(MAX_LENGTH["title"]), text(MAX_LENGTH["description"])
BODY = text(MAX_LENGTH["body"], multiline=True)
COMMENT = text(MAX_LENGTH["comment"], multiline=True)
COMMENT_ID = path_param("comment_id", {"type": "integer", "minimum": 1,
                                       "maximum": 999_999_999_999_999_999})

WRITE_SCHEMAS = {
    "NewArticle": sent(("article",), article=sent(
        ("title", "description", "body"), title=TITLE, description=DESCRIPTION, body=BODY,
        tagList=TAG_LIST)),
    "UpdateArticle": sent(("article",), article=sent(
        (), title=TITLE, description=DESCRIPTION, body=BODY, tagList=TAG_LIST)),
    "NewComment": sent(("comment",), comment=sent(("body",), body=COMMENT)),
}

WRITE_PATHS = {
    "/api/articles": {"post": operation("create article", ("201", ARTICLE), auth="required",
                                        body="NewArticle")},
    "/api/articles/{slug}": {
        "put": operation("update article", ("200", ARTICLE), auth="required", params=[SLUG],
                         body="UpdateArticle", errors=("403", "404")),
        "delete": operation("delete article", ("204", None), auth="required", params=[SLUG],
                            errors=("403", "404")),
    },
    "/api/articles/{slug}/comments": {"post": operation(
        "add comment", ("201", wrapped("comment", ref("Comment"))), auth="required",
        params=[SLUG], body="NewComment", errors=("404",))},
    "/api/articles/{slug}/comments/{comment_id}": {"delete": operation(
        "delete comment", ("204", None), auth="required", params=[SLUG, COMMENT_ID],
        errors=("403", "404"))},
    "/api/openapi.json": {"get": operation("get openapi document", ("200", {"type": "object"}))},
}


def add_openapi(app: bottle.Bottle) -> None:
    app.route("/api/openapi.json", "GET", openapi_document, name="openapi_document")


def openapi_document():
    return document(request.app)


