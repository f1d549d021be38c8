"""Tests for schema_foreign_keys. Run via `python -m lessons check schema_foreign_keys`."""

import sqlite3

import pytest


@pytest.fixture
def db(exercise, tmp_path):
    db = exercise.get("connect")(tmp_path / "test.db")
    exercise.get("create_schema")(db)
    yield db
    db.close()


@pytest.fixture
def ada(db):
    return db["users"].insert({"username": "ada", "email": "ada@example.com"}).last_pk


def test_1_connect_turns_foreign_keys_on(db):
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_2_users_have_the_expected_columns(db):
    assert set(db["users"].columns_dict) == {"id", "username", "email"}


def test_2_username_is_required(db):
    with pytest.raises(sqlite3.IntegrityError):
        db["users"].insert({"username": None, "email": "x@example.com"})


def test_2_usernames_are_unique(db, ada):
    with pytest.raises(sqlite3.IntegrityError):
        db["users"].insert({"username": "ada", "email": "other@example.com"})


def test_3_articles_have_the_expected_columns(db):
    assert "articles" in db.table_names()
    assert set(db["articles"].columns_dict) == {"id", "author_id", "slug", "title"}


def test_3_author_id_references_users(db):
    keys = {(fk.column, fk.other_table, fk.other_column) for fk in db["articles"].foreign_keys}
    assert keys == {("author_id", "users", "id")}


def test_3_an_article_by_an_unknown_author_is_refused(db):
    with pytest.raises(sqlite3.IntegrityError):
        db["articles"].insert({"author_id": 999, "slug": "orphan", "title": "Orphan"})


def test_3_a_user_with_articles_cannot_be_deleted(db, ada):
    db["articles"].insert({"author_id": ada, "slug": "hello", "title": "Hello"})
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM users WHERE id = ?", [ada])


def test_3_slugs_are_unique(db, ada):
    db["articles"].insert({"author_id": ada, "slug": "hello", "title": "Hello"})
    with pytest.raises(sqlite3.IntegrityError):
        db["articles"].insert({"author_id": ada, "slug": "hello", "title": "Hello again"})


def test_4_create_schema_can_run_twice(exercise, db):
    exercise.get("create_schema")(db)  # must not raise "table users already exists"
