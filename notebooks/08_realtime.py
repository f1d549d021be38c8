# %% [markdown]
# # Lesson 8 notebook: real time
#
# At stage 8, a new comment reaches every open page of its article as it is
# written, as a Server-Sent Event. In this notebook you open a stream to a
# real `serve --prod` and read it byte for byte, post a comment and watch
# the event arrive, leave and come back with `Last-Event-ID`, and see the
# server let go of a client that has gone. Then you count what a stream
# costs: a gunicorn *sync* worker blocked by one stream, a *gthread* worker
# that holds as many as it has threads, and two workers that only hear each
# other's comments through Redis.
#
# **Lesson:** [Lesson 8: Real time](../lessons/08_realtime/index.md)
#
# **Needs:** only the project's Python environment (gunicorn is part of it).
# Section 5 also uses `redis-server` if it is installed; without it, that
# cell says so and moves on. Everything listens on 127.0.0.1, every server
# this notebook starts, it stops, and the database is in a temporary folder,
# removed in the last cell.

# %%
import json
import shutil
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as NoAnswerYet

import matplotlib.pyplot as plt
import pandas as pd
import psutil

from reference_app.seed import DEMO_PASSWORD
from reference_app.servers import gunicorn, redis_server

from helpers import Scratch, client_for, request

scratch = Scratch()  # a temporary folder for the database and the servers' files
database = scratch.seeded(users=5, articles=20).database
# A heartbeat every second instead of 15: a server notices a client that left at
# its next write, and this notebook does not want to wait 15 s to show it.
QUICK = {"STAGECRAFT_LIVE_HEARTBEAT_SECONDS": "1"}


