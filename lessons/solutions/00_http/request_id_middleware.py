"""Solution: request_id_middleware."""

import re
import uuid

SAFE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def request_id_middleware(app):
    """Wrap `app` so that every request has an ID, in environ and in the response."""

    def wrapper(environ, start_response):
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex
        environ["request_id"] = request_id

        def start_with_id(status, headers, exc_info=None):
            return start_response(status, [*headers, ("X-Request-ID", request_id)], exc_info)

        return app(environ, start_with_id)

    return wrapper
