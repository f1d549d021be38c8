"""Tests for online_backup. Run via `python -m lessons check online_backup`."""

import sqlite3

import pytest


@pytest.fixture
def live_db(tmp_path):
    """A WAL-mode database with committed rows still in its -wal file,
    and a connection held open, as in a running app."""
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT)")
    conn.executemany("INSERT INTO articles (title) VALUES (?)",
                     [(f"Article {n}",) for n in range(50)])
    conn.commit()
    yield path
    conn.close()


def rows(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


def test_1_the_backup_has_every_committed_row_even_those_in_the_wal(exercise, live_db, tmp_path):
    dest = tmp_path / "backup.db"
    exercise.get("backup")(live_db, dest)
    assert rows(dest) == 50


def test_2_an_old_backup_is_replaced_and_no_temporary_file_is_left(exercise, live_db, tmp_path):
    dest = tmp_path / "backup.db"
    dest.write_bytes(b"old backup")
    exercise.get("backup")(live_db, dest)
    assert rows(dest) == 50
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("backup"))
    assert left == ["backup.db"]


def test_4_a_good_backup_verifies(exercise, live_db, tmp_path):
    dest = tmp_path / "backup.db"
    exercise.get("backup")(live_db, dest)
    assert exercise.get("verify_backup")(dest) is True


def test_4_a_garbage_file_does_not_verify(exercise, tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    assert exercise.get("verify_backup")(garbage) is False


def test_4_a_missing_file_does_not_verify_and_is_not_made(exercise, tmp_path):
    missing = tmp_path / "missing.db"
    assert exercise.get("verify_backup")(missing) is False
    assert not missing.exists()
