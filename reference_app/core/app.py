"""The app object: Bottle, plus one seam Bottle does not have, WSGI middleware.

Bottle's own seams (plugins, route config, hooks) all run *inside* Bottle's
request handling. When a route crashes, Bottle runs the after_request hooks
while the exception is still in flight, and only then builds the 500 page,
with fresh headers: whatever the hooks set is gone. So a hook cannot promise
"every response gets these headers" or "every request gets one log line".

Something that must see every response, 500s included, sits outside Bottle:
WSGI middleware, a function that wraps the app's ``__call__``. Lesson 5 adds
its security headers this way, and lesson 7 its access log.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import bottle

Middleware = Callable  # takes a WSGI app, returns a WSGI app


class App(bottle.Bottle):
    """A Bottle app whose lessons may also wrap it in WSGI middleware."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.middleware: list[Middleware] = []

    def add_middleware(self, middleware: Middleware) -> None:
        """Wrap the app in ``middleware``; the last one added sees requests first."""
        self.middleware.append(middleware)
        self.__dict__.pop("wrapped", None)  # build the stack again on the next request

    def remove_middleware(self, middleware: Middleware) -> None:
        """Take ``middleware`` out again, as Bottle's ``uninstall`` does for a plugin.
        The benchmarks use it to measure what one piece costs."""
        self.middleware.remove(middleware)
        self.__dict__.pop("wrapped", None)

    @functools.cached_property
    def wrapped(self):
        """Bottle's own WSGI handler inside every middleware, built once."""
        handler = self.wsgi
        for middleware in self.middleware:
            handler = middleware(handler)
        return handler

    def __call__(self, environ, start_response):
        return self.wrapped(environ, start_response)
