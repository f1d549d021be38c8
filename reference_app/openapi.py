"""The OpenAPI 3.1 description of the API, served at ``GET /api/openapi.json``.

The document below describes the finished API. Each stage serves only the
operations its route table really has, and a test holds the two equal, so the
document cannot promise a route the app lacks, nor hide one it has.
"""

from __future__ import annotations

import re

from bottle import request

from .api import MAX_LENGTH, MAX_TAGS
from .auth import PASSWORD_MAX, PASSWORD_MIN
from .routing import EMAIL as EMAIL_PATTERN
from .routing import USERNAME as USERNAME_PATTERN


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required, **properties):
    """An object we send: exactly these properties."""
    return {"type": "object", "required": list(required), "properties": properties,
            "additionalProperties": False}


def sent(required, **properties):
    """An object a client sends: these properties; others are ignored, not refused."""
    return {"type": "object", "required": list(required), "properties": properties}


STRING, NULLABLE = {"type": "string"}, {"type": ["string", "null"]}


def text(max_length, **more):
    """A string the app accepts: at least one non-space character, at most max_length."""
    return {"type": "string", "pattern": r"\S", "maxLength": max_length, **more}


# What the validation in api.py and auth.py enforces, said in JSON Schema.
USERNAME = text(40, pattern=f"^{USERNAME_PATTERN.pattern}$")
EMAIL = text(320, pattern=f"^{EMAIL_PATTERN.pattern}$")
PASSWORD = {"type": "string", "minLength": PASSWORD_MIN, "maxLength": PASSWORD_MAX}
IMAGE = {"type": ["string", "null"], "pattern": r"^(https?://.*)?$"}
TAG_LIST = {"type": "array", "maxItems": MAX_TAGS,
            "items": {"type": "string", "maxLength": MAX_LENGTH["tag"]},
            "description": "Kept in the order sent; blank tags and repeats are dropped."}
TITLE, DESCRIPTION, BODY, COMMENT = (text(MAX_LENGTH[name]) for name in
                                     ("title", "description", "body", "comment"))
TIME = {"type": "string", "format": "date-time"}
PROFILE_FIELDS = ("username", "bio", "image", "following")
SUMMARY_FIELDS = ("slug", "title", "description", "tagList", "createdAt", "updatedAt",
                  "favorited", "favoritesCount", "author")
SUMMARY = dict(slug=STRING, title=STRING, description=STRING,
               tagList={"type": "array", "items": STRING}, createdAt=TIME, updatedAt=TIME,
               favorited={"type": "boolean"}, favoritesCount={"type": "integer", "minimum": 0},
               author=ref("Profile"))

SCHEMAS = {
    "Profile": obj(PROFILE_FIELDS, username=STRING, bio=NULLABLE, image=NULLABLE,
                   following={"type": "boolean"}),
    "ArticleSummary": obj(SUMMARY_FIELDS, **SUMMARY),
    "Article": obj(SUMMARY_FIELDS + ("body",), **SUMMARY, body=STRING),
    "Comment": obj(("id", "body", "createdAt", "updatedAt", "author"),
                   id={"type": "integer"}, body=STRING, createdAt=TIME, updatedAt=TIME,
                   author=ref("Profile")),
    "User": obj(("email", "token", "username", "bio", "image"), email=STRING, token=STRING,
                username=STRING, bio=NULLABLE, image=NULLABLE),
    "Errors": obj(("errors",), errors={"type": "object", "minProperties": 1,
                                       "additionalProperties": {"type": "array",
                                                                "items": STRING}}),
    # What clients send. Validation lives in the app; these say what is expected.
    "NewUser": sent(("user",), user=sent(("username", "email", "password"), username=USERNAME,
                                       email=EMAIL, password=PASSWORD)),
    "LoginUser": sent(("user",), user=sent(("email", "password"), email=text(320),
                                         password={"type": "string", "minLength": 1})),
    "UpdateUser": sent(("user",), user=sent((), username=USERNAME, email=EMAIL, password=PASSWORD,
                                          bio=NULLABLE, image=IMAGE)),
    "NewArticle": sent(("article",), article=sent(
        ("title", "description", "body"), title=TITLE, description=DESCRIPTION, body=BODY,
        tagList=TAG_LIST)),
    "UpdateArticle": sent(("article",), article=sent(
        (), title=TITLE, description=DESCRIPTION, body=BODY, tagList=TAG_LIST)),
    "NewComment": sent(("comment",), comment=sent(("body",), body=COMMENT)),
}

WRAPPERS = {  # response name -> (key, schema)
    "UserResponse": ("user", ref("User")),
    "ProfileResponse": ("profile", ref("Profile")),
    "ArticleResponse": ("article", ref("Article")),
    "CommentResponse": ("comment", ref("Comment")),
}


def json_content(schema):
    return {"application/json": {"schema": schema}}


def response(description, schema=None):
    answer = {"description": description}
    if schema is not None:
        answer["content"] = json_content(schema)
    return answer


def path_param(name, kind="string"):
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def query_param(name, schema):
    return {"name": name, "in": "query", "required": False, "schema": schema}


PAGING = [query_param("limit", {"type": "integer", "minimum": 0, "maximum": 100, "default": 20}),
          query_param("offset", {"type": "integer", "minimum": 0, "maximum": 10**9,
                                 "default": 0})]
