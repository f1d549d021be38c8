"""Lesson 5: limits on what a request may send, checked before any route runs.

- A body larger than ``max_body_bytes`` is refused with 413, whether the
  client announced its size (Content-Length) or streams it in chunks
  (Transfer-Encoding: chunked), which announces nothing.
- The API takes JSON only: a body of another type is refused with 415.
- A CORS preflight (OPTIONS) is answered here, when CORS is configured.
"""

from __future__ import annotations

import bottle
from bottle import request

from ..core.web import api_error, is_api, refuse


class RequestLimits:
    """The ``before_request`` checks, configured from settings."""

    def __init__(self, settings):
        self.settings = settings

    # --8<-- [start:check]
    def check(self):
        # Read from the WSGI environ: it runs on every request, and Bottle's
        # request.headers would build a dict of all the headers for one of them.
        environ, limit = request.environ, self.settings.max_body_bytes
        length = request.content_length
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if length > limit:
            raise too_large(limit)
        if chunked:  # no length to check up front: count the bytes as they are read
            environ["wsgi.input"] = CappedReader(environ["wsgi.input"], limit)
        if not is_api():
            return
        method = request.method
        if method == "OPTIONS" and self.settings.cors_origins:
            raise preflight()
        if (length > 0 or chunked) and method in ("POST", "PUT", "PATCH") \
                and request.content_type.split(";")[0].strip().lower() != "application/json":
            raise api_error(415, "body", "must be JSON (Content-Type: application/json)")
    # --8<-- [end:check]


def too_large(limit: int) -> bottle.HTTPResponse:
    return refuse(413, "body", f"is too large (maximum is {limit} bytes)")


# --8<-- [start:capped_reader]
class CappedReader:
    """A request body stream that refuses to yield more than ``limit`` bytes.

    Bottle reads a chunked body through ``wsgi.input.read``; past the limit
    this raises the 413, and Bottle answers with it like any HTTPResponse.
    """

    def __init__(self, stream, limit: int):
        self.stream, self.limit, self.seen = stream, limit, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size) if size is not None and size >= 0 else self.stream.read()
        self.seen += len(data)
        if self.seen > self.limit:
            raise too_large(self.limit)
        return data
# --8<-- [end:capped_reader]


# --8<-- [start:preflight]
def preflight() -> bottle.HTTPResponse:
    """The browser's "may I?" before a cross-origin write. Answered only when
    CORS is configured; headers.py adds Allow-Origin if the origin is on the
    list, and without that header the browser stops right here."""
    return bottle.HTTPResponse(status=204, headers={
        "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
        "Access-Control-Allow-Headers": "Authorization, Content-Type",
        "Access-Control-Max-Age": "600",
    })
# --8<-- [end:preflight]
