"""Tests for json_routes. They run against your copy via `python -m lessons check json_routes`."""

import pytest
import webtest


@pytest.fixture
def client(exercise):
    return webtest.TestApp(exercise.get("make_app")())


def test_tags_are_json(client):
    response = client.get("/api/tags")
    assert response.content_type == "application/json"
    assert response.json == {"tags": ["bottle", "sqlite", "wsgi"]}


def test_1_an_article_by_id_is_wrapped_in_article(client):
    response = client.get("/api/articles/2")
    assert response.content_type == "application/json"
    assert response.json == {"article": {"id": 2, "slug": "bottle-in-one-file",
                                         "title": "Bottle in one file"}}


@pytest.mark.parametrize("path", ["/api/articles/99", "/api/articles/abc", "/no/such/path"])
def test_2_every_404_is_json(client, path):
    response = client.get(path, status=404)
    assert response.content_type == "application/json"
    assert response.json == {"errors": {"body": ["not found"]}}


def test_3_a_wrong_method_is_a_json_405_that_says_what_is_allowed(client):
    response = client.post("/api/tags", status=405)
    assert response.content_type == "application/json"
    assert response.json == {"errors": {"body": ["method not allowed"]}}
    assert response.headers["Allow"] == "GET"