LIST_FILTERS = [query_param(name, STRING) for name in ("tag", "author", "favorited")]
ERRORS = {"401": "No token, or a bad one", "403": "Not yours", "404": "No such thing",
          "409": "Already taken", "422": "Invalid input"}


def operation(summary, ok, *, auth=None, params=(), body=None, errors=()):
    """One operation. ``ok`` is (status, response schema or None)."""
    status, schema = ok
    result = {"summary": summary, "operationId": summary.title().replace(" ", ""),
              "responses": {status: response("Success", schema)}}
    if params:
        result["parameters"] = list(params)
    if body:
        result["requestBody"] = {"required": True, "content": json_content(ref(body))}
        errors = (*errors, "422")
    if auth:
        result["security"] = [{"Token": []}] if auth == "required" else [{"Token": []}, {}]
        errors = (*errors, "401")
    for code in sorted(set(errors)):
        result["responses"][code] = response(ERRORS[code], ref("Errors"))
    return result


def wrapped(name):
    key, schema = WRAPPERS[name]
    return obj((key,), **{key: schema})


ARTICLE_LIST = obj(("articles", "articlesCount"),
                   articles={"type": "array", "items": ref("ArticleSummary")},
                   articlesCount={"type": "integer", "minimum": 0})
SLUG = {**path_param("slug"), "schema": {"type": "string", "pattern": "^[a-z0-9-]+$"}}
USERNAME = path_param("username")
ARTICLE_OK = ("200", wrapped("ArticleResponse"))

PATHS = {
    "/api/users": {"post": operation("register", ("201", wrapped("UserResponse")),
                                     body="NewUser", errors=("409",))},
    "/api/users/login": {"post": operation("log in", ("200", wrapped("UserResponse")),
                                           body="LoginUser", errors=("401",))},
    "/api/user": {
        "get": operation("get current user", ("200", wrapped("UserResponse")), auth="required"),
        "put": operation("update current user", ("200", wrapped("UserResponse")),
                         auth="required", body="UpdateUser", errors=("409",)),
    },
    "/api/profiles/{username}": {"get": operation(
        "get profile", ("200", wrapped("ProfileResponse")), auth="optional", params=[USERNAME],
        errors=("404",))},
    "/api/profiles/{username}/follow": {
        method: operation(f"{verb} user", ("200", wrapped("ProfileResponse")),
                          auth="required", params=[USERNAME], errors=("403", "404"))
        for method, verb in (("post", "follow"), ("delete", "unfollow"))
    },
    "/api/articles": {
        "get": operation("list articles", ("200", ARTICLE_LIST), auth="optional",
                         params=LIST_FILTERS + PAGING, errors=("422",)),
        "post": operation("create article", ("201", wrapped("ArticleResponse")),
                          auth="required", body="NewArticle"),
    },
    "/api/articles/feed": {"get": operation("feed articles", ("200", ARTICLE_LIST),
                                            auth="required", params=PAGING, errors=("422",))},
    "/api/articles/{slug}": {
        "get": operation("get article", ARTICLE_OK, auth="optional", params=[SLUG],
                         errors=("404",)),
        "put": operation("update article", ARTICLE_OK, auth="required", params=[SLUG],
                         body="UpdateArticle", errors=("403", "404")),
        "delete": operation("delete article", ("204", None), auth="required", params=[SLUG],
                            errors=("403", "404")),
    },
    "/api/articles/{slug}/comments": {
        "get": operation("get comments", ("200", obj(("comments",), comments={
            "type": "array", "items": ref("Comment")})), auth="optional", params=[SLUG],
            errors=("404",)),
        "post": operation("add comment", ("201", wrapped("CommentResponse")), auth="required",
                          params=[SLUG], body="NewComment", errors=("404",)),
    },
    "/api/articles/{slug}/comments/{comment_id}": {"delete": operation(
        "delete comment", ("204", None), auth="required",
        params=[SLUG, {**path_param("comment_id"), "schema": {
            "type": "integer", "minimum": 1, "maximum": 999_999_999_999_999_999}}],
        errors=("403", "404"))},
    "/api/articles/{slug}/favorite": {
        method: operation(f"{verb} article", ARTICLE_OK, auth="required", params=[SLUG],
                          errors=("404",))
        for method, verb in (("post", "favorite"), ("delete", "unfavorite"))
    },
    "/api/tags": {"get": operation("get tags", ("200", obj(("tags",), tags={
        "type": "array", "items": STRING})))},
    "/api/openapi.json": {"get": operation("get openapi document", ("200", {"type": "object"}))},
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Stagecraft reference app (RealWorld API)", "version": "1.0.0",
             "license": {"name": "MIT", "identifier": "MIT"}},
    "servers": [{"url": "/"}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {"Token": {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": "The word Token, a space, then the JWT from login: `Token <jwt>`."}},
    },
}


def openapi_path(rule: str) -> str:
    """Bottle's ``/articles/<slug:slug>`` becomes OpenAPI's ``/articles/{slug}``."""
    return re.sub(r"<(\w+)(?::[^>]*)?>", r"{\1}", rule)


def document_for(app) -> dict:
    """The document, limited to the API operations ``app`` has."""
    present = {(route.method.lower(), openapi_path(route.rule)) for route in app.routes}
    paths = {}
    for path, operations in PATHS.items():
        kept = {method: op for method, op in operations.items() if (method, path) in present}
        if kept:
            paths[path] = kept
    return {**DOCUMENT, "paths": paths}


def openapi_document():
    return document_for(request.app)
