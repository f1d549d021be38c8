"""Tests for paginate_articles. Run via `python -m lessons check paginate_articles`."""

import pytest
import sqlite_utils
import webtest

TOTAL = 45


@pytest.fixture
def db():
    db = sqlite_utils.Database(memory=True)
    # Inserted in shuffled order, so only ORDER BY gives a stable page.
    ids = [(n * 17) % TOTAL + 1 for n in range(TOTAL)]
    db["articles"].insert_all(({"id": i, "slug": f"article-{i}"} for i in ids), pk="id")
    db.statements = []
    db.conn.set_trace_callback(db.statements.append)
    return db


@pytest.fixture
def client(exercise, db):
    return webtest.TestApp(exercise.get("make_app")(db))


def ids(response) -> list[int]:
    return [article["id"] for article in response.json["articles"]]


def test_1_defaults_are_limit_20_offset_0(exercise):
    assert exercise.get("parse_pagination")({}) == (20, 0, {})


def test_1_2_valid_values_are_parsed(exercise):
    assert exercise.get("parse_pagination")({"limit": "5", "offset": "10"}) == (5, 10, {})


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "2.5", ""])
def test_1_a_bad_limit_is_an_error(exercise, limit):
    errors = exercise.get("parse_pagination")({"limit": limit})[2]
    assert errors == {"limit": ["must be a whole number from 1 to 100"]}


def test_2_a_bad_offset_is_an_error_reported_with_a_bad_limit(exercise):
    errors = exercise.get("parse_pagination")({"limit": "0", "offset": "-3"})[2]
    assert errors == {"limit": ["must be a whole number from 1 to 100"],
                      "offset": ["must be a whole number from 0"]}


@pytest.mark.parametrize("offset", ["%B2", "9" * 30])
def test_2_an_offset_that_int_or_sqlite_refuses_is_a_422_not_a_500(client, offset):
    # Bottle decodes the query string as Latin-1: %B2 arrives as "²", which
    # str.isdigit() accepts and int() refuses. Thirty digits overflow SQLite.
    response = client.get(f"/api/articles?offset={offset}", status=422)
    assert response.json == {"errors": {"offset": ["must be a whole number from 0"]}}


def test_3_bad_parameters_are_422(client):
    response = client.get("/api/articles?limit=zero", status=422)
    assert response.json == {"errors": {"limit": ["must be a whole number from 1 to 100"]}}


def test_4_the_first_page_is_the_first_20_by_id(client):
    assert ids(client.get("/api/articles")) == list(range(1, 21))


def test_4_the_last_page_is_short(client):
    assert ids(client.get("/api/articles?limit=10&offset=40")) == [41, 42, 43, 44, 45]


def test_4_past_the_end_is_an_empty_page(client):
    assert ids(client.get("/api/articles?offset=100")) == []


def test_4_the_page_is_cut_in_sql_not_in_python(client, db):
    client.get("/api/articles?limit=5")
    assert any("LIMIT" in s.upper() for s in db.statements), db.statements


def test_5_articles_count_is_the_total_not_the_page_size(client):
    assert client.get("/api/articles?limit=10&offset=40").json["articlesCount"] == TOTAL