# %%
# A tool: a stream read the way a browser's EventSource reads it. (Plain HTTP requests
# are helpers.request, as in notebook 7.)
class Stream:
    """An open GET of an article's live comments, on a socket of its own.

    ``events()`` parses what has arrived the way a browser's EventSource does,
    waiting at most ``seconds`` for more: every wait here is bounded. gunicorn
    sends a body of unknown length in chunks (``Transfer-Encoding: chunked``:
    a length in hex, the bytes, a line break), so ``text()`` takes that framing off.
    """

    def __init__(self, server, slug: str, headers=None):
        self.socket = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        lines = [f"GET /article/{slug}/comments/live HTTP/1.1", "Host: notebook",
                 *(f"{name}: {value}" for name, value in (headers or {}).items())]
        self.socket.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.opened = time.monotonic()
        self.raw, self.body, self.ended = b"", "", False
        while b"\r\n\r\n" not in self.raw:  # the status line and headers come at once
            self.receive(30)
        head, _, self.raw = self.raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode().split("\r\n")
        self.status = int(status_line.split()[1])
        self.headers = dict(line.split(": ", 1) for line in header_lines)
        self.chunked = self.headers.get("Transfer-Encoding") == "chunked"

    def receive(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for more bytes; False if none came."""
        self.socket.settimeout(max(0.01, seconds))
        try:
            piece = self.socket.recv(65536)
        except TimeoutError:
            return False
        self.ended = self.ended or piece == b""
        self.raw += piece
        return bool(piece)

    def text(self) -> str:
        """Everything the body has said so far, framing taken off."""
        while self.chunked and b"\r\n" in self.raw:
            size_line, _, rest = self.raw.partition(b"\r\n")
            size = int(size_line, 16)
            if len(rest) < size + 2:
                break  # the rest of this chunk is still on its way
            self.body += rest[:size].decode()
            self.raw = rest[size + 2:]
        if not self.chunked:
            self.body, self.raw = self.body + self.raw.decode(), b""
        return self.body

    def events(self, seconds: float = 2.0, until=None) -> list[dict]:
        """Events (and heartbeats) as EventSource parses them, with when each was read."""
        found = []
        deadline = time.monotonic() + seconds
        while not (until and until(found)):
            text = self.text()
            while "\n\n" in text:  # a blank line ends an event
                event, _, text = text.partition("\n\n")
                fields = {"after (s)": round(time.monotonic() - self.opened, 3)}
                for line in event.split("\n"):
                    if line.startswith(":"):
                        fields["comment"] = line[1:].strip()
                    else:
                        name, _, value = line.partition(": ")
                        fields[name] = value
                found.append(fields)
            self.body = text
            left = deadline - time.monotonic()
            if left <= 0 or self.ended or not self.receive(left):
                break
        return found

    def close(self):
        self.socket.close()  # what a closed browser tab does: the connection goes away


def blanks(table: pd.DataFrame) -> pd.DataFrame:
    """Empty cells shown empty, not as NaN."""
    return table.astype(object).where(table.notna(), "")


def events_table(events: list[dict]) -> pd.DataFrame:
    return blanks(pd.DataFrame(events).reindex(
        columns=["after (s)", "retry", "id", "event", "data", "comment"]))


def live_streams(server) -> float:
    """Lesson 8's gauge in lesson 7's /metrics: the streams the server holds open."""
    _, _, text = request(server, "GET", "/metrics")
    line = next(line for line in text.splitlines() if line.startswith("stagecraft_live_streams "))
    return float(line.split()[1])


# %% [markdown]
# ## 1. A stream, on the wire
#
# Start stage 8 as in production: `serve --prod`, gunicorn with one gthread
# worker. Open the stream of one article. The status line and the headers
# come at once; then the first event, `retry:`, tells the browser how long
# to wait before it reconnects; then, while nothing happens, heartbeats:
# comment lines, which the browser ignores.

# %%
server = scratch.serve(stage=8, workers=1, **QUICK)
_, _, body = request(server, "GET", "/api/articles?limit=1")
slug = body["articles"][0]["slug"]
stream = Stream(server, slug)
print("status:", stream.status)
pd.Series(stream.headers, name="value").to_frame()

# %%
events_table(stream.events(seconds=1.5))

# %% [markdown]
# ## 2. Post a comment, watch it arrive
#
# Sign in as the demo user and post a comment through the API, from this
# side, while the stream is open. The event carries the comment's `id:`, its
# type, `comment` (the page listens for that name), and the comment as JSON.

# %%
status, _, body = request(server, "POST", "/api/users/login", {"user": {
    "email": "demo@stagecraft.dev", "password": DEMO_PASSWORD}})
auth = {"Authorization": f"Token {body['user']['token']}"}


def post_comment(server, text: str) -> dict:
    status, _, body = request(server, "POST", f"/api/articles/{slug}/comments",
                              {"comment": {"body": text}}, headers=auth)
    if status != 201:
        raise RuntimeError(f"the comment was refused: {status} {body}")
    return body["comment"]


posted_at = time.monotonic()
first = post_comment(server, "Hello from the notebook")
arrived = stream.events(seconds=5, until=lambda found: any("id" in e for e in found))
event = next(e for e in arrived if "id" in e)
print(f"posted, and the event arrived {1000 * (stream.opened + event['after (s)'] - posted_at):.0f}"
      " ms later (the POST's own answer included)")
events_table(arrived)

# %%
pd.Series(json.loads(event["data"])["comment"], name="data, parsed").to_frame()

# %% [markdown]
# ## 3. Leave, miss a comment, come back
#
# Close the stream: the browser's tab is gone. Two comments are posted while
# nobody listens. A reconnecting `EventSource` sends the last id it saw in a
# `Last-Event-ID` header; the server reads the comments after it from the
# database, and sends them first. Nothing is lost, although the broker keeps
# no messages.

# %%
stream.close()
missed = [post_comment(server, f"Posted while you were away ({n})") for n in (1, 2)]
back = Stream(server, slug, headers={"Last-Event-ID": str(first["id"])})
events_table(back.events(seconds=2, until=lambda found: sum("id" in e for e in found) == 2))

# %% [markdown]
# And the server let go of the first stream: its next heartbeat failed to
# write, and the stream ended, unsubscribing as it went. lesson 7's
# `/metrics` counts the streams open; only the one just opened is left.

# %%
open_now = live_streams(server)
back.close()
left_at = time.monotonic()
# At most a few heartbeats: the first write after a close may still be taken by the OS.
while live_streams(server) > 0 and time.monotonic() < left_at + 10:
    time.sleep(0.1)
pd.DataFrame([{"moment": "one stream open", "stagecraft_live_streams": open_now},
              {"moment": f"{time.monotonic() - left_at:.1f} s after its client left",
               "stagecraft_live_streams": live_streams(server)}])

# %% [markdown]
# ### A limit on streams
#
# A stream holds one of the worker's 4 threads for as long as it is open.
# `STAGECRAFT_LIVE_MAX_STREAMS` (2 by default) keeps the other threads for
# every other request. The third stream is told to come back later: a `200`
# that says `retry: 10000` and ends at once, freeing its thread. (Not a 503: a
# browser's `EventSource` never retries after a status other than 200.) And a
# plain request is still answered.

# %%
held = [Stream(server, slug) for _ in range(2)]
third = Stream(server, slug)
said = third.events(seconds=2)  # it ends at once: no need to wait long
rows = [{"request": f"stream {n}", "status": s.status}
        for n, s in enumerate([*held, third], 1)]
rows[-1].update({"it sent": " ".join(f"retry: {e['retry']}" for e in said if "retry" in e),
                 "then it ended": third.ended})
third.close()
started = time.monotonic()
status, _, _ = request(server, "GET", "/api/tags")
rows.append({"request": "GET /api/tags", "status": status,
             "answered in (ms)": round(1000 * (time.monotonic() - started), 1)})
for s in held:
    s.close()
server.stop()
blanks(pd.DataFrame(rows))

# %% [markdown]
# ## 4. What one stream costs a worker
#
# Now plain gunicorn with one worker and a config of our own, to compare
# worker kinds. With a **sync** worker, which serves one connection at a
# time, open one stream, then ask `/healthz`, and close the stream a second
# later. With a **gthread** worker of 4 threads, do the same, then
# open more streams until every thread is held.


# %%
def start_gunicorn(**config):
    """gunicorn, one worker, serving stage 8 with ``config`` as its settings."""
    path = scratch.folder / f"gunicorn-{config['worker_class']}.conf.py"
    path.write_text("".join(f"{name} = {value!r}\n" for name, value in config.items()))
    env = scratch.environment(STAGECRAFT_DATABASE=database, STAGECRAFT_LIVE_MAX_STREAMS="100",
                              **QUICK)
    return gunicorn("reference_app:create_app(8)", workers=1, config=str(path), env=env)


def healthz_after(server, held: list, close_after: float | None = None) -> dict:
    """Time GET /healthz while the streams ``held`` are open. With ``close_after``,
    close one of them that many seconds after the GET was sent."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        answer = pool.submit(request, server, "GET", "/healthz")
        if close_after is not None:
            time.sleep(close_after)
            held.pop().close()
        try:
            status = answer.result(timeout=6)[0]
            waited = round(1000 * (time.monotonic() - started))
        except NoAnswerYet:
            status, waited = "no answer in 6 s", None
            while held:  # free the worker, so that the request can finish
                held.pop().close()
    return {"streams open": len(held) + (close_after is not None),
            "/healthz status": status, "answered after (ms)": waited}


# Both servers at once, to save time: one with a sync worker, one with a gthread worker.
with ThreadPoolExecutor(max_workers=2) as pool:
    sync, threaded = pool.map(lambda config: start_gunicorn(**config), [
        {"worker_class": "sync"},
        {"worker_class": "gthread", "threads": 4, "worker_connections": 4}])

with sync:
    held = []
    sync_rows = [{"worker": "sync", **healthz_after(sync, held)}]
    held.append(Stream(sync, slug))
    sync_rows.append({"worker": "sync", "note": "the stream closed 1 s after the GET",
                      **healthz_after(sync, held, close_after=1)})
blanks(pd.DataFrame(sync_rows))

# %% [markdown]
# With no stream, `/healthz` answers in milliseconds. With one, it waits: the
# only worker is writing heartbeats to the stream. It is answered only after
# the stream's client has left *and* the worker has noticed, at a heartbeat
# that failed. The same request, to a gthread worker:

# %%
with threaded:
    held, gthread_rows = [], []
    for streams in range(5):  # open one more stream each time, then ask
        while len(held) < streams:
            held.append(Stream(threaded, slug))
        last = streams == 4
        gthread_rows.append({"worker": "gthread, 4 threads",
                             "note": "one stream closed 1 s after the GET" if last else "",
                             **healthz_after(threaded, held, close_after=1 if last else None)})
    for stream in held:
        stream.close()
table = blanks(pd.DataFrame(sync_rows + gthread_rows))
table

# %%
plotted = table[table["answered after (ms)"] != ""]
labels = [f"{row['worker']}, {row['streams open']} streams open"
          for _, row in plotted.iterrows()]
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.barh(labels, plotted["answered after (ms)"].astype(float),
        color=["tab:red" if note else "tab:green" for note in plotted["note"]])
ax.invert_yaxis()
ax.set_xlabel("milliseconds until GET /healthz was answered")
ax.set_title("One worker: a request behind open streams (red: it had to wait for one to close)")
plt.show()

# %% [markdown]
# A gthread worker answers at once with up to 3 streams open: each holds one
# thread, and one is left. With 4, every thread is held, and the request
# waits, like the sync worker's, until a stream ends. That is why
# `serve --prod` caps streams at 2 of its 4 threads. An event-loop worker
# (gevent) holds a stream with no thread at all: the lesson's tests open 20
# streams on one gevent worker and still get `/healthz` answered.

# %% [markdown]
# ## 5. Two workers: a broker between them
#
# Each gunicorn worker is a process of its own. With the in-process broker
# (no `REDIS_URL`), a comment is heard only by streams of the worker that
# took the POST. With Redis pub/sub, every worker hears it. Open streams until
# both workers hold one (the OS says which worker holds which connection),
# post a comment, and see which streams get it.


# %%
def worker_of(server, stream: Stream) -> int:
    """The pid of the gunicorn worker holding this stream's connection."""
    here = stream.socket.getsockname()[1]
    for worker in psutil.Process(server.process.pid).children():
        if any(c.raddr and c.raddr.port == here for c in worker.net_connections(kind="tcp")):
            return worker.pid
    raise LookupError("no worker holds it")


def fan_out(two, broker: str) -> list[dict]:
    """Streams on both workers of ``two``, a comment posted: who got it?"""
    streams, workers = [], {}
    while len(set(workers.values())) < 2 and len(streams) < 5:
        streams.append(Stream(two, slug))
        workers[streams[-1]] = worker_of(two, streams[-1])
    text = f"Heard through {broker}"
    post_comment(two, text)
    rows, deadline = [], time.monotonic() + 1.5  # 1.5 s for all of them together
    for stream in streams:
        got = stream.events(seconds=max(0.05, deadline - time.monotonic()),
                            until=lambda found: any(text in e.get("data", "") for e in found))
        rows.append({"broker": broker, "stream's worker": workers[stream],
                     "got the comment": any(text in e.get("data", "") for e in got)})
        stream.close()
    return rows


brokers = {"memory (LocalBroker)": {}}
redis = redis_server(str(scratch.folder)) if shutil.which("redis-server") else None
if redis:
    brokers["Redis pub/sub"] = {"REDIS_URL": redis.url}
else:
    print("redis-server is not installed (Debian: apt-get install redis-server): "
          "only the in-memory broker is shown.")
# Two servers of two workers each, started side by side to save time.
with ThreadPoolExecutor(max_workers=2) as pool:
    servers = list(pool.map(lambda variables: scratch.serve(
        stage=8, workers=2, STAGECRAFT_LIVE_MAX_STREAMS="4", **QUICK, **variables),
        brokers.values()))
rows = [row for broker, two in zip(brokers, servers, strict=True) for row in fan_out(two, broker)]
with ThreadPoolExecutor(max_workers=2) as pool:
    list(pool.map(lambda server: server.stop(), servers))
if redis:
    redis.stop()
pd.DataFrame(rows).groupby(["broker", "stream's worker"]).agg(
    streams=("got the comment", "size"), got_it=("got the comment", "sum"))

# %% [markdown]
# In memory, only the streams on one worker got the comment: the worker that
# took the POST. Through Redis, every stream did, whichever worker held it.
# Which worker takes a POST is up to the OS, so in memory, a reader sees a
# comment or not by chance: the bug that passes every test on one process.

# %% [markdown]
# ## Try this
#
# **1.** A stream ends by itself after `STAGECRAFT_LIVE_MAX_SECONDS`, and the
# browser reconnects. A stream is only a generator that the server iterates:
# call the app in process, as a WSGI server does, with a 2-second lifetime, and
# iterate its body. What does it send, and when does it stop?

# %%
from webtest import TestRequest  # noqa: E402  (only this cell needs it)

brief_app = client_for(8, scratch.settings(live_max_seconds=2, live_heartbeat_seconds=1)).app
environ = TestRequest.blank(f"/article/{slug}/comments/live").environ
began = time.monotonic()
body = brief_app(environ, lambda status, headers, exc_info=None: print("status:", status))
pieces = [{"after (s)": round(time.monotonic() - began, 2), "piece": piece.decode()}
          for piece in body]
body.close()
print(f"the body ended after {time.monotonic() - began:.1f} s")
pd.DataFrame(pieces)

# %% [markdown]
# **2.** What a browser without JavaScript gets: the article page, built on the
# server, with every comment in it, as at stage 7. Which of lesson 8's parts
# are in its HTML? (This asks the app in process, through WebTest: no server.)

# %%
html = client_for(8, scratch.settings()).get(f"/article/{slug}").text
pd.Series({part: part in html for part in [
    first["body"], *(comment["body"] for comment in missed), 'role="status"',
    'aria-live="polite"', "/scripts/live-comments.js", 'class="comment-id"']},
    name="in the page").to_frame()

# %% [markdown]
# ## Clean up
#
# Every server stopped in its cell. `scratch.cleanup()` makes sure (it stops
# any server a failed cell left running), then removes the temporary folder.

# %%
scratch.cleanup()
