"""Tests for hello_routes. They run against your copy via `python -m lessons check hello_routes`."""

import bottle
import pytest
import webtest


@pytest.fixture
def client(exercise):
    app = exercise.get("make_app")()
    assert isinstance(app, bottle.Bottle), "make_app() must return a bottle.Bottle()"
    return webtest.TestApp(app)


def test_the_index_route_still_works(client):
    assert client.get("/").text == "Stagecraft is running.\n"


def test_1_hello_greets_the_world(client):
    assert client.get("/hello").text == "Hello, world!"


def test_2_hello_name_greets_by_name(client):
    assert client.get("/hello/Ada").text == "Hello, Ada!"


def test_2_the_name_arrives_decoded(client):
    assert client.get("/hello/Ada%20Lovelace").text == "Hello, Ada Lovelace!"


def test_3_square_returns_n_squared_as_text(client):
    assert client.get("/square/7").text == "49"


def test_3_a_non_integer_does_not_match_the_route(client):
    assert client.get("/square/seven", status=404).status_int == 404


def test_routes_belong_to_this_app_not_the_default_app(exercise):
    exercise.get("make_app")()
    rules = [route.rule for route in bottle.default_app().routes]
    assert "/hello" not in rules, "use @app.get on your own app, not @bottle.get"


def test_each_call_builds_a_fresh_app(exercise):
    make_app = exercise.get("make_app")
    assert make_app() is not make_app()
