"""Exercise etag_304: conditional GET with ETag and If-None-Match, by hand.

An ETag is a fingerprint of a response body. The client keeps it and asks
"has it changed?" with If-None-Match; if not, the answer is 304 Not Modified
with no body: the bytes are not sent again.
"""

import hashlib  # noqa: F401  (you will need it)
import json

import bottle

ARTICLES = {
    "hello-world": {"slug": "hello-world", "title": "Hello, world", "body": "First post."},
}


def compute_etag(body: bytes) -> str:
    """A strong ETag for `body`: a hash of it, in double quotes."""
    # TODO 1: return '"' + the sha256 hex digest of body + '"' (quotes included:
    #         they are part of the ETag syntax).
    raise NotImplementedError("compute_etag")


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Does the If-None-Match header value match `etag`?"""
    # TODO 2: None or "" -> False; "*" -> True; otherwise a comma-separated
    #         list of ETags, each maybe with a W/ prefix: True if any equals etag.
    raise NotImplementedError("etag_matches")


def make_app() -> bottle.Bottle:
    app = bottle.Bottle()

    @app.get("/api/articles/<slug>")
    def article(slug):
        if slug not in ARTICLES:
            bottle.abort(404)
        body = json.dumps({"article": ARTICLES[slug]}).encode()
        # TODO 3: compute the ETag and send it (ETag header) with
        #         "Cache-Control: no-cache" (= keep it, but ask me before reuse).
        # TODO 4: if the request's If-None-Match matches, return
        #         bottle.HTTPResponse(status=304) carrying the ETag, no body.
        bottle.response.content_type = "application/json"
        return body

    return app
