"""Lesson 8: new comments reach open article pages live, as Server-Sent Events.

A stream does not end, so WebTest (which reads a whole body) cannot hold one
open while another request runs. These tests call the app as a WSGI server
does instead: ``open_stream`` starts the request and returns the body
iterator, each ``next()`` is the next piece the server would write, and
``close()`` is what the server does when the client has left. All in one
thread, so nothing here waits on a clock: a piece that should be there
already is there on the next ``next()``.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from conftest import post_form, register_on_pages
from webtest import TestRequest

pytestmark = pytest.mark.stage(8)


class Stream:
    """A live request, as a WSGI server sees it."""

    def __init__(self, app, path, headers=None):
        started = []
        environ = TestRequest.blank(path, headers=headers or {}).environ
        self.body = app(environ, lambda status, headers, exc_info=None: started.append(
            (int(status[:3]), dict(headers))))
        self.status, self.headers = started[0]
        self.pieces = iter(self.body)

    def next_text(self) -> str:
        return next(self.pieces).decode()

    def next_event(self) -> dict:
        """The next event's fields, after any heartbeats: {"id", "event", "data"}."""
        text = self.next_text()
        while text.startswith(":"):
            text = self.next_text()
        fields = dict(line.split(": ", 1) for line in text.strip().split("\n"))
        fields["data"] = json.loads(fields["data"])
        return fields

    def rest(self) -> str:
        """Everything until the stream ends by itself."""
        return "".join(piece.decode() for piece in self.pieces)

    def close(self):
        self.body.close()


@pytest.fixture
def slug(client):
    return client.get("/api/articles").json["articles"][0]["slug"]


def live(slug):
    return f"/article/{slug}/comments/live"


def comment(client, slug, headers, body):
    return client.post_json(f"/api/articles/{slug}/comments", {"comment": {"body": body}},
                            headers=headers).json["comment"]


def streams_open(client) -> float:
    """Lesson 8's gauge in lesson 7's /metrics: the streams this process holds."""
    found = re.search(r"^stagecraft_live_streams (\S+)$", client.get("/metrics").text, re.M)
    return float(found.group(1))


def test_the_stream_is_an_event_stream_that_says_when_to_reconnect(app, slug):
    stream = Stream(app, live(slug))
    assert stream.status == 200
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    assert stream.headers["Cache-Control"] == "no-store"
    assert re.fullmatch(r"retry: \d+\n\n", stream.next_text())
    stream.close()


def test_an_unknown_article_has_no_stream(client):
    client.get(live("no-such-article"), status=404)


def test_a_stream_gets_a_comment_posted_after_it_opened(app, client, slug, author):
    headers, username = author
    stream = Stream(app, live(slug))
    stream.next_text()  # retry: the stream is open, and subscribed
    posted = comment(client, slug, headers, "Live, at last")
    event = stream.next_event()
    assert event["event"] == "comment" and event["id"] == str(posted["id"])
    assert event["data"]["comment"]["body"] == "Live, at last"
    assert event["data"]["comment"]["author"]["username"] == username
    stream.close()


def test_a_comment_from_the_page_form_reaches_the_stream_too(app, client, slug):
    register_on_pages(client)
    stream = Stream(app, live(slug))
    stream.next_text()
    post_form(client, f"/article/{slug}/comments", {"body": "From the form"}, status=303)
    assert stream.next_event()["data"]["comment"]["body"] == "From the form"
    stream.close()


def test_a_comment_on_another_article_is_not_sent(app, client, author):
    headers, _ = author
    first, second = (a["slug"] for a in client.get("/api/articles").json["articles"][:2])
    stream = Stream(app, live(first))
    stream.next_text()
    comment(client, second, headers, "Elsewhere")
    comment(client, first, headers, "Here")
    assert stream.next_event()["data"]["comment"]["body"] == "Here"
    stream.close()


def test_a_deleted_comment_is_announced(app, client, slug, author):
    headers, _ = author
    posted = comment(client, slug, headers, "Soon gone")
    stream = Stream(app, live(slug))
    stream.next_text()
    client.delete(f"/api/articles/{slug}/comments/{posted['id']}", headers=headers)
    event = stream.next_event()
    assert event["event"] == "comment-deleted" and event["data"] == {"id": posted["id"]}
    assert "id" not in event  # only new comments move the id a browser sends back
    stream.close()


def test_a_reconnecting_client_gets_what_it_missed(app, client, slug, author):
    headers, _ = author
    seen = comment(client, slug, headers, "Seen before the drop")
    missed = [comment(client, slug, headers, f"Missed {n}") for n in (1, 2)]
    stream = Stream(app, live(slug), {"Last-Event-ID": str(seen["id"])})
    stream.next_text()
    replayed = [stream.next_event() for _ in missed]
    assert [e["id"] for e in replayed] == [str(c["id"]) for c in missed]  # oldest first
    stream.close()
    # A page's first connect says the newest comment it shows, in ?after=.
    stream = Stream(app, live(slug) + f"?after={missed[0]['id']}")
    stream.next_text()
    assert stream.next_event()["id"] == str(missed[1]["id"])
    stream.close()


def test_a_quiet_stream_sends_heartbeats(client_with, slug):
    app = client_with(live_heartbeat_seconds=0).app
    stream = Stream(app, live(slug))
    stream.next_text()
    assert stream.next_text() == ": heartbeat\n\n"  # a comment line: EventSource ignores it
    stream.close()


