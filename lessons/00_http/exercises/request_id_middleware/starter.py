"""Exercise request_id_middleware: WSGI middleware that tags each request.

Middleware is a WSGI app that wraps another WSGI app. It can change the
request on the way in (environ) and the response on the way out (by wrapping
start_response). Bottle plugins and hooks do the same job, one layer up.
"""

import re
import uuid  # noqa: F401  (you will need it)

# A request ID from the client is reused only if it looks harmless: it ends
# up in logs and headers, so never trust arbitrary text there.
SAFE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def request_id_middleware(app):
    """Wrap `app` so that every request has an ID.

    The ID is `environ["request_id"]` for the inner app, and the response
    carries it back in an `X-Request-ID` header.
    """

    def wrapper(environ, start_response):
        # TODO 1: reuse the client's X-Request-ID header if SAFE_ID fully
        #         matches it; otherwise make a new one with uuid.uuid4().hex.
        #         (In environ, a header "X-Request-ID" is "HTTP_X_REQUEST_ID".)
        # TODO 2: put it in environ["request_id"] for the inner app.
        # TODO 3: call app() with your own start_response that adds
        #         ("X-Request-ID", request_id) to the headers, and passes
        #         status, headers and exc_info on to the real one.
        return app(environ, start_response)

    return wrapper
