"""Lesson 3: validation. An API is a contract, and most of it is saying no well.

Each check records a problem per field, so the answer can list every problem
at once in the RealWorld format: ``{"errors": {"title": ["can't be blank"]}}``.
The API and the HTML forms run the same checks.
"""

from __future__ import annotations

import json
import re

from bottle import request

from ..core.web import api_error

# Longest accepted value per field: generous, but a limit. Unbounded input is
# how a request turns into a memory problem.
MAX_LENGTH = {"title": 200, "description": 1000, "body": 100_000, "tag": 64, "comment": 10_000}
MAX_TAGS = 20
# Control characters have no place in text that people read: a NUL cuts a
# string short in C code downstream, others hide text or forge log lines.
# Multi-line fields keep tab, newline and carriage return (paragraphs).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MULTILINE = {"body", "comment"}
# JSON may spell half of a UTF-16 pair on its own ("\ud800"): Python keeps it, and
# it crashes whatever encodes the text as UTF-8 later (SQLite, the response).
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
JSON_BODY_KEY = "stagecraft.json_body"


# --8<-- [start:read_json]
def json_body():
    """The request's JSON body, parsed once per request (None when empty).

    Anything that reads the body (a route, lesson 5's login throttle) asks
    here, so all of them see the same value, however large the body is. A
    body that is not JSON is the client's mistake: a 422 that says why, never
    a 500.
    """
    if JSON_BODY_KEY not in request.environ:
        try:
            data = json.loads(request.body.read() or b"null")
        except RecursionError:  # [[[[... thousands deep: Python's parser gives up
            raise api_error(422, "request", "is nested too deeply") from None
        except ValueError:  # also covers bytes that are not UTF-8
            raise api_error(422, "request", "is not valid JSON") from None
        if any(LONE_SURROGATE.search(text) for text in strings_in(data)):
            raise api_error(422, "request", "has text that is not Unicode (a lone surrogate)")
        request.environ[JSON_BODY_KEY] = data
    return request.environ[JSON_BODY_KEY]


def strings_in(data):
    """Every string in parsed JSON, keys included: a loop, not recursion, so no
    depth of nesting can overflow the stack."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)


def read_json(key: str) -> dict:
    """The object under ``key`` in a JSON body like ``{"article": {...}}``.

    A body that is not JSON, or has no such object, is the client's mistake:
    422 with a message that says which, never a 500.
    """
    data = json_body()
    if not isinstance(data, dict) or data.get(key) is None:
        raise api_error(422, key, "can't be blank")
    if not isinstance(data[key], dict):
        raise api_error(422, key, "must be an object")
    return data[key]
# --8<-- [end:read_json]


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
    elif (CONTROL_BUT_LINES if (limit_name or field) in MULTILINE else CONTROL).search(value):
        errors[field] = ["must not contain control characters"]
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
        # Read after the field's name: "Tags can be at most 20, each at most 64 ..."
        errors["tagList"] = [f"can be at most {MAX_TAGS}, each at most {MAX_LENGTH['tag']} "
                             "characters long"]
        return None
    if any(CONTROL.search(tag) for tag in tags):
        errors["tagList"] = ["must not contain control characters"]
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
