"""Lesson 8: real time.

New comments reach the article pages that are open, as they are written:

- broker.py: publish and subscribe, in one process or through Redis pub/sub,
  so a comment posted through one gunicorn worker reaches streams on all;
- publishing.py: every comment written is published, through the store seam;
- stream.py: the Server-Sent Events route that a page's EventSource reads;
- sockets.py: the same feed over a WebSocket, to compare the two;
- static/live-comments.js and views/: the page's part, with a live region.

A stream holds a connection, and with it a worker's thread, for as long as it
is open: lesson 8's page counts what each kind of gunicorn worker allows.
"""

from __future__ import annotations

from pathlib import Path

import bottle
from prometheus_client import Gauge

from ..core.pages import add_to_slot, add_views
from .broker import make_broker
from .publishing import publishing
from .sockets import live_comments_socket, taken_over
from .stream import live_comments

HERE = Path(__file__).parent


# --8<-- [start:install]
def install(app: bottle.Bottle, settings) -> None:
    broker = make_broker(settings, watch=streams_gauge(app).set)
    app.config["realtime.broker"] = broker
    # Every store a request gets now publishes the comments it writes.
    app.config["store.class"] = publishing(app.config["store.class"], broker)
    app.route("/article/<slug:slug>/comments/live", "GET", live_comments, name="live_comments")
    app.route("/article/<slug:slug>/comments/socket", "GET", live_comments_socket,
              name="live_comments_socket")
    app.route("/scripts/live-comments.js", "GET", live_script, name="live_comments_script")
    app.add_middleware(taken_over)  # outermost: after a WebSocket, no HTTP answer
    add_views(app, HERE / "views")
    add_to_slot(app, "head", "live_script")
    add_to_slot(app, "comment_form", "live_comments")
    add_to_slot(app, "comment_actions", "comment_marker")
# --8<-- [end:install]


def streams_gauge(app: bottle.Bottle) -> Gauge:
    """``stagecraft_live_streams`` in lesson 7's /metrics: the streams open now.
    Under gunicorn, the sum over the workers alive."""
    return Gauge("stagecraft_live_streams", "Live comment streams (SSE and WebSocket) open now.",
                 registry=app.config["metrics.registry"], multiprocess_mode="livesum")


def live_script():
    return bottle.static_file("live-comments.js", root=str(HERE / "static"),
                              mimetype="text/javascript")
