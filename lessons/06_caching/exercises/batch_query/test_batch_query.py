"""Tests for batch_query. Run via `python -m lessons check batch_query`."""

import pytest
import sqlite_utils

AUTHORS = {1: "ada", 2: "grace", 3: "linus"}


@pytest.fixture
def db():
    db = sqlite_utils.Database(memory=True)
    db["users"].insert_all([{"id": i, "username": u} for i, u in AUTHORS.items()], pk="id")
    db["articles"].insert_all(
        [{"id": n, "title": f"Article {n}", "author_id": n % 3 + 1} for n in range(1, 31)], pk="id")
    return db


def count_selects(db, function) -> tuple[list, int]:
    statements = []
    db.conn.set_trace_callback(statements.append)
    try:
        result = function(db)
    finally:
        db.conn.set_trace_callback(None)
    return result, sum(s.lstrip().upper().startswith("SELECT") for s in statements)


def test_the_result_is_still_correct(exercise, db):
    result = exercise.get("articles_with_authors")(db)
    assert len(result) == 30
    assert result[0] == {"id": 1, "title": "Article 1", "author": "grace"}
    assert [r["author"] for r in result[:3]] == ["grace", "linus", "ada"]


def test_1_2_thirty_articles_take_two_queries_not_thirty_one(exercise, db):
    _, selects = count_selects(db, exercise.get("articles_with_authors"))
    assert selects <= 2, f"{selects} SELECT queries: still N+1"


def test_1_the_number_of_queries_does_not_grow_with_the_articles(exercise, db):
    db["articles"].insert_all(
        [{"id": n, "title": f"Article {n}", "author_id": 1} for n in range(31, 131)])
    _, selects = count_selects(db, exercise.get("articles_with_authors"))
    assert selects <= 2


def test_3_no_articles_means_one_query_and_no_error(exercise, db):
    db.execute("DELETE FROM articles")
    result, selects = count_selects(db, exercise.get("articles_with_authors"))
    assert result == []
    assert selects == 1
