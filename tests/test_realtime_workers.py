"""Lesson 8 on real servers: what a stream costs each kind of gunicorn worker,
and why several workers need a broker.

Every wait here is a read on a socket with a bound. "It waits" is checked as
"nothing came within WAIT seconds"; a slow machine can only make that pass
more easily, and the test then goes on to check what must come next.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import sqlite3
import time
import urllib.request

import psutil
import pytest
from conftest import TEST_SECRET, headless_chromium, http, need_program

from reference_app import servers
from reference_app.seed import seed

pytestmark = pytest.mark.stage(8)

WAIT = 1.0       # how long "it waits" is watched (s)
PATIENCE = 30.0  # the longest anything that must come may take (s)
# A heartbeat each second: a server notices a client has left at its next write.
QUICK = {"STAGECRAFT_LIVE_HEARTBEAT_SECONDS": "1"}


@pytest.fixture
def database(tmp_path, settings):
    path = tmp_path / "live.db"
    seed(str(path), settings, users=3, articles=5)
    return path


@pytest.fixture
def slug(database):
    with contextlib.closing(sqlite3.connect(database)) as db:
        return db.execute("select slug from articles order by id limit 1").fetchone()[0]


def open_stream(port: int, slug: str) -> socket.socket:
    """A stream, open and subscribed: its first piece (retry:) has arrived."""
    sock = socket.create_connection((servers.HOST, port), timeout=PATIENCE)
    sock.sendall(f"GET /article/{slug}/comments/live HTTP/1.1\r\nHost: test\r\n\r\n".encode())
    read_until(sock, b"retry:")
    return sock


def read_until(sock: socket.socket, wanted: bytes) -> bytes:
    """Read until ``wanted`` arrives; fail if it has not after PATIENCE s
    (heartbeats keep coming, so the bound is on the whole wait, not each read)."""
    sock.settimeout(PATIENCE)
    got, deadline = b"", time.monotonic() + PATIENCE
    while wanted not in got:
        assert time.monotonic() < deadline, f"no {wanted!r} in {got[-300:]!r}"
        piece = sock.recv(65536)
        assert piece, f"the connection ended before {wanted!r}; it sent {got[:300]!r}"
        got += piece
    return got


def send_request(port: int, path: str = "/healthz") -> socket.socket:
    sock = socket.create_connection((servers.HOST, port), timeout=PATIENCE)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".encode())
    return sock


def waits(sock: socket.socket) -> bool:
    """True if no answer came within WAIT seconds."""
    sock.settimeout(WAIT)
    try:
        sock.recv(1, socket.MSG_PEEK)  # leaves what came for answered() to read
    except TimeoutError:
        return True
    return False


def read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes the connection."""
    sock.settimeout(PATIENCE)
    got = b""
    while piece := sock.recv(65536):
        got += piece
    return got


def answered(sock: socket.socket) -> bytes:
    return read_until(sock, b"\r\n\r\n")


def worker_of(server, sock: socket.socket) -> int:
    """The pid of the gunicorn worker that holds this connection, as the OS sees it."""
    here = sock.getsockname()[1]
    for worker in psutil.Process(server.process.pid).children():
        for connection in worker.net_connections(kind="tcp"):
            if connection.raddr and connection.raddr.port == here:
                return worker.pid
    raise AssertionError("no worker holds this connection")


def live_streams(url: str) -> float:
    """The gauge stagecraft_live_streams in /metrics, summed over the workers."""
    with urllib.request.urlopen(url + "/metrics", timeout=PATIENCE) as answer:
        text = answer.read().decode()
    return float(re.search(r"^stagecraft_live_streams (\S+)$", text, re.M).group(1))


def eventually(check, what: str):
    deadline = time.monotonic() + PATIENCE
    while not check():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.1)


def post_comment(url: str, slug: str, body: str):
    _, _, user = http("POST", url + "/api/users", {"user": {
        "username": "poster", "email": "poster@example.com", "password": "long enough"}})
    status, _, _ = http("POST", f"{url}/api/articles/{slug}/comments",
                        {"comment": {"body": body}},
                        headers={"Authorization": f"Token {user['user']['token']}"})
    assert status == 201


