"""Lesson 1's part of the OpenAPI document: the read routes and the shapes
they answer with. Lesson 3 serves the document; see core/openapi.py."""

from __future__ import annotations

from ..core.openapi import (
    NULLABLE,
    STRING,
    TIME,
    obj,
    operation,
    path_param,
    query_param,
    ref,
    wrapped,
)

PROFILE_FIELDS = ("username", "bio", "image", "following")
SUMMARY_FIELDS = ("slug", "title", "description", "tagList", "createdAt", "updatedAt",
                  "favorited", "favoritesCount", "author")
SUMMARY = dict(slug=STRING, title=STRING, description=STRING,
               tagList={"type": "array", "items": STRING}, createdAt=TIME, updatedAt=TIME,
               favorited={"type": "boolean"}, favoritesCount={"type": "integer", "minimum": 0},
               author=ref("Profile"))

READ_SCHEMAS = {
    "Profile": obj(PROFILE_FIELDS, username=STRING, bio=NULLABLE, image=NULLABLE,
                   following={"type": "boolean"}),
    "ArticleSummary": obj(SUMMARY_FIELDS, **SUMMARY),
    "Article": obj(SUMMARY_FIELDS + ("body",), **SUMMARY, body=STRING),
    "Comment": obj(("id", "body", "createdAt", "updatedAt", "author"),
                   id={"type": "integer"}, body=STRING, createdAt=TIME, updatedAt=TIME,
                   author=ref("Profile")),
    "Errors": obj(("errors",), errors={"type": "object", "minProperties": 1,
                                       "additionalProperties": {"type": "array",
                                                                "items": STRING}}),
}

PAGING = [query_param("limit", {"type": "integer", "minimum": 0, "maximum": 100, "default": 20}),
          query_param("offset", {"type": "integer", "minimum": 0, "maximum": 10**9,
                                 "default": 0})]
LIST_FILTERS = [query_param(name, STRING) for name in ("tag", "author", "favorited")]
SLUG = path_param("slug", {"type": "string", "pattern": "^[a-z0-9-]+$"})
USERNAME = path_param("username")
ARTICLE = wrapped("article", ref("Article"))
PROFILE = wrapped("profile", ref("Profile"))
ARTICLE_LIST = obj(("articles", "articlesCount"),
                   articles={"type": "array", "items": ref("ArticleSummary")},
                   articlesCount={"type": "integer", "minimum": 0})


def read_paths(auth=None) -> dict:
    """The read routes. Lesson 4 describes them again with ``auth="optional"``:
    from then on they answer a logged-in reader with "favorited" and "following"."""
    return {
        "/api/articles": {"get": operation("list articles", ("200", ARTICLE_LIST), auth=auth,
                                           params=LIST_FILTERS + PAGING, errors=("422",))},
        "/api/articles/{slug}": {"get": operation("get article", ("200", ARTICLE), auth=auth,
                                                  params=[SLUG], errors=("404",))},
        "/api/articles/{slug}/comments": {"get": operation(
            "get comments", ("200", obj(("comments",), comments={
                "type": "array", "items": ref("Comment")})), auth=auth, params=[SLUG],
            errors=("404",))},
        "/api/profiles/{username}": {"get": operation(
            "get profile", ("200", PROFILE), auth=auth, params=[USERNAME], errors=("404",))},
        "/api/tags": {"get": operation("get tags", ("200", obj(("tags",), tags={
            "type": "array", "items": STRING})))},
    }
