"""Lesson 3's pages: the same writes as the API, from HTML forms.

A form cannot send JSON, and a person wants their text back with the error
next to it, not a 422. So: the same validation, a different answer.
"""

from __future__ import annotations

import bottle
from bottle import request, response

from ..core.pages import render_page
from ..core.web import viewer_id
from .routes import existing_article, owned_article, owned_comment
from .validation import MAX_LENGTH, clean_article


def add_forms(app: bottle.Bottle) -> None:
    # --8<-- [start:form_routes]
    app.route("/editor", "GET", editor_page, auth="required", name="new_article_page")
    app.route("/editor", "POST", editor_submit, auth="required", name="new_article_form")
    app.route("/editor/<slug:slug>", "GET", editor_page, auth="required",
              name="edit_article_page")
    app.route("/editor/<slug:slug>", "POST", editor_submit, auth="required",
              name="edit_article_form")
    app.route("/article/<slug:slug>/delete", "POST", delete_article_form, auth="required",
              name="delete_article_form")
    app.route("/article/<slug:slug>/comments", "POST", comment_form, auth="required",
              name="comment_form")
    app.route("/article/<slug:slug>/comments/<comment_id:id>/delete", "POST",
              delete_comment_form, auth="required", name="delete_comment_form")
    # --8<-- [end:form_routes]


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
        slug = store.update_article(row["id"], fields, tags)
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
