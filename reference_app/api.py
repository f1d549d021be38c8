"""Lesson 3: APIs.

The app learns to write: create, edit and delete articles and comments,
through JSON and through HTML forms. An API is a contract, so this lesson is
mostly about saying no well: validation with field-keyed errors, the right
status code for each outcome, and an OpenAPI document that describes it all.

Nobody can log in yet (that is lesson 4). Rather than pretend, every write is
signed by one fixed *demo author*. The DemoAuthorPlugin below does that, and
lesson 4 replaces it, by name, with a plugin that checks real credentials.
"""

from __future__ import annotations

import json

import bottle
from bottle import request, response

from .routing import VIEWER_KEY, api_error, render_page, viewer_id

DEMO_USERNAME = "demo"
DEMO_EMAIL = "demo@stagecraft.dev"

# Longest accepted value per field: generous, but a limit. Unbounded input is
# how a request turns into a memory problem.
MAX_LENGTH = {"title": 200, "description": 1000, "body": 100_000, "tag": 64, "comment": 10_000}
MAX_TAGS = 20


def install(app: bottle.Bottle) -> None:
    from .openapi import openapi_document  # here, not at the top: it quotes our limits

    app.install(DemoAuthorPlugin())
    # --8<-- [start:routes]
    app.route("/api/articles", "POST", create_article, auth="required")
    app.route("/api/articles/<slug:slug>", "PUT", update_article, auth="required")
    app.route("/api/articles/<slug:slug>", "DELETE", delete_article, auth="required")
    app.route("/api/articles/<slug:slug>/comments", "POST", add_comment, auth="required")
    app.route("/api/articles/<slug:slug>/comments/<comment_id:id>", "DELETE", delete_comment,
              auth="required")
    app.route("/api/openapi.json", "GET", openapi_document)
    # --8<-- [end:routes]
    app.route("/editor", "GET", editor_page, auth="required")
    app.route("/editor", "POST", editor_submit, auth="required")
    app.route("/editor/<slug:slug>", "GET", editor_page, auth="required")
    app.route("/editor/<slug:slug>", "POST", editor_submit, auth="required")
    app.route("/article/<slug:slug>/delete", "POST", delete_article_form, auth="required")
    app.route("/article/<slug:slug>/comments", "POST", comment_form, auth="required")
    app.route("/article/<slug:slug>/comments/<comment_id:id>/delete", "POST", delete_comment_form,
              auth="required")


# --8<-- [start:demo_author]
class DemoAuthorPlugin:
    """Before lesson 4, every visitor is the demo author.

    Honest, not secure: anyone can write, and it all shows up as "demo".
    Routes declare who they need with ``auth="required"`` or ``"optional"``;
    this plugin reads that route config and answers "demo" to both.
    Lesson 4 uninstalls "auth" and installs a plugin that checks credentials.
    """

    name = "auth"
    api = 2

    def apply(self, callback, route):
        if route.config.get("auth") is None:
            return callback

        def as_demo_author(*args, **kwargs):
            store = kwargs["store"]  # the store plugin was installed first, so it runs first
            user = store.user_by_username(DEMO_USERNAME) or store.ensure_user(
                DEMO_USERNAME, DEMO_EMAIL)
            request.environ[VIEWER_KEY] = public_user(user)
            return callback(*args, **kwargs)

        return as_demo_author
# --8<-- [end:demo_author]


def public_user(row: dict) -> dict:
    """The parts of a user row that may travel with the request: never the hash."""
    return {key: row[key] for key in ("id", "username", "email", "bio", "image")}


# --8<-- [start:read_json]
def read_json(key: str) -> dict:
    """The object under ``key`` in a JSON body like ``{"article": {...}}``.

    A body that is not JSON, or has no such object, is the client's mistake:
    422 with a message that says which, never a 500.
    """
    try:
        data = json.loads(request.body.read() or b"null")
    except ValueError:  # also covers bytes that are not UTF-8
        raise api_error(422, "request", "is not valid JSON") from None
    if not isinstance(data, dict) or data.get(key) is None:
        raise api_error(422, key, "can't be blank")
    if not isinstance(data[key], dict):
        raise api_error(422, key, "must be an object")
    return data[key]
# --8<-- [end:read_json]


