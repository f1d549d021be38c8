"""Lesson 1's error handlers: JSON under /api, an HTML page elsewhere.

Bottle calls an error handler for an error no route answered itself: a path
with no route (404), a method the path does not take (405), a crash (500).
Later lessons raise more kinds of error and add them here with
``handle_errors`` (lesson 4 adds 401, lesson 5 adds 413 and 429).
"""

from __future__ import annotations

import json
import logging

import bottle
from bottle import request, response

from ..core.pages import render_page
from ..core.web import is_api

log = logging.getLogger("reference_app")

# --8<-- [start:errors]
# status: (field, message) for the JSON error body under /api.
ERROR_FIELDS = {
    400: ("request", "is malformed"),
    404: ("path", "not found"),
    405: ("method", "not allowed"),
    422: ("request", "is invalid"),
    500: ("server", "internal error"),
}


def handle_errors(app: bottle.Bottle, fields: dict) -> None:
    """Answer these statuses with ``error_handler``; ``fields`` says what the
    JSON body names for each: ``{404: ("path", "not found")}``."""
    app.config["errors.fields"] = {**app.config.get("errors.fields", {}), **fields}
    for status in fields:
        app.error(status)(error_handler)


def error_handler(error: bottle.HTTPError) -> str:
    """Bottle calls this for errors that no route answered itself."""
    if error.status_code == 500:
        # Log the traceback for us; never send it to the client. As exc_info, not in
        # the message: a formatter can then escape the path, which the client wrote.
        log.error("500 on %s %s", request.method, request.path, exc_info=error.exception)
    if is_api():
        field, message = request.app.config["errors.fields"][error.status_code]
        response.content_type = "application/json"
        return json.dumps({"errors": {field: [message]}})
    message = error.body if error.status_code != 500 else "Something went wrong on our side."
    return render_page("error", status=error.status_code, message=message,
                       title=error.status_line)
# --8<-- [end:errors]
