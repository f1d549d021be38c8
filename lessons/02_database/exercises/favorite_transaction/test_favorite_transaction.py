"""Tests for favorite_transaction. Run via `python -m lessons check favorite_transaction`."""

import pytest
import sqlite_utils


@pytest.fixture
def db(exercise, tmp_path):
    db = sqlite_utils.Database(tmp_path / "test.db")
    exercise.get("create_tables")(db)
    db["articles"].insert({"id": 1, "title": "Hello"})
    statements = []
    db.conn.set_trace_callback(statements.append)  # records every SQL statement run
    db.statements = statements
    yield db
    db.close()


@pytest.fixture
def favorite(exercise):
    return exercise.get("favorite")


def count(db) -> int:
    return db["articles"].get(1)["favorites_count"]


def test_a_first_favorite_adds_the_row_and_bumps_the_count(db, favorite):
    assert favorite(db, 7, 1) is True
    assert count(db) == 1
    assert db["favorites"].count == 1


def test_1_the_transaction_starts_with_begin_immediate(db, favorite):
    favorite(db, 7, 1)
    begins = [s for s in db.statements if s.strip().upper().startswith("BEGIN")]
    assert any(s.strip().upper().startswith("BEGIN IMMEDIATE") for s in begins), begins


def test_2_a_second_favorite_is_refused_and_the_count_is_unchanged(db, favorite):
    favorite(db, 7, 1)
    assert favorite(db, 7, 1) is False
    assert count(db) == 1, "the UPDATE of the failed favorite was not rolled back"
    assert db["favorites"].count == 1


def test_2_an_unknown_article_changes_nothing(db, favorite):
    assert favorite(db, 7, 42) is False
    assert db["favorites"].count == 0


def test_3_no_transaction_is_left_open_after_success(db, favorite):
    favorite(db, 7, 1)
    assert not db.conn.in_transaction, "COMMIT the transaction"


def test_3_no_transaction_is_left_open_after_failure(db, favorite):
    favorite(db, 7, 1)
    favorite(db, 7, 1)
    assert not db.conn.in_transaction, "ROLLBACK the failed transaction"


def test_3_the_favorite_is_visible_to_another_connection(db, favorite, tmp_path):
    favorite(db, 7, 1)
    other = sqlite_utils.Database(tmp_path / "test.db")
    assert other["articles"].get(1)["favorites_count"] == 1, "was it committed?"
    other.close()
