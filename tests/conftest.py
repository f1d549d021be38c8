"""Shared fixtures.

Every test that uses the app says where it starts with ``@pytest.mark.stage(N)``
and then runs once for each stage from N to the last: a later stage must keep
everything an earlier one promised.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from webtest import TestApp

from reference_app import LAST_STAGE, Settings, servers
from reference_app.seed import DEMO_PASSWORD, seed
from reference_app.servers import free_port  # noqa: F401  (tests import it from here)


def pytest_addoption(parser):
    group = parser.getgroup("stagecraft", "which app the stage tests check")
    group.addoption("--app", default="reference_app", metavar="MODULE",
                    help="a module with create_app(stage, settings): the reference "
                         "(default) or a learner's build-track app, workshop")
    group.addoption("--min-stage", type=int, default=1, metavar="N",
                    help="run each stage test only at stages N and up")
    group.addoption("--max-stage", type=int, default=LAST_STAGE, metavar="N",
                    help="run each stage test only up to stage N (a learner at lesson N)")


def pytest_generate_tests(metafunc):
    if "stage" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("stage")
    if marker is None:
        raise pytest.UsageError(f"{metafunc.definition.nodeid} uses `stage` without "
                                "@pytest.mark.stage(N): say which stage the test starts at")
    first = max(marker.args[0], metafunc.config.getoption("min_stage"))
    last = metafunc.config.getoption("max_stage")
    metafunc.parametrize("stage", range(first, last + 1), ids=lambda n: f"stage{n}")


@pytest.fixture(scope="session")
def create_app(pytestconfig):
    """The app factory under test: ``create_app(stage, settings)`` of --app."""
    return importlib.import_module(pytestconfig.getoption("app")).create_app


@pytest.fixture
def settings(tmp_path):
    """A fresh database file and instance folder per test; Argon2 kept cheap for speed
    (one test pins the production defaults)."""
    return Settings(database=str(tmp_path / "test.db"), instance_path=str(tmp_path / "instance"),
                    argon2_time_cost=1, argon2_memory_kib=8, argon2_parallelism=1)


@pytest.fixture
def app(stage, settings, create_app):
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


def register_on_pages(client, **kwargs):
    """Sign up as carol through the page's form: the client then holds her session cookie."""
    return post_form(client, "/register", {"username": "carol", "email": "carol@example.com",
                                           "password": "long enough"}, **kwargs)


@pytest.fixture
def client_with(app, stage, settings, create_app):
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


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # one line per request would drown pytest's output
        pass


@contextlib.contextmanager
def serve_folder(folder: Path):
    """Serve ``folder`` (a built site) on 127.0.0.1 from a thread; yields its URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def headless_chromium(chromium: str, chromedriver: str, timeout: float):
    """A headless Chromium driven by Selenium, with the flags NOTES.md says this
    machine needs and a fresh profile, quit and removed afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="stagecraft-chromium-")
    options = Options()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
                 "--window-size=1280,900", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.set_page_load_timeout(timeout)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


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


@pytest.fixture
def redis_url(tmp_path):
    """A real redis-server of our own, on a free loopback port, gone after the test."""
    need_program("redis-server")
    with servers.redis_server(tmp_path) as redis:
        yield redis.url


@pytest.fixture
def prometheus(tmp_path):
    """Start a real Prometheus on loopback: ``prometheus(["127.0.0.1:PORT"])`` scrapes
    each target's /metrics every second; ``.url`` is its HTTP API. Gone after the test."""
    need_program("prometheus")
    started = []

    def start(targets):
        folder = tmp_path / f"prometheus{len(started)}"
        folder.mkdir()
        started.append(servers.prometheus_server(folder, targets))
        return started[-1]

    yield start
    for server in started:
        server.stop()


# ---- A real production server, for tests that need gunicorn over HTTP -------
TEST_SECRET = "test-only-secret-0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def app_module(pytestconfig) -> str:
    """The name of the app module under test (--app): for commands that take --app."""
    return pytestconfig.getoption("app")


@pytest.fixture
def production(tmp_path, app_module, pytestconfig):
    """Start real `serve --prod` servers: ``production(database=, workers=, stage=, env=)``
    gives a reference_app.servers.Server (``.url``, ``.log``, ``.access_lines()``,
    ``.stop()``, ``.kill()``); every one is stopped after the test. The stage defaults
    to --max-stage: a learner at lesson 7 has no lesson 8 to serve yet."""
    started = []

    def start(database=None, workers=2, stage=None, env=None):
        instance = tmp_path / f"server{len(started)}"
        instance.mkdir()
        environment = {**os.environ, "STAGECRAFT_JWT_SECRET": TEST_SECRET,
                       "STAGECRAFT_INSTANCE_PATH": str(instance),
                       "STAGECRAFT_ARGON2_TIME_COST": "1", "STAGECRAFT_ARGON2_MEMORY_KIB": "8",
                       # serve --prod makes its metrics folder in here, not in /tmp
                       "PROMETHEUS_MULTIPROC_DIR": str(instance),
                       **(env or {})}
        # gunicorn's "Listening at": the socket is bound, and requests wait in its
        # queue from now; an answered probe would add a line to the access log.
        server = servers.app_server(database=database or tmp_path / "prod.db", workers=workers,
                                    stage=stage or pytestconfig.getoption("max_stage"),
                                    env=environment, ready="Listening at",
                                    app=app_module)
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
