"""Shared fixtures.

Every test that uses the app says where it starts with ``@pytest.mark.stage(N)``
and then runs once for each stage from N to the last: a later stage must keep
everything an earlier one promised.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from webtest import TestApp

from reference_app import LAST_STAGE, Settings, create_app
from reference_app.seed import DEMO_PASSWORD, seed


def pytest_generate_tests(metafunc):
    if "stage" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("stage")
    if marker is None:
        raise pytest.UsageError(f"{metafunc.definition.nodeid} uses `stage` without "
                                "@pytest.mark.stage(N): say which stage the test starts at")
    first = marker.args[0]
    metafunc.parametrize("stage", range(first, LAST_STAGE + 1), ids=lambda n: f"stage{n}")


@pytest.fixture
def settings(tmp_path):
    """A fresh database file and instance folder per test; Argon2 kept cheap for speed
    (one test pins the production defaults)."""
    return Settings(database=str(tmp_path / "test.db"), instance_path=str(tmp_path / "instance"),
                    argon2_time_cost=1, argon2_memory_kib=8, argon2_parallelism=1)


@pytest.fixture
def app(stage, settings):
    """The app at ``stage``, holding the demo world (in memory at stage 1, seeded after)."""
    if stage >= 2:
        seed(settings.database, settings, users=3, articles=5)
    return create_app(stage, settings)


@pytest.fixture
def client(app):
    return TestApp(app)


class Accounts:
    """Log in as someone, whatever the stage: from lesson 4 by registering and
    sending a token; before that, everyone is the demo author and needs nothing."""

    def __init__(self, client, stage):
        self.client, self.stage = client, stage

    def register(self, username="alice", password="correct horse"):  # noqa: S107
        response = self.client.post_json("/api/users", {"user": {
            "username": username, "email": f"{username}@example.com", "password": password}})
        return response.json["user"]

    def headers_for(self, username="alice"):
        """(headers, username) of a logged-in author."""
        if self.stage < 4:
            return {}, "demo"
        token = self.register(username)["token"]
        return {"Authorization": f"Token {token}"}, username

    def login_demo(self):
        token = self.client.post_json("/api/users/login", {"user": {
            "email": "demo@stagecraft.dev", "password": DEMO_PASSWORD}}).json["user"]["token"]
        return {"Authorization": f"Token {token}"}


@pytest.fixture
def accounts(client, stage):
    return Accounts(client, stage)


@pytest.fixture
def author(accounts):
    """Headers and username of someone who may write at this stage."""
    return accounts.headers_for("alice")


def make_article(client, headers, **fields):
    article = {"title": "A title", "description": "About it", "body": "The body", **fields}
    return client.post_json("/api/articles", {"article": article}, headers=headers).json["article"]


@pytest.fixture
def new_article(client, author):
    headers, _ = author
    return lambda **fields: make_article(client, headers, **fields)


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def post_form(client, path, fields=None, **kwargs):
    """POST a form as a browser would: with the CSRF token its page carried.
    From lesson 5 every page has one; before that there is none to send."""
    fields = dict(fields or {})
    token = CSRF_META.search(client.get("/").text)
    if token:
        fields.setdefault("csrf_token", token.group(1))
    return client.post(path, fields, **kwargs)


def register_on_pages(client):
    """Sign up as carol through the page's form: the client then holds her session cookie."""
    return post_form(client, "/register", {"username": "carol", "email": "carol@example.com",
                                           "password": "long enough"})


@pytest.fixture
def client_with(app, stage, settings):
    """A client for this stage's app built with some settings changed, on the same
    seeded database: ``client_with(behind_tls=True)``."""
    return lambda **changes: TestApp(create_app(stage, dataclasses.replace(settings, **changes)))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The docs site, built once per run with ``mkdocs build --strict``, for the page
    checks and the browser test alike. Each asks for it (request.getfixturevalue)
    only after checking that the docs tools are installed, so it can skip first."""
    site_dir = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-4000:]}"
    return site_dir


def need_program(name: str) -> str:
    """The path of a system program a test needs. Missing on a laptop: skip, saying
    how to get it. Missing under CI (CI=true): fail, because CI must install it."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian: apt-get install {name})"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must install it in .ci/run")
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """A real redis-server of our own, on a free loopback port, gone after the test."""
    server = need_program("redis-server")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.PIPE, text=True)
    try:
        for line in process.stdout:  # wait for its own word that it is ready: no sleeping
            if "Ready to accept connections" in line:
                break
        else:
            pytest.fail("redis-server exited before it was ready")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


# ---- A real production server, for tests that need gunicorn over HTTP -------
TEST_SECRET = "test-only-secret-0123456789abcdefghijklmnopqrstuvwxyz"


class RunningServer:
    """`reference-app serve --prod` in its own process group, its log collected."""

    def __init__(self, workdir, database, workers=2, stage=None, env=None):
        import sys
        import threading

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, "STAGECRAFT_JWT_SECRET": TEST_SECRET,
                       "STAGECRAFT_INSTANCE_PATH": str(workdir),
                       "STAGECRAFT_ARGON2_TIME_COST": "1", "STAGECRAFT_ARGON2_MEMORY_KIB": "8",
                       **(env or {})}
        command = [sys.executable, "-m", "reference_app", "serve", "--prod",
                   "--port", str(self.port), "--db", str(database), "--workers", str(workers)]
        if stage:
            command += ["--stage", str(stage)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, env=environment,
                                        start_new_session=True)  # its own group: killable whole
        self.lines: list[str] = []
        ready = threading.Event()

        def collect():
            for line in self.process.stdout:
                self.lines.append(line)
                if "Listening at" in line:
                    ready.set()  # the socket is bound; requests wait in its queue from now
            ready.set()

        threading.Thread(target=collect, daemon=True).start()
        if not ready.wait(60) or self.process.poll() is not None:
            self.stop()
            pytest.fail("serve --prod did not start:\n" + self.log)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def access_lines(self) -> list[dict]:
        import json

        entries = [json.loads(line) for line in self.lines if line.startswith("{")]
        return [e for e in entries if e.get("logger") == "reference_app.access"]

    def kill(self, signal_number=None):
        import signal

        try:
            os.killpg(self.process.pid, signal_number or signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)

    def stop(self):
        import signal

        if self.process.poll() is None:
            self.kill(signal.SIGTERM)  # graceful: gunicorn lets requests finish


@pytest.fixture
def production(tmp_path):
    """Start real `serve --prod` servers; every one is stopped after the test."""
    started = []

    def start(database=None, **kwargs):
        workdir = tmp_path / f"server{len(started)}"
        workdir.mkdir()
        server = RunningServer(workdir, database or tmp_path / "prod.db", **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def http(method, url, body=None, headers=None, timeout=30):
    """(status, headers, parsed JSON or text) over real HTTP, without raising on 4xx/5xx."""
    import json
    import urllib.error
    import urllib.request

    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        **({"Content-Type": "application/json"} if data else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw, status, got = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        raw, status, got = error.read(), error.code, error.headers
    text = raw.decode("utf-8", "replace")
    try:
        return status, got, json.loads(text)
    except ValueError:
        return status, got, text
