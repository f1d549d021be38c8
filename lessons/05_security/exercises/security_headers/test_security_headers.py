"""Tests for security_headers. Run via `python -m lessons check security_headers`."""

import bottle
import pytest
import webtest

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


@pytest.fixture
def client(exercise):
    return webtest.TestApp(exercise.get("make_app")())


def assert_secure(response):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, f"{name} on {response.request.path}"


def test_1_a_text_route_has_the_headers(client):
    assert_secure(client.get("/hello"))


def test_1_a_json_route_has_the_headers(client):
    assert_secure(client.get("/api/ping"))


def test_1_a_404_page_has_the_headers(client):
    assert_secure(client.get("/nowhere", status=404))


def test_1_a_500_page_has_the_headers(client):
    assert_secure(client.get("/boom", status=500))


def test_1_any_app_can_be_secured(exercise):
    app = bottle.Bottle()
    app.route("/x", callback=lambda: "x")
    exercise.get("install_security_headers")(app)
    assert_secure(webtest.TestApp(app).get("/x"))


def test_2_no_header_is_sent_twice(client):
    response = client.get("/hello")
    for name in EXPECTED:
        assert len(response.headers.getall(name)) == 1, f"{name} appears more than once"
