"""Lesson 6's part of the OpenAPI document: the 304 of every API read.

ETagPlugin (etag.py) answers 304 Not Modified, with no body, to a GET whose
If-None-Match names the answer's ETag. The document lists every status the
API can return, so each GET operation described so far gets that answer too.
"""

from __future__ import annotations

import bottle

from ..core.openapi import document

NOT_MODIFIED = {"description": "Not modified: the client's copy (If-None-Match) is current",
                "headers": {"ETag": {"schema": {"type": "string"}}}}


def not_modified_paths(app: bottle.Bottle) -> dict:
    """A partial operation for ``describe``: 304 added to every GET described so far."""
    return {path: {"get": {"responses": {"304": NOT_MODIFIED}}}
            for path, operations in document(app)["paths"].items() if "get" in operations}
