"""Lesson 7: real nginx on loopback in front of two `serve --prod` instances.

The test renders deploy/nginx/stagecraft.conf.template, the same file that
compose.yaml hands to the nginx image, so the config that is taught is the
config that is tested.
"""

import gzip
import json
import os
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from string import Template

import pytest
from conftest import free_port, http, need_program

from reference_app.seed import seed

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "stagecraft.conf.template"

WRAPPER = """
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log stderr notice;
{user}
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/stagecraft.conf;
}}
"""


@pytest.fixture
def nginx_in_front(production, tmp_path, settings):
    program = need_program("nginx")
    database = tmp_path / "shared.db"
    seed(str(database), settings, users=5, articles=30)
    apps = [production(database=database, workers=1), production(database=database, workers=1)]
    port = free_port()
    # safe_substitute fills only our ${NAME}s and leaves nginx's own $variables alone.
    (tmp_path / "stagecraft.conf").write_text(Template(TEMPLATE.read_text()).safe_substitute(
        LISTEN=f"127.0.0.1:{port}", APP_SERVER_1=f"127.0.0.1:{apps[0].port}",
        APP_SERVER_2=f"127.0.0.1:{apps[1].port}",
        STATIC_ROOT=str(ROOT / "reference_app" / "core" / "static")))
    # nginx started by root runs its workers as "nobody", which cannot read a
    # private temporary folder; this throwaway test nginx keeps root instead.
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(WRAPPER.format(tmp=tmp_path, user=user))
    process = subprocess.Popen([program, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                               stderr=subprocess.PIPE, text=True)
    started, lines = threading.Event(), []

    def watch():
        for line in process.stderr:
            lines.append(line)
            if "start worker process" in line:
                started.set()  # its own word: the sockets are open
        started.set()

    threading.Thread(target=watch, daemon=True).start()
    try:
        if not started.wait(30) or process.poll() is not None:
            pytest.fail("nginx did not start:\n" + "".join(lines))
        yield f"http://127.0.0.1:{port}", apps
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_requests_reach_both_instances(nginx_in_front):
    url, apps = nginx_in_front
    ids = [f"through-nginx-{n}" for n in range(12)]
    for request_id in ids:
        status, headers, _ = http("GET", url + "/api/articles",
                                  headers={"X-Request-ID": request_id})
        assert status == 200 and headers["X-Request-ID"] == request_id
    for app in apps:
        app.stop()  # flush and close their logs
    seen = [{e["request_id"] for e in app.access_lines()} & set(ids) for app in apps]
    assert seen[0] and seen[1], "nginx sent every request to one instance"
    assert seen[0] | seen[1] == set(ids)


def test_nginx_makes_a_request_id_when_none_is_sent(nginx_in_front):
    url, _ = nginx_in_front
    _, headers, _ = http("GET", url + "/api/tags")
    assert len(headers["X-Request-ID"]) == 32


def test_nginx_compresses_json(nginx_in_front):
    url, apps = nginx_in_front
    request = urllib.request.Request(url + "/api/articles", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert b'"articles"' in gzip.decompress(response.read())


def test_nginx_serves_static_files_itself(nginx_in_front):
    url, apps = nginx_in_front
    status, headers, text = http("GET", url + "/static/style.css")
    assert status == 200 and "--accent" in text and "Expires" in headers
    for app in apps:
        app.stop()
    assert not any(e["path"].startswith("/static/") for app in apps for e in app.access_lines())


def test_nginx_refuses_a_big_api_body_in_the_apis_error_format(nginx_in_front):
    url, apps = nginx_in_front
    status, headers, body = http("POST", url + "/api/users",
                                 {"user": {"username": "big", "bio": "x" * 1_000_000}})
    assert status == 413 and headers["Content-Type"] == "application/json"
    assert body == {"errors": {"body": ["is too large (maximum is 1000000 bytes)"]}}
    status, headers, _ = http("POST", url + "/login", {"email": "x" * 1_000_000})
    assert status == 413 and headers["Content-Type"].startswith("text/html")  # a page's error
    for app in apps:
        app.stop()
    assert not any(e["status"] == 413 for app in apps for e in app.access_lines())  # nginx's


def test_nginx_keeps_the_metrics_private(nginx_in_front):
    url, apps = nginx_in_front
    # Spelt any way a URL allows: nginx decodes and tidies the path before it matches.
    for path in ("/metrics", "/metrics?x=1", "//metrics", "/%6Detrics"):
        status, _, body = http("GET", url + path)
        assert status == 403 and "stagecraft_" not in body, path
    status, _, body = http("GET", apps[0].url + "/metrics")  # Prometheus scrapes each instance
    assert status == 200 and "stagecraft_http_requests_in_progress" in body


def test_the_app_sees_the_real_client_address_behind_nginx(production, tmp_path):
    # With STAGECRAFT_TRUST_PROXY the app reads the hop nginx adds; without it,
    # a header a client made up would count: see lesson 5.
    server = production(env={"STAGECRAFT_TRUST_PROXY": "true"}, workers=1)
    http("GET", server.url + "/healthz", headers={"X-Forwarded-For": "198.51.100.7"})
    server.stop()
    assert server.access_lines()[-1]["client"] == "198.51.100.7"


def test_nginx_passes_a_comment_stream_through_unbuffered(nginx_in_front):
    # Lesson 8. A comment written first, then a stream that asks for it (?after=0).
    # Its first events must reach the client while the stream still runs (it lasts
    # STAGECRAFT_LIVE_MAX_SECONDS, 300 s; this test waits 30 s at most): not held
    # in a buffer, nor compressed. (Measured: nginx 1.22 sends what it has whenever
    # the app pauses, even with proxy_buffering on; the config says off, explicitly.)
    url, _ = nginx_in_front
    slug = http("GET", url + "/api/articles")[2]["articles"][0]["slug"]
    _, _, user = http("POST", url + "/api/users", {"user": {
        "username": "streamer", "email": "streamer@example.com", "password": "long enough"}})
    status, _, _ = http("POST", f"{url}/api/articles/{slug}/comments",
                        {"comment": {"body": "Through nginx, at once"}},
                        headers={"Authorization": f"Token {user['user']['token']}"})
    assert status == 201
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as stream:
        stream.sendall(f"GET /article/{slug}/comments/live?after=0 HTTP/1.1\r\n"
                       f"Host: {host}\r\n\r\n".encode())
        got, deadline = b"", time.monotonic() + 30
        while b"Through nginx, at once" not in got:
            assert time.monotonic() < deadline, f"nothing came through nginx: {got!r}"
            piece = stream.recv(65536)
            assert piece, f"the stream ended, so it was not live: {got!r}"
            got += piece
    head = got.split(b"\r\n\r\n")[0].lower()
    assert b"content-type: text/event-stream" in head
    assert b"content-encoding" not in head  # nginx does not gzip it either


def test_nginx_passes_a_websocket_through(nginx_in_front):
    # Lesson 8. nginx drops Upgrade and Connection (hop-by-hop headers) unless told to
    # pass them on: without the config's map, the app never sees a WebSocket handshake.
    import simple_websocket

    url, apps = nginx_in_front
    slug = http("GET", url + "/api/articles")[2]["articles"][0]["slug"]
    ws = simple_websocket.Client.connect(url.replace("http", "ws", 1) +
                                         f"/article/{slug}/comments/socket")
    try:
        _, _, user = http("POST", apps[0].url + "/api/users", {"user": {
            "username": "socketeer", "email": "socketeer@example.com",
            "password": "long enough"}})
        # Each instance has its own broker here (no Redis): write through both, and the
        # one that holds the socket sends its comment on.
        for app in apps:
            status, _, _ = http("POST", f"{app.url}/api/articles/{slug}/comments",
                                {"comment": {"body": f"Written on {app.port}"}},
                                headers={"Authorization": f"Token {user['user']['token']}"})
            assert status == 201
        message = json.loads(ws.receive(timeout=30))
        assert message["comment"]["body"] in {f"Written on {app.port}" for app in apps}
    finally:
        ws.close()
