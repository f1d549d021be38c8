"""Tests for etag_304. Run via `python -m lessons check etag_304`."""

import hashlib

import pytest
import webtest


@pytest.fixture
def client(exercise):
    return webtest.TestApp(exercise.get("make_app")())


def test_1_the_etag_is_the_quoted_sha256_of_the_body(exercise):
    expected = '"' + hashlib.sha256(b"hello").hexdigest() + '"'
    assert exercise.get("compute_etag")(b"hello") == expected


def test_1_different_bodies_have_different_etags(exercise):
    compute = exercise.get("compute_etag")
    assert compute(b"a") != compute(b"b")


@pytest.mark.parametrize(("header", "expected"), [
    (None, False), ("", False), ('"abc"', True), ('"other"', False),
    ('"x", "abc", "y"', True), ('W/"abc"', True), ("*", True), ("abc", False),
])
def test_2_if_none_match_is_parsed(exercise, header, expected):
    assert exercise.get("etag_matches")(header, '"abc"') is expected


def test_3_a_first_get_is_200_with_an_etag_and_no_cache(client):
    response = client.get("/api/articles/hello-world")
    assert response.json["article"]["slug"] == "hello-world"
    assert response.headers.get("ETag", "").startswith('"')
    assert response.headers.get("Cache-Control") == "no-cache"


def test_4_a_matching_if_none_match_is_304_with_no_body(client):
    etag = client.get("/api/articles/hello-world").headers.get("ETag")
    assert etag, "send an ETag header first (step 3)"
    response = client.get("/api/articles/hello-world", headers={"If-None-Match": etag}, status=304)
    assert response.body == b""
    assert response.headers.get("ETag") == etag


def test_4_a_stale_etag_gets_the_full_response(client):
    response = client.get("/api/articles/hello-world", headers={"If-None-Match": '"stale"'})
    assert response.status_int == 200
    assert response.json["article"]["title"] == "Hello, world"


def test_4_an_unknown_article_is_still_404(client):
    client.get("/api/articles/nope", headers={"If-None-Match": "*"}, status=404)
