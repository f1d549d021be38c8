"""The ceiling's and the floor's answers, replayed byte for byte by a bare WSGI app.

``python -m benchmarks.cpu_per_request`` serves this beside the ceiling and
the floor, under the same gunicorn settings, to split the gap between them:

- ``/hello`` replayed, to the ceiling: what Bottle itself costs;
- ``/hello`` replayed, to ``/api/floor`` replayed: what gunicorn pays to write
  the floor's longer answer (nine headers against two);
- ``/api/floor`` replayed, to the floor: what the last stage's Python costs.

Each answer is captured from the real app, once, when a worker imports this
module, so it cannot drift from what the app really sends.
"""

import io
import sys

from benchmarks import hello
from benchmarks.floor import build
from benchmarks.profile_floor import ENVIRON


def capture(app, path: str) -> tuple[str, list, bytes]:
    """One request through WSGI: the status line, headers and body it answered."""
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=headers)

    environ = {**ENVIRON, "PATH_INFO": path, "wsgi.input": io.BytesIO(),
               "wsgi.errors": sys.stderr}
    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


def replaying(answers: dict):
    """A WSGI app that gives every request for a path the answer captured for it."""
    def app(environ, start_response):
        status, headers, body = answers[environ["PATH_INFO"]]
        start_response(status, headers)
        return [body]
    return app


app = replaying({"/hello": capture(hello.app, "/hello"),
                 "/api/floor": capture(build(), "/api/floor")})
