"""Lesson 3's pages: the same writes as the API, from HTML forms.

A form cannot send JSON, and a person wants their text back with the error
next to the field, not a bare 422. So: the same validation and the same
limits, a different answer.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import bottle
from bottle import request, response

from ..core.pages import add_page_variable, render_page
from ..core.web import refuse, see_other, viewer_id
from ..routing.pages import article_page
from .routes import existing_article, owned_article, owned_comment
from .validation import clean_article, clean_text

FORM_KEY = "stagecraft.form"


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


# --8<-- [start:posted_form]
def posted_form() -> dict[str, str]:
    """The fields of the posted form, as text, read once per request.

    Not ``request.forms``: Bottle refuses a form larger than its MEMFILE_MAX
    (102,400 bytes) with a bare 413, and an article of 100,000 characters the
    API accepts makes a larger form than that. Request size is limited in one
    place for forms and JSON alike (lesson 5's ``max_body_bytes``).

    Hand-written, to show what a form body is. A team would raise Bottle's
    ``BaseRequest.MEMFILE_MAX`` (one number for every app in the process), or
    use a framework whose form limit is a setting (Werkzeug's
    ``max_form_memory_size``).
    """
    if FORM_KEY not in request.environ:
        kind = request.content_type.split(";")[0].strip().lower()
        if kind != "application/x-www-form-urlencoded":  # multipart or odd: Bottle's parser
            fields = {name: request.forms.getunicode(name, "") for name in request.forms}
        else:
            try:  # the bytes and their %-escapes alike are UTF-8, the encoding of our pages
                text = request.body.read().decode("utf-8")
                fields = dict(parse_qsl(text, keep_blank_values=True, errors="strict"))
            except UnicodeDecodeError:
                raise refuse(400, "form", "is not UTF-8 text") from None
        request.environ[FORM_KEY] = fields
    return request.environ[FORM_KEY]
# --8<-- [end:posted_form]


def editor_submit(store, slug=None):
    row = owned_article(store, slug) if slug is not None else None
    form = {name: posted_form().get(name, "") for name in ("title", "description", "body")}
    form["tagList"] = posted_form().get("tags", "").replace(",", " ").split()
    fields, errors = clean_article(form, creating=True)
    if errors:  # the form again, with what the person wrote and each problem beside it
        response.status = 422
        return render_page("editor", article=form, slug=slug, errors=errors, title="Editor")
    if slug is None:
        slug = store.create_article(viewer_id(), fields["title"], fields["description"],
                                    fields["body"], fields["tagList"])
    else:
        tags = fields.pop("tagList")
        slug = store.update_article(row["id"], fields, tags)
    raise see_other(f"/article/{slug}")


def delete_article_form(slug, store):
    store.delete_article(owned_article(store, slug)["id"])
    raise see_other("/")


def comment_form(slug, store):
    row = existing_article(store, slug)
    errors = {}
    body = clean_text(posted_form(), "body", errors, required=True, limit_name="comment")
    if errors:  # the article page again, the comment kept in its box, the problem beside it
        response.status = 422
        add_page_variable("comment_draft", {"body": posted_form().get("body", ""),
                                            "errors": errors["body"]})
        return article_page(slug, store)
    store.add_comment(row["id"], viewer_id(), body, viewer_id())
    raise see_other(f"/article/{slug}#comments")


def delete_comment_form(slug, comment_id, store):
    store.delete_comment(owned_comment(store, slug, comment_id)["id"])
    raise see_other(f"/article/{slug}#comments")
