"""Lesson 8: new comments, live, as Server-Sent Events.

``GET /article/<slug>/comments/live`` is an ordinary HTTP response that does
not end: ``text/event-stream``, one event per new comment, in the format that
a browser's ``EventSource`` reads:

    retry: 3000            <- if the connection drops, reconnect after 3 s

    id: 42                 <- the browser sends it back as Last-Event-ID
    event: comment
    data: {"comment": {...}}

    : heartbeat            <- a comment line, ignored by the browser

The route is a generator. The server sends each piece it yields at once, and
while it waits for the next, it holds the connection, and with it a thread
of a gunicorn worker (lesson 8's page measures what that costs).
"""

from __future__ import annotations

import json
import re
import time

from bottle import request, response

from ..core.web import refuse
from .broker import TooManyStreams
from .publishing import channel

RETRY_MS = 3000  # how long a browser waits before it reconnects
BUSY_RETRY_MS = 10_000  # how long, when every stream this process may hold is taken
NUMBER = re.compile(r"[0-9]{1,18}")


# --8<-- [start:live_route]
def live_comments(slug, store):
    """GET /article/<slug>/comments/live: the article's new comments, as they come."""
    article = store.article_row(slug)
    if article is None:
        raise refuse(404, "article", "not found")
    try:
        subscription = request.app.config["realtime.broker"].subscribe(channel(article["id"]))
    except TooManyStreams:
        return come_back_later()
    try:  # subscribed first, then read: a comment written in between arrives twice, not never
        after = last_seen()
        missed = [] if after is None else [
            comment for comment in reversed(store.list_comments(slug)) if comment["id"] > after]
    except BaseException:
        subscription.close()
        raise
    response.content_type = "text/event-stream"
    response.set_header("Cache-Control", "no-store")
    settings = request.app.config["stagecraft.settings"]
    return event_stream(subscription, missed, settings.live_heartbeat_seconds,
                        settings.live_max_seconds)


def come_back_later() -> str:
    """The answer when this process holds all the streams it may: a stream that
    ends at once, and asks the browser to reconnect in a while. Not a 503: an
    EventSource that gets any status but 200 gives up for good."""
    response.content_type = "text/event-stream"
    response.set_header("Cache-Control", "no-store")
    return f"retry: {BUSY_RETRY_MS}\n\n"


def last_seen() -> int | None:
    """The newest comment id the client has: the Last-Event-ID header that a
    reconnecting EventSource sends, or ``?after=`` from the page's first connect."""
    sent = request.get_header("Last-Event-ID") or request.query.get("after")
    return int(sent) if sent and NUMBER.fullmatch(sent) else None
# --8<-- [end:live_route]


# --8<-- [start:event_stream]
def event_stream(subscription, missed: list, heartbeat: float, lifetime: float):
    """The response body. Each ``yield`` is written to the client at once.

    It ends when its lifetime is over, or when the client has left: then the
    server's next write fails, and the server closes this generator, which
    runs the ``with``'s exit: the subscription ends with the stream, always.
    """
    with subscription:
        yield f"retry: {RETRY_MS}\n\n"
        for comment in missed:
            yield sse({"event": "comment", "id": comment["id"], "comment": comment})
        ends = time.monotonic() + lifetime
        while (left := ends - time.monotonic()) > 0 and not subscription.behind:
            message = subscription.get(timeout=min(heartbeat, left))
            yield sse(json.loads(message)) if message else ": heartbeat\n\n"


def sse(message: dict) -> str:
    """One event. Only a new comment gets an ``id:``: the id a reconnecting
    browser sends back is then always the newest comment it has."""
    kind = message.pop("event")
    if kind == "comment":
        lines = [f"id: {message['id']}", f"event: {kind}",
                 "data: " + json.dumps({"comment": message["comment"]})]
    else:
        lines = [f"event: {kind}", "data: " + json.dumps(message)]
    # json.dumps escapes newlines inside strings: each data line stays one line.
    return "\n".join(lines) + "\n\n"
# --8<-- [end:event_stream]
