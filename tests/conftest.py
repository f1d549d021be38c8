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


def with_settings(settings, **changes):
    return dataclasses.replace(settings, **changes)


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
