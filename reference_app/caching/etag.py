"""Lesson 6: ETags. A client that already has the answer gets a bodiless 304.

Hand-written to be read. A team would use its framework's conditional-response
support (WebOb's, Werkzeug's) or a caching proxy in front.
"""

from __future__ import annotations

import hashlib

import orjson
from bottle import request, response

from ..core.web import is_api


# --8<-- [start:etag]
class ETagPlugin:
    """ETag and 304 Not Modified for the API's GET routes.

    The ETag is a hash of the exact JSON bytes. A client sends it back in
    If-None-Match; if the answer has not changed, it gets 304 and no body.
    The bytes come from orjson, not the json module: on a page of 20 articles
    it is about ten times faster, and this runs on every API read.
    """

    name = "etag"
    api = 2

    def apply(self, callback, route):
        if route.method != "GET" or not is_api(route.rule):
            return callback

        def with_etag(*args, **kwargs):
            result = callback(*args, **kwargs)
            if not isinstance(result, dict):
                return result
            body = orjson.dumps(result)
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            response.set_header("ETag", etag)
            # The answer depends on who asks: a shared cache must key on it.
            response.add_header("Vary", "Authorization")
            # Two headers read straight from the WSGI environ: request.get_header()
            # would first build a dict of every header, on every request.
            environ = request.environ
            if not environ.get("HTTP_AUTHORIZATION"):
                # Anyone may store it, but must check with us before reusing it.
                response.set_header("Cache-Control", "public, no-cache")
            if etag_matches(environ.get("HTTP_IF_NONE_MATCH"), etag):
                response.status = 304
                return ""
            response.content_type = "application/json"
            return body

        return with_etag


def etag_matches(header: str | None, etag: str) -> bool:
    """Does an If-None-Match header name this ETag? Weak (W/) forms count too."""
    if not header:
        return False
    candidates = [part.strip().removeprefix("W/") for part in header.split(",")]
    return "*" in candidates or etag in candidates
# --8<-- [end:etag]