@pytest.fixture
def plain_gunicorn(tmp_path, database, app_module, stage):
    """gunicorn with settings of our own (worker_class and friends) and one worker."""
    started = []

    def start(**config):
        path = tmp_path / f"gunicorn{len(started)}.conf.py"
        path.write_text("".join(f"{name} = {value!r}\n" for name, value in config.items()))
        env = {**os.environ, **QUICK, "STAGECRAFT_DATABASE": str(database),
               "STAGECRAFT_INSTANCE_PATH": str(tmp_path / "instance"),
               "STAGECRAFT_JWT_SECRET": TEST_SECRET, "STAGECRAFT_LIVE_MAX_STREAMS": "100"}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        server = servers.gunicorn(f"{app_module}:create_app({stage})", workers=1,
                                  config=str(path), env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


# --8<-- [start:sync_worker]
def test_a_sync_worker_holds_one_connection_so_a_stream_blocks_it(plain_gunicorn, slug):
    server = plain_gunicorn(worker_class="sync")
    stream = open_stream(server.port, slug)
    other = send_request(server.port)
    assert waits(other)  # the only worker is busy with the stream
    stream.close()       # the client leaves; the next heartbeat fails; the worker is free
    assert answered(other).startswith(b"HTTP/1.1 200")
# --8<-- [end:sync_worker]


def test_a_gthread_worker_holds_as_many_connections_as_it_has_threads(plain_gunicorn, slug):
    threads = 3
    server = plain_gunicorn(worker_class="gthread", threads=threads,
                            worker_connections=threads)  # as in gunicorn.conf.py
    streams = [open_stream(server.port, slug) for _ in range(threads)]
    other = send_request(server.port)
    assert waits(other)
    streams.pop().close()
    assert answered(other).startswith(b"HTTP/1.1 200")
    for stream in streams:
        stream.close()


def test_an_event_loop_worker_holds_many_streams(plain_gunicorn, slug):
    server = plain_gunicorn(worker_class="gevent", worker_connections=1000)
    streams = [open_stream(server.port, slug) for _ in range(20)]  # 20 on one worker
    assert answered(send_request(server.port)).startswith(b"HTTP/1.1 200")
    for stream in streams:
        stream.close()


def test_serve_prod_keeps_threads_for_other_requests(production, database, slug):
    # One worker of the production config: 4 threads, of which streams may take 2.
    server = production(database=database, workers=1, env=QUICK)
    streams = [open_stream(server.port, slug) for _ in range(2)]
    # A third stream is told to come back later: it ends at once, freeing its thread.
    busy = send_request(server.port, f"/article/{slug}/comments/live")
    assert re.search(rb"^HTTP/1.1 200 .*\r\n\r\n(.*\r\n)?retry: \d+\n\n", read_all(busy), re.S)
    assert answered(send_request(server.port)).startswith(b"HTTP/1.1 200")
    for stream in streams:
        stream.close()
    eventually(lambda: live_streams(server.url) == 0, "the streams were closed")


# --8<-- [start:fan_out]
def test_a_comment_posted_through_one_worker_reaches_a_stream_on_the_other(
        production, database, slug, redis_url):
    server = production(database=database, workers=2, env={
        **QUICK, "REDIS_URL": redis_url, "STAGECRAFT_LIVE_MAX_STREAMS": "4"})
    # Open streams until both workers hold one. A worker takes no more
    # connections than its 4 threads, so the fifth at the latest goes to the other.
    streams, workers = [], set()
    while len(workers) < 2:
        assert len(streams) < 5, "every stream went to one worker"
        streams.append(open_stream(server.port, slug))
        workers.add(worker_of(server, streams[-1]))
    post_comment(server.url, slug, "Heard by every worker")
    for stream in streams:  # whichever worker took the POST, the other heard it too
        assert b"Heard by every worker" in read_until(stream, b"Heard by every worker")
    for stream in streams:
        stream.close()
    import redis
    with redis.Redis.from_url(redis_url) as client:
        eventually(lambda: client.pubsub_channels() == [], "every subscription ended")
    eventually(lambda: live_streams(server.url) == 0, "the streams were closed")
# --8<-- [end:fan_out]


def test_a_websocket_gets_the_same_comments(production, database, slug):
    import simple_websocket
    server = production(database=database, workers=1, env=QUICK)
    ws = simple_websocket.Client.connect(
        f"ws://{servers.HOST}:{server.port}/article/{slug}/comments/socket")
    try:
        post_comment(server.url, slug, "Over a WebSocket")
        message = json.loads(ws.receive(timeout=PATIENCE))
        assert message["event"] == "comment"
        assert message["comment"]["body"] == "Over a WebSocket"
    finally:
        ws.close()
    eventually(lambda: live_streams(server.url) == 0, "the socket's subscription ended")


def test_a_browser_shows_a_new_comment_live_and_as_text(tmp_path, database, slug, app_module,
                                                        stage):
    """The page's script, in headless Chromium: a comment posted elsewhere appears
    in the list, and in the live region, as text, however much it looks like HTML."""
    chromium, chromedriver = need_program("chromium"), need_program("chromedriver")
    pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    env = {**os.environ, "STAGECRAFT_INSTANCE_PATH": str(tmp_path / "instance"),
           "STAGECRAFT_ARGON2_TIME_COST": "1", "STAGECRAFT_ARGON2_MEMORY_KIB": "8"}
    body = '<img src="x" onerror="document.title=\'owned\'"> Hello, live'
    with servers.app_server(stage=stage, database=database, prod=False, app=app_module,
                            env=env) as server, \
            headless_chromium(chromium, chromedriver, PATIENCE) as driver:
        driver.get(f"{server.url}/article/{slug}")
        eventually(lambda: live_streams(server.url) == 1, "the page opened its stream")
        post_comment(server.url, slug, body)
        # The newest comment comes first, as the page lists them.
        WebDriverWait(driver, PATIENCE).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "#comments > .comment p").text == body)
        region = driver.find_element(By.ID, "live-comments").get_attribute("textContent")
        assert region == f"New comment from poster: {body}"
        assert driver.find_elements(By.CSS_SELECTOR, "#comments img") == []
        assert driver.title != "owned"
