"""Solution: etag_304."""

import hashlib
import json

import bottle

ARTICLES = {
    "hello-world": {"slug": "hello-world", "title": "Hello, world", "body": "First post."},
}


def compute_etag(body: bytes) -> str:
    """A strong ETag for `body`: a hash of it, in double quotes."""
    return f'"{hashlib.sha256(body).hexdigest()}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Does the If-None-Match header value match `etag`? (weak comparison)"""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    candidates = [item.strip().removeprefix("W/") for item in if_none_match.split(",")]
    return etag in candidates


def make_app() -> bottle.Bottle:
    app = bottle.Bottle()

    @app.get("/api/articles/<slug>")
    def article(slug):
        if slug not in ARTICLES:
            bottle.abort(404)
        body = json.dumps({"article": ARTICLES[slug]}).encode()
        etag = compute_etag(body)
        if etag_matches(bottle.request.headers.get("If-None-Match"), etag):
            return bottle.HTTPResponse(status=304, ETag=etag)  # the client's copy is current
        bottle.response.set_header("ETag", etag)
        bottle.response.set_header("Cache-Control", "no-cache")  # store, but revalidate
        bottle.response.content_type = "application/json"
        return body

    return app
