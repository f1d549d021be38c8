"""A WSGI application written by hand: the contract Bottle implements for us.

WSGI (PEP 3333) splits the work in two. The *server* speaks HTTP on the
socket; the *application* is a plain callable that gets the request as a dict
(`environ`), reports status and headers through `start_response`, and returns
the body as an iterable of bytes. Any WSGI server can run any WSGI app.

Run it:   python lessons/00_http/examples/wsgi_by_hand.py --port 8000
Try it:   curl -i 'http://127.0.0.1:8000/hello?name=Ada'
"""

from __future__ import annotations

import argparse
import json
from urllib.parse import parse_qs


# --8<-- [start:json_response]
def json_response(start_response, status: str, payload: dict, headers=()) -> list[bytes]:
    """Encode `payload` as JSON and announce it; the body must be bytes."""
    body = json.dumps(payload).encode("utf-8")
    start_response(status, [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),  # in bytes, like every Content-Length
        *headers,
    ])
    return [body]
# --8<-- [end:json_response]


# --8<-- [start:handlers]
def index(environ) -> tuple[str, dict]:
    return "200 OK", {"message": "Hello from a hand-written WSGI app"}


def hello(environ) -> tuple[str, dict]:
    # QUERY_STRING is the raw text after "?": parse_qs decodes %20, + and
    # repeated keys (so every value is a list).
    params = parse_qs(environ.get("QUERY_STRING", ""))
    name = params.get("name", ["world"])[0]
    return "200 OK", {"greeting": f"Hello, {name}!"}


# The routing table: path -> {method: handler}. A router in miniature.
ROUTES = {
    "/": {"GET": index},
    "/hello": {"GET": hello},
}
# --8<-- [end:handlers]


# --8<-- [start:wsgi_app]
def app(environ, start_response):
    """The WSGI entry point: environ in, start_response called once, bytes out."""
    path = environ.get("PATH_INFO", "/")
    methods = ROUTES.get(path)
    if methods is None:  # no such path: 404
        return json_response(start_response, "404 Not Found",
                             {"errors": {"path": [f"no route for {path}"]}})
    handler = methods.get(environ["REQUEST_METHOD"])
    if handler is None:  # the path exists, the method does not: 405 and say what is allowed
        return json_response(start_response, "405 Method Not Allowed",
                             {"errors": {"method": ["not allowed"]}},
                             headers=[("Allow", ", ".join(sorted(methods)))])
    status, payload = handler(environ)
    return json_response(start_response, status, payload)
# --8<-- [end:wsgi_app]


# --8<-- [start:serve]
def main(argv: list[str] | None = None) -> None:
    # wsgiref is the standard library's reference WSGI server: fine for
    # learning, not for production (it serves one request at a time).
    from wsgiref.simple_server import make_server

    parser = argparse.ArgumentParser(description="Serve the hand-written WSGI app.")
    parser.add_argument("--port", type=int, default=8000)
    port = parser.parse_args(argv).port
    with make_server("127.0.0.1", port, app) as server:
        print(f"Serving on http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("\nStopped.")
# --8<-- [end:serve]


if __name__ == "__main__":
    main()
