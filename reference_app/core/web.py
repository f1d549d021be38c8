"""The small web helpers every lesson uses: the API's error format, redirects
and the viewer.

Nothing here belongs to one lesson. Lesson 1 answers errors with
``api_error``; every form answers with ``see_other``; lesson 3 and lesson 4
put a user into the request with ``set_viewer``; every route that shows
"favorited" or "following" asks ``viewer_id()``. Until a lesson sets a
viewer, there is none.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import bottle
from bottle import HTTPResponse, request, response

# Where the current request keeps the user making it (see set_viewer).
VIEWER_KEY = "stagecraft.viewer"


# --8<-- [start:api_error]
def api_error(status: int, field: str, message: str) -> HTTPResponse:
    """An API error in the RealWorld format. ``raise`` it from a route.

    Raising an HTTPResponse stops the route at once, and Bottle sends it as is.
    """
    return field_errors({field: [message]}, status)


def field_errors(errors: dict, status: int = 422) -> HTTPResponse:
    """Every field's problems at once (422 by default), so a client can show them all."""
    return HTTPResponse(json.dumps({"errors": errors}), status,
                        headers={"Content-Type": "application/json"})
# --8<-- [end:api_error]


def is_api(path: str | None = None) -> bool:
    """Is this request (or ``path``) for the JSON API rather than a page?"""
    path = path if path is not None else request.path
    return path == "/api" or path.startswith("/api/")


def refuse(status: int, field: str, message: str) -> HTTPResponse:
    """The API's JSON error under /api; elsewhere an HTML error page saying the same."""
    if is_api():
        return api_error(status, field, message)
    return bottle.HTTPError(status, f"{field.capitalize()} {message}.")


# --8<-- [start:see_other]
def see_other(path: str) -> HTTPResponse:
    """303 See Other, to ``path`` on this site. ``raise`` it from a route.

    The Location is the path alone, relative, as HTTP allows (RFC 9110).
    ``bottle.redirect()`` would make it absolute by joining it to
    ``request.url``, which Bottle builds from the client's own ``Host`` or
    ``X-Forwarded-Host`` header: a forged header would send the browser to
    another site. Characters a URL cannot hold are percent-encoded, so a tab
    or a backslash cannot turn the path into another host either.
    """
    location = quote(path, safe="/?#%:@!$&'()*+,;=~")
    if not location.startswith("/") or location.startswith("//"):
        raise ValueError(f"a redirect must stay on this site, not go to {path!r}")
    answer = response.copy(cls=HTTPResponse)  # with the cookies the route set, if any
    answer.status, answer.body = 303, ""
    answer.set_header("Location", location)
    return answer
# --8<-- [end:see_other]


# --8<-- [start:viewer]
def public_user(row: dict) -> dict:
    """The parts of a user row that may travel with the request: never the hash."""
    return {key: row[key] for key in ("id", "username", "email", "bio", "image")}


def set_viewer(user: dict | None) -> None:
    """Say who is making this request (a user row, or None for nobody)."""
    request.environ[VIEWER_KEY] = public_user(user) if user else None


def viewer() -> dict | None:
    """The logged-in user as ``{"id", "username", ...}``, or None."""
    return request.environ.get(VIEWER_KEY)


def viewer_id() -> int | None:
    user = viewer()
    return user["id"] if user else None
# --8<-- [end:viewer]
