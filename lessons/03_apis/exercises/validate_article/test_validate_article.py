"""Tests for validate_article. Run via `python -m lessons check validate_article`."""

import pytest
import webtest

VALID = {"title": "How to train your dragon", "description": "Ever wonder how?",
         "body": "You have to believe", "tagList": ["dragons", "training"]}


@pytest.fixture
def validate(exercise):
    return exercise.get("validate_article")


@pytest.fixture
def client(exercise):
    return webtest.TestApp(exercise.get("make_app")())


def test_a_valid_article_has_no_errors(validate):
    assert validate(VALID) == {}
    assert validate({k: v for k, v in VALID.items() if k != "tagList"}) == {}


def test_1_every_missing_field_is_reported_at_once(validate):
    assert validate({}) == {"title": ["can't be blank"], "description": ["can't be blank"],
                            "body": ["can't be blank"]}


@pytest.mark.parametrize("blank", ["", "   ", None, 42])
def test_1_blank_or_non_text_is_blank(validate, blank):
    assert validate({**VALID, "body": blank}) == {"body": ["can't be blank"]}


def test_2_a_long_title_is_too_long(validate):
    assert validate({**VALID, "title": "x" * 121}) == {
        "title": ["is too long (maximum is 120 characters)"]}
    assert validate({**VALID, "title": "x" * 120}) == {}


@pytest.mark.parametrize("tags", ["dragons", ["ok", 3], {"a": 1}])
def test_3_tag_list_must_be_a_list_of_strings(validate, tags):
    assert validate({**VALID, "tagList": tags}) == {"tagList": ["must be a list of strings"]}


def test_4_invalid_input_is_422_with_the_errors(client):
    response = client.post_json("/api/articles", {"article": {**VALID, "title": " "}}, status=422)
    assert response.content_type == "application/json"
    assert response.json == {"errors": {"title": ["can't be blank"]}}


def test_4_a_missing_article_object_is_422(client):
    response = client.post_json("/api/articles", {"title": "no wrapper"}, status=422)
    assert response.json == {"errors": {"article": ["can't be blank"]}}


@pytest.mark.parametrize("body", [["a", "list"], "text", 7, {"article": "text"}])
def test_4_a_body_that_is_no_article_object_is_422_not_a_500(client, body):
    response = client.post_json("/api/articles", body, status=422)
    assert response.json == {"errors": {"article": ["can't be blank"]}}


def test_5_a_valid_article_is_201_with_its_slug(client):
    response = client.post_json("/api/articles", {"article": VALID}, status=201)
    assert response.json["article"]["slug"] == "how-to-train-your-dragon"
    assert response.json["article"]["title"] == VALID["title"]
