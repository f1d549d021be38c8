"""Tests for request_id_middleware. Run via `python -m lessons check request_id_middleware`.

WebTest wraps the app in wsgiref.validate, so a broken WSGI contract fails too.
"""

import re

import pytest
import webtest


def inner_app(environ, start_response):
    """Echo the request ID the middleware gave us (or say it is missing)."""
    body = environ.get("request_id", "MISSING").encode("ascii")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture
def client(exercise):
    middleware = exercise.get("request_id_middleware")
    return webtest.TestApp(middleware(inner_app))


def test_1_a_new_request_id_is_32_hex_characters(client):
    request_id = client.get("/").headers.get("X-Request-ID", "")
    assert re.fullmatch(r"[0-9a-f]{32}", request_id), f"got {request_id!r}"


def test_1_each_request_gets_its_own_id(client):
    first = client.get("/").headers.get("X-Request-ID")
    second = client.get("/").headers.get("X-Request-ID")
    assert first and second and first != second


def test_1_a_safe_incoming_id_is_reused(client):
    response = client.get("/", headers={"X-Request-ID": "abc-123"})
    assert response.headers.get("X-Request-ID") == "abc-123"


@pytest.mark.parametrize("unsafe", ["has space", "x" * 65, "semi;colon", "new\u00e9"])
def test_1_an_unsafe_incoming_id_is_replaced(client, unsafe):
    response = client.get("/", headers={"X-Request-ID": unsafe})
    assert response.headers.get("X-Request-ID") not in (None, unsafe)


def test_2_the_inner_app_sees_the_same_id(client):
    response = client.get("/")
    assert response.text != "MISSING", "environ['request_id'] was not set"
    assert response.text == response.headers.get("X-Request-ID")


def test_3_the_inner_apps_own_headers_are_kept(client):
    response = client.get("/")
    assert response.headers["Content-Type"] == "text/plain"
    assert "X-Request-ID" in response.headers
