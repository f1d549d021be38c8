"""Lesson 4: what a login unlocks.

Following authors, favouriting articles and the personal feed only make sense
once the app knows who is asking, so they arrive with auth. Each of these
routes says ``auth="required"``, and lesson 4's TokenAuthPlugin enforces it.
"""

from __future__ import annotations

import bottle
from bottle import request

from ..api.routes import existing_article
from ..core.pages import render_page
from ..core.web import api_error, refuse, see_other, viewer_id
from ..routing.routes import pagination
from .pages import local_path


def add_routes(app: bottle.Bottle) -> None:
    # --8<-- [start:routes]
    app.route("/api/profiles/<username>/follow", "POST", follow, auth="required",
              name="follow")
    app.route("/api/profiles/<username>/follow", "DELETE", unfollow, auth="required",
              name="unfollow")
    app.route("/api/articles/<slug:slug>/favorite", "POST", favorite, auth="required",
              name="favorite")
    app.route("/api/articles/<slug:slug>/favorite", "DELETE", unfavorite, auth="required",
              name="unfavorite")
    # A static path: Bottle tries it before the dynamic /api/articles/<slug>.
    app.route("/api/articles/feed", "GET", feed, auth="required", name="feed")
    # --8<-- [end:routes]
    app.route("/profile/<username>/follow", "POST", follow_form, auth="required",
              name="follow_form")
    app.route("/article/<slug:slug>/favorite", "POST", favorite_form, auth="required",
              name="favorite_form")
    app.route("/feed", "GET", feed_page, auth="required", name="feed_page")
    app.add_hook("before_request", feed_takes_only_get)


def feed_takes_only_get():
    """/api/articles/feed looks like an article's path, /api/articles/<slug>, so
    Bottle would offer it PUT and DELETE too. It is a resource of its own: GET only."""
    if request.path == "/api/articles/feed" and request.method not in ("GET", "HEAD"):
        error = api_error(405, "method", "not allowed")
        error.set_header("Allow", "GET")
        raise error


def existing_user(store, username) -> dict:
    user = store.user_by_username(username)
    if user is None:
        raise refuse(404, "profile", "not found")
    return user


def someone_else(store, username) -> dict:
    """A user the viewer may follow: anyone but themselves. Following yourself is a
    well-formed request we refuse, so 403, not 422."""
    user = existing_user(store, username)
    if user["id"] == viewer_id():
        raise refuse(403, "profile", "cannot be followed by itself")
    return user


# --8<-- [start:follow]
def follow(username, store):
    store.follow(viewer_id(), someone_else(store, username)["id"])
    return {"profile": store.get_profile(username, viewer_id=viewer_id())}


def unfollow(username, store):
    store.unfollow(viewer_id(), existing_user(store, username)["id"])
    return {"profile": store.get_profile(username, viewer_id=viewer_id())}
# --8<-- [end:follow]


def favorite(slug, store):
    store.favorite(viewer_id(), existing_article(store, slug)["id"])
    return {"article": store.get_article(slug, viewer_id=viewer_id())}


def unfavorite(slug, store):
    store.unfavorite(viewer_id(), existing_article(store, slug)["id"])
    return {"article": store.get_article(slug, viewer_id=viewer_id())}


# --8<-- [start:feed]
def feed(store):
    limit, offset = pagination()
    articles, count = store.feed_articles(viewer_id(), limit=limit, offset=offset)
    return {"articles": articles, "articlesCount": count}
# --8<-- [end:feed]


# ---- Pages: one button each, which toggles --------------------------------
def follow_form(username, store):
    user = someone_else(store, username)
    if store.get_profile(username, viewer_id=viewer_id())["following"]:
        store.unfollow(viewer_id(), user["id"])
    else:
        store.follow(viewer_id(), user["id"])
    raise see_other(safe_back(f"/profile/{username}"))


def favorite_form(slug, store):
    row = existing_article(store, slug)
    if store.get_article(slug, viewer_id=viewer_id())["favorited"]:
        store.unfavorite(viewer_id(), row["id"])
    else:
        store.favorite(viewer_id(), row["id"])
    raise see_other(safe_back(f"/article/{slug}"))


def safe_back(default: str) -> str:
    """Back to the page the button was on, if the form named one on this site."""
    return local_path(request.forms.getunicode("back")) if request.forms.get("back") else default


def feed_page(store):
    articles, _ = store.feed_articles(viewer_id(), limit=50)
    return render_page("home", articles=articles, tags=store.list_tags(), tag=None, page=1,
                       pages=1, title="Your feed", feed=True)
