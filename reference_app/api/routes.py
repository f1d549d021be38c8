"""Lesson 3's API routes: create, edit and delete articles and comments.

Each write route says who may use it with ``auth="required"`` route config.
Lesson 3's DemoAuthorPlugin lets everyone in as the demo author; lesson 4's
TokenAuthPlugin reads the same config and asks for a real login.
"""

from __future__ import annotations

import bottle
from bottle import response

from ..core.web import field_errors, refuse, viewer_id
from .validation import clean_article, clean_text, read_json


def add_routes(app: bottle.Bottle) -> None:
    # --8<-- [start:routes]
    app.route("/api/articles", "POST", create_article, auth="required",
              name="create_article")
    app.route("/api/articles/<slug:slug>", "PUT", update_article, auth="required",
              name="update_article")
    app.route("/api/articles/<slug:slug>", "DELETE", delete_article, auth="required",
              name="delete_article")
    app.route("/api/articles/<slug:slug>/comments", "POST", add_comment, auth="required",
              name="add_comment")
    app.route("/api/articles/<slug:slug>/comments/<comment_id:id>", "DELETE", delete_comment,
              auth="required", name="delete_comment")
    # --8<-- [end:routes]


def existing_article(store, slug) -> dict:
    """The article's row, or a 404."""
    row = store.article_row(slug)
    if row is None:
        raise refuse(404, "article", "not found")
    return row


def owned_article(store, slug) -> dict:
    """The article's row, if it exists (else 404) and the viewer wrote it (else 403)."""
    row = existing_article(store, slug)
    if row["author_id"] != viewer_id():
        raise refuse(403, "article", "forbidden")
    return row


def owned_comment(store, slug, comment_id) -> dict:
    """The comment's row, if it is on this article (else 404) and the viewer's (else 403)."""
    comment = store.comment_row(existing_article(store, slug)["id"], comment_id)
    if comment is None:
        raise refuse(404, "comment", "not found")
    if comment["author_id"] != viewer_id():
        raise refuse(403, "comment", "forbidden")
    return comment


# --8<-- [start:create_article]
def create_article(store):
    fields, errors = clean_article(read_json("article"), creating=True)
    if errors:
        raise field_errors(errors)
    slug = store.create_article(viewer_id(), fields["title"], fields["description"],
                                fields["body"], fields["tagList"])
    response.status = 201
    return {"article": store.get_article(slug, viewer_id=viewer_id())}
# --8<-- [end:create_article]


def update_article(slug, store):
    row = owned_article(store, slug)
    fields, errors = clean_article(read_json("article"), creating=False)
    if errors:
        raise field_errors(errors)
    tags = fields.pop("tagList")
    new_slug = store.update_article(row["id"], fields, tags)
    return {"article": store.get_article(new_slug, viewer_id=viewer_id())}


def delete_article(slug, store):
    store.delete_article(owned_article(store, slug)["id"])
    response.status = 204


def add_comment(slug, store):
    row = existing_article(store, slug)
    errors = {}
    body = clean_text(read_json("comment"), "body", errors, required=True,
                      limit_name="comment")
    if errors:
        raise field_errors(errors)
    response.status = 201
    return {"comment": store.add_comment(row["id"], viewer_id(), body, viewer_id())}


def delete_comment(slug, comment_id, store):
    store.delete_comment(owned_comment(store, slug, comment_id)["id"])
    response.status = 204