def test_a_stream_ends_after_its_lifetime(client_with, slug):
    client = client_with(live_max_seconds=0)
    stream = Stream(client.app, live(slug))
    assert re.fullmatch(r"retry: \d+\n\n", stream.rest())  # then the browser reconnects
    assert streams_open(client) == 0


def test_a_stream_that_the_client_leaves_ends_and_unsubscribes(app, client, slug, author):
    headers, _ = author
    streams = [Stream(app, live(slug)) for _ in range(2)]
    for stream in streams:
        stream.next_text()
    assert streams_open(client) == 2
    streams[0].close()  # what a server does when its write to a gone client fails
    assert streams_open(client) == 1
    comment(client, slug, headers, "Only one listens")  # publishing to a closed one is no error
    assert streams[1].next_event()["data"]["comment"]["body"] == "Only one listens"
    streams[1].close()
    assert streams_open(client) == 0


def test_a_stream_is_logged_and_timed_when_it_ends_not_when_it_starts(app, client, slug,
                                                                      caplog, monkeypatch):
    # Lesson 7's access line and latency histogram, for an answer that lasts
    # 90 s on a clock of our own: written when the server closes the stream.
    now = [1000.0]
    monkeypatch.setattr(time, "perf_counter", lambda: now[0])
    caplog.set_level("INFO", logger="reference_app.access")

    def lines():
        return [r.fields for r in caplog.records
                if r.name == "reference_app.access" and r.fields["path"] == live(slug)]

    def in_progress():  # the scrape itself is one of them
        found = re.search(r"^stagecraft_http_requests_in_progress (\S+)$",
                          client.get("/metrics").text, re.M)
        return float(found.group(1))

    idle = in_progress()
    stream = Stream(app, live(slug))
    stream.next_text()
    assert lines() == [] and in_progress() == idle + 1  # still being answered
    now[0] += 90
    stream.close()
    assert [(line["status"], line["duration_ms"]) for line in lines()] == [(200, 90_000)]
    assert in_progress() == idle
    seconds = re.search(r'^stagecraft_http_request_duration_seconds_sum\{[^}]*'
                        r'route="/article/[^"]*/comments/live"\} (\S+)$',
                        client.get("/metrics").text, re.M)
    assert float(seconds.group(1)) == 90


def test_more_streams_than_the_limit_are_told_to_come_back_later(client_with, slug):
    client = client_with(live_max_streams=1)
    first = Stream(client.app, live(slug))
    usual = int(re.fullmatch(r"retry: (\d+)\n\n", first.next_text()).group(1))
    # Not a 503: EventSource gives up for good on any status but 200. A stream
    # that ends at once, with a longer retry, makes it come back later.
    busy = Stream(client.app, live(slug))
    assert busy.status == 200
    wait = int(re.fullmatch(r"retry: (\d+)\n\n", busy.rest()).group(1))
    assert wait > usual
    client.get("/healthz", status=200)  # other requests go on
    first.close()
    second = Stream(client.app, live(slug))
    assert re.fullmatch(r"retry: \d+\n\n", second.next_text())
    assert streams_open(client) == 1
    second.close()


def test_the_article_page_has_a_live_region_and_its_script(client, slug):
    page = client.get(f"/article/{slug}")
    region = page.html.find(id="live-comments")
    assert region["role"] == "status" and region["aria-live"] == "polite"
    assert region["data-stream"].startswith(live(slug) + "?after=")
    script = page.html.find("script", src=True)
    assert script.has_attr("defer")
    code = client.get(script["src"])
    assert code.content_type == "text/javascript"
    assert "EventSource" in code.text and "textContent" in code.text
    assert "innerHTML" not in code.text  # a comment's text never becomes HTML


def test_the_page_asks_for_the_comments_after_its_newest(client, slug, author):
    headers, _ = author
    posted = comment(client, slug, headers, "Newest")
    page = client.get(f"/article/{slug}")
    assert page.html.find(id="live-comments")["data-stream"].endswith(f"?after={posted['id']}")
    # Each comment carries its id, so the script can skip one it already shows.
    assert page.html.find("data", class_="comment-id")["value"] == str(posted["id"])


def test_pages_other_than_articles_load_no_live_script(client):
    assert client.get("/").html.find("script", src=True) is None


def test_the_websocket_route_wants_an_upgrade(client, slug):
    client.get(f"/article/{slug}/comments/socket", status=426)


def test_the_development_server_cannot_hand_over_a_websocket(client, slug):
    # WSGI has no way to give the socket away; gunicorn does (test_realtime_workers.py).
    client.get(f"/article/{slug}/comments/socket", headers={
        "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}, status=501)


def test_a_stream_gets_a_comment_through_redis(client_with, redis_url, slug, accounts):
    client = client_with(redis_url=redis_url)
    headers, _ = accounts.headers_for("rita")
    stream = Stream(client.app, live(slug))
    stream.next_text()
    client.post_json(f"/api/articles/{slug}/comments", {"comment": {"body": "Via Redis"}},
                     headers=headers)
    assert stream.next_event()["data"]["comment"]["body"] == "Via Redis"
    stream.close()
    assert streams_open(client) == 0
