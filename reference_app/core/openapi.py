"""OpenAPI 3.1, assembled from the lessons that are installed.

Each lesson describes the API routes it adds, next to the code that adds
them, and hands the description to ``describe``. The document served at
``/api/openapi.json`` (lesson 3) merges what is there: it cannot promise a
route the app lacks, nor hide one it has. A later lesson may also describe
an operation *in part*: lesson 5 adds only the 413, 415 and 429 answers it
gives, to operations lessons 3 and 4 described. The helpers below keep each
lesson's part short: ``operation`` builds one operation with its error
responses, ``more_errors`` a part that only adds answers, ``obj`` and
``sent`` the objects we send and receive.
"""

from __future__ import annotations

import copy
import re

import bottle

BASE = {
    "openapi": "3.1.0",
    "info": {"title": "Stagecraft reference app (RealWorld API)", "version": "1.0.0",
             "license": {"name": "MIT", "identifier": "MIT"}},
    "servers": [{"url": "/"}],
    "components": {"securitySchemes": {"Token": {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "description": "The word Token, a space, then the JWT from login: `Token <jwt>`."}}},
}
ERRORS = {"400": "Malformed request (a Content-Length that is not a number)",
          "401": "No token, or a bad one", "403": "Not yours", "404": "No such thing",
          "409": "Already taken", "413": "Body too large", "415": "Body is not JSON",
          "422": "Invalid input", "429": "Too many attempts: wait, then try again"}
STRING, NULLABLE = {"type": "string"}, {"type": ["string", "null"]}
TIME = {"type": "string", "format": "date-time"}


# --8<-- [start:describe]
def describe(app: bottle.Bottle, paths: dict, schemas: dict | None = None) -> None:
    """Add a lesson's paths and schemas to the app's OpenAPI document."""
    parts = app.config.get("openapi.parts", [])
    app.config["openapi.parts"] = [*parts, (paths, schemas or {})]


def document(app: bottle.Bottle) -> dict:
    """The whole document: every installed lesson's part, merged."""
    result = copy.deepcopy(BASE)
    result["paths"], schemas = {}, result["components"].setdefault("schemas", {})
    for paths, more_schemas in app.config.get("openapi.parts", []):
        for path, operations in paths.items():
            described = result["paths"].setdefault(path, {})
            for method, operation in copy.deepcopy(operations).items():
                merge(described.setdefault(method, {}), operation)
        schemas.update(copy.deepcopy(more_schemas))
    return result


def merge(operation: dict, later: dict) -> None:
    """A later lesson's description of an operation, whole or in part: its
    responses join those described before; anything else it names replaces."""
    responses = {**operation.get("responses", {}), **later.pop("responses", {})}
    operation.update(later)
    operation["responses"] = dict(sorted(responses.items()))
# --8<-- [end:describe]


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required, **properties):
    """An object we send: exactly these properties."""
    return {"type": "object", "required": list(required), "properties": properties,
            "additionalProperties": False}


def sent(required, **properties):
    """An object a client sends: these properties; others are ignored, not refused."""
    return {"type": "object", "required": list(required), "properties": properties}


# Control characters (C0, DEL, C1), as a JSON Schema character class; a
# multi-line text keeps tab, newline and carriage return.
CONTROL = r"[\u0000-\u001f\u007f-\u009f]"
CONTROL_BUT_LINES = r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]"


def text(max_length, *, multiline=False, **more):
    """A string the app accepts: at most max_length characters, one of them not
    a space, and no control character (line breaks are allowed if multiline).
    Said with ``not`` rather than anchors: Python's ``$`` also matches before a
    final newline, JSON Schema's does not. A ``pattern`` given in ``more`` is
    the whole rule instead (a username's, an email's)."""
    control = CONTROL_BUT_LINES if multiline else CONTROL
    rule = {} if "pattern" in more else {"pattern": r"\S", "not": {"pattern": control}}
    return {"type": "string", **rule, "maxLength": max_length, **more}


def json_content(schema):
    return {"application/json": {"schema": schema}}


def response(description, schema=None):
    answer = {"description": description}
    if schema is not None:
        answer["content"] = json_content(schema)
    return answer


def path_param(name, schema=None):
    return {"name": name, "in": "path", "required": True, "schema": schema or STRING}


def query_param(name, schema):
    return {"name": name, "in": "query", "required": False, "schema": schema}


def wrapped(key, schema):
    """``{"<key>": schema}``, the envelope every RealWorld answer comes in."""
    return obj((key,), **{key: schema})


# --8<-- [start:operation]
def operation(summary, ok, *, auth=None, params=(), body=None, errors=()):
    """One operation. ``ok`` is (status, response schema or None)."""
    status, schema = ok
    result = {"summary": summary, "operationId": summary.title().replace(" ", ""),
              "responses": {status: response("Success", schema)}}
    errors = (*errors, "400")  # any request may be malformed (lesson 1 refuses it)
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
# --8<-- [end:operation]


def more_errors(*codes: str) -> dict:
    """Part of an operation, for ``describe``: only more error answers, in the
    API's error format. ``{"post": more_errors("413", "415")}``"""
    return {"responses": {code: response(ERRORS[code], ref("Errors")) for code in codes}}


def openapi_path(rule: str) -> str:
    """Bottle's ``/articles/<slug:slug>`` becomes OpenAPI's ``/articles/{slug}``."""
    return re.sub(r"<(\w+)(?::[^>]*)?>", r"{\1}", rule)