def field_errors(errors: dict, status: int = 422) -> bottle.HTTPResponse:
    """Every field's problems at once (422 by default), so a client can show them all."""
    return bottle.HTTPResponse(json.dumps({"errors": errors}), status,
                               headers={"Content-Type": "application/json"})


# --8<-- [start:validation]
def clean_text(data, field, errors, *, required, limit_name=None):
    """Check one text field; record a problem in ``errors`` or return the value.

    Absent and not required: returns None, meaning "leave it unchanged".
    """
    if field not in data and not required:
        return None
    value = data.get(field)
    if value is not None and not isinstance(value, str):
        errors[field] = ["must be a string"]
    elif value is None or not value.strip():
        errors[field] = ["can't be blank"]
    elif len(value) > MAX_LENGTH[limit_name or field]:
        errors[field] = [f"is too long (maximum is {MAX_LENGTH[limit_name or field]} characters)"]
    else:
        return value
    return None


def clean_tags(data, errors):
    """``tagList``: absent -> None (keep); a list of strings -> cleaned; else an error."""
    if "tagList" not in data:
        return None
    tags = data["tagList"]
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        errors["tagList"] = ["must be a list of strings"]
        return None
    if len(tags) > MAX_TAGS or any(len(tag) > MAX_LENGTH["tag"] for tag in tags):
        errors["tagList"] = [f"at most {MAX_TAGS} tags of {MAX_LENGTH['tag']} characters"]
        return None
    cleaned = []
    for tag in (tag.strip() for tag in tags):
        if tag and tag not in cleaned:  # keep the order sent, drop blanks and repeats
            cleaned.append(tag)
    return cleaned


def clean_article(data: dict, *, creating: bool) -> tuple[dict, dict]:
    """(fields to write, errors). Creating needs every field; an edit, only those sent."""
    errors = {}
    fields = {field: clean_text(data, field, errors, required=creating)
              for field in ("title", "description", "body")}
    fields = {field: value for field, value in fields.items() if value is not None}
    tags = clean_tags(data, errors)
    if creating and tags is None:
        tags = []
    return {**fields, "tagList": tags}, errors
# --8<-- [end:validation]


def refuse(status: int, field: str, message: str) -> bottle.HTTPResponse:
    """The API's JSON error under /api; elsewhere an HTML error page saying the same."""
    if request.path.startswith("/api/"):
        return api_error(status, field, message)
    return bottle.HTTPError(status, f"{field.capitalize()} {message}.")


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
    new_slug = store.update_article(row, fields, tags)
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


# ---- The same writes from HTML forms ----------------------------------------
# A form cannot send JSON, and a person wants their text back with the error
# next to it, not a 422. So: the same validation, a different answer.
def editor_page(store, slug=None):
    article = {"title": "", "description": "", "body": "", "tagList": []}
    if slug is not None:
        article = store.get_article(owned_article(store, slug)["slug"])
    return render_page("editor", article=article, slug=slug, errors={}, title="Editor")


def editor_submit(store, slug=None):
    row = owned_article(store, slug) if slug is not None else None
    form = {name: request.forms.getunicode(name, "") for name in ("title", "description", "body")}
    form["tagList"] = request.forms.getunicode("tags", "").replace(",", " ").split()
    fields, errors = clean_article(form, creating=True)
    if errors:
        response.status = 422
        return render_page("editor", article=form, slug=slug, errors=errors, title="Editor")
    if slug is None:
        slug = store.create_article(viewer_id(), fields["title"], fields["description"],
                                    fields["body"], fields["tagList"])
    else:
        tags = fields.pop("tagList")
        slug = store.update_article(row, fields, tags)
    bottle.redirect(f"/article/{slug}", 303)


def delete_article_form(slug, store):
    store.delete_article(owned_article(store, slug)["id"])
    bottle.redirect("/", 303)


def comment_form(slug, store):
    row = existing_article(store, slug)
    body = request.forms.getunicode("body", "")
    if body.strip() and len(body) <= MAX_LENGTH["comment"]:
        store.add_comment(row["id"], viewer_id(), body, viewer_id())
    bottle.redirect(f"/article/{slug}#comments", 303)


def delete_comment_form(slug, comment_id, store):
    store.delete_comment(owned_comment(store, slug, comment_id)["id"])
    bottle.redirect(f"/article/{slug}#comments", 303)
