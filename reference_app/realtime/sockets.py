"""Lesson 8: the same live comments over a WebSocket, to compare with SSE.

A WebSocket starts as an HTTP request (``Upgrade: websocket``), then leaves
HTTP: both sides send frames on the bare connection, in both directions.
The protocol (RFC 6455: the handshake, framing, masking, ping and close) is
the library's work, simple-websocket's, never ours. WSGI has no word for
"take the socket", so the library finds it where the server left it: gunicorn
puts it in ``environ["gunicorn.socket"]``. Python's development server
(wsgiref) does not, and cannot serve this route.
"""

from __future__ import annotations

import contextlib
import time

import simple_websocket
from bottle import request, response

from ..core.web import refuse
from .broker import TooManyStreams
from .publishing import channel

# The route sets this when it has taken the connection over (see taken_over).
TAKEN_KEY = "stagecraft.socket_taken"


# --8<-- [start:socket_route]
def live_comments_socket(slug, store):
    """GET /article/<slug>/comments/socket: the article's new comments as WebSocket messages."""
    article = store.article_row(slug)
    if article is None:
        raise refuse(404, "article", "not found")
    if request.get_header("Upgrade", "").lower() != "websocket":
        raise refuse(426, "connection", "must be upgraded to a WebSocket")
    settings = request.app.config["stagecraft.settings"]
    try:
        subscription = request.app.config["realtime.broker"].subscribe(channel(article["id"]))
    except TooManyStreams:
        raise refuse(503, "streams", "are all in use; try again soon") from None
    with subscription:
        try:  # the handshake: the library answers 101 Switching Protocols itself
            ws = simple_websocket.Server.accept(request.environ,
                                                ping_interval=settings.live_heartbeat_seconds)
        except RuntimeError:  # no socket to take: not a server the library knows
            raise refuse(501, "websockets", "need gunicorn (reference-app serve --prod)") from None
        request.environ[TAKEN_KEY] = True
        response.status = 101  # what the access log and the metrics record
        ends = time.monotonic() + settings.live_max_seconds
        try:
            while ws.connected and not subscription.behind:
                left = ends - time.monotonic()
                if left <= 0:
                    break
                message = subscription.get(timeout=min(1.0, left))  # then check the client
                if message:
                    ws.send(message)  # the broker's JSON, as one text message
        except (simple_websocket.ConnectionClosed, OSError):
            pass  # the client left while we wrote
        finally:
            with contextlib.suppress(simple_websocket.ConnectionClosed, OSError):
                ws.close()  # raises if the client closed first
    return ""
# --8<-- [end:socket_route]


# --8<-- [start:taken_over]
def taken_over(app):
    """Middleware: after a route took the socket, send no HTTP answer on it.

    Bottle still builds a response for the finished route; written on the
    socket, it would reach the client as garbage after the WebSocket's close.
    gunicorn's workers take StopIteration from the app to mean "the connection
    is finished, close it" (Flask-Sock relies on the same), so we raise it here,
    outside Bottle, which would otherwise turn it into a 500.
    """
    def app_or_nothing(environ, start_response):
        body = app(environ, start_response)
        if environ.get(TAKEN_KEY):
            if hasattr(body, "close"):
                body.close()
            raise StopIteration
        return body

    return app_or_nothing
# --8<-- [end:taken_over]
