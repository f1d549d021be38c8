"""Lesson 2: the SQLite store, its schema, and the rules for sharing one file."""

import sqlite3

import pytest

from reference_app.api.store import later_than
from reference_app.database.connection import connect, create_schema, write_transaction
from reference_app.seed import reset, seed

pytestmark = pytest.mark.stage(2)

TABLES = {"users", "articles", "tags", "article_tags", "comments", "follows", "favorites"}


def test_schema_has_the_seven_tables(app, settings):
    db = connect(settings.database)
    assert TABLES <= set(db.table_names())
    assert {fk.other_table for fk in db["article_tags"].foreign_keys} == {"articles", "tags"}
    db.close()


def test_schema_creation_is_idempotent(app, settings):
    create_schema(settings.database)
    create_schema(settings.database)
    assert connect(settings.database)["articles"].count == 5


def test_every_connection_enforces_foreign_keys_and_waits_for_locks(app, settings):
    db = connect(settings.database, busy_timeout_ms=1234)
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 1234
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into comments (article_id, author_id, body, created_at, updated_at)"
                   " values (999, 999, 'orphan', 'x', 'x')")
    db.close()


def test_write_transaction_begins_immediate_and_commits(settings):
    create_schema(settings.database)
    db = connect(settings.database)
    statements = []
    db.conn.set_trace_callback(statements.append)
    with write_transaction(db):
        db.execute("insert into tags (name) values ('x')")
    assert statements[0] == "BEGIN IMMEDIATE" and statements[-1] == "COMMIT"
    assert db["tags"].count == 1
    db.close()


def test_write_transaction_rolls_back_everything_on_error(settings):
    create_schema(settings.database)
    db = connect(settings.database)
    with pytest.raises(RuntimeError), write_transaction(db):
        db.execute("insert into tags (name) values ('kept?')")
        raise RuntimeError("halfway")
    assert db["tags"].count == 0
    db.close()


def test_a_second_writer_waits_instead_of_failing_at_once(settings):
    create_schema(settings.database)
    first, second = connect(settings.database), connect(settings.database, busy_timeout_ms=0)
    with write_transaction(first):
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            with write_transaction(second):
                pass  # pragma: no cover - never reached: the lock is taken
    first.close()
    second.close()


def watch_connections(app) -> list:
    """Every connection the app opens from now on (through its documented seam)."""
    opened, open_db = [], app.config["database.open"]

    def counting_open():
        db = open_db()
        opened.append(db)
        return db

    app.config["database.open"] = counting_open
    return opened


def test_one_connection_per_request_and_none_left_open(app, client):
    opened = watch_connections(app)
    client.get("/api/articles")
    client.get("/api/tags")
    assert len(opened) == 2
    for db in opened:  # closed: using it now fails
        with pytest.raises(sqlite3.ProgrammingError):
            db.execute("select 1")


def test_routes_without_a_store_open_no_connection(app, client):
    opened = watch_connections(app)
    client.get("/static/style.css")
    client.get("/", status=200)  # a page that needs the store does open one
    assert len(opened) == 1


def test_reads_come_from_the_database(app, client, settings):
    db = connect(settings.database)
    db.execute("update articles set title = 'Changed in SQL' where slug = 'why-sqlite'")
    db.close()
    assert client.get("/api/articles/why-sqlite").json["article"]["title"] == "Changed in SQL"


def test_seed_is_deterministic_and_idempotent(settings, tmp_path):
    first = seed(settings.database, settings, users=4, articles=12)
    again = seed(settings.database, settings, users=4, articles=12)
    other = str(tmp_path / "other.db")
    elsewhere = seed(other, settings, users=4, articles=12)
    assert first == again == elsewhere
    assert first["users"] == 4 and first["articles"] == 12
    rows = "select slug, title, author_id, created_at from articles order by id"
    assert list(connect(settings.database).query(rows)) == list(connect(other).query(rows))


def test_seed_reports_progress(settings, capsys):
    seed(settings.database, settings, users=2, articles=2005, progress=True)
    assert "2000/2000" in capsys.readouterr().err  # after the 5 demo articles


def test_reset_empties_the_database(settings):
    seed(settings.database, settings, users=3, articles=5)
    reset(settings.database)
    assert connect(settings.database)["articles"].count == 0


def test_later_than_always_moves_forward():
    assert later_than("2999-01-01T00:00:00.999Z") == "2999-01-01T00:00:01.000Z"
    assert later_than("2000-01-01T00:00:00.000Z") > "2000-01-01T00:00:00.000Z"


def test_stage_two_serves_what_the_file_holds_even_when_empty(settings, create_app):
    from webtest import TestApp

    client = TestApp(create_app(2, settings))  # no seed: an empty database
    assert client.get("/api/articles").json == {"articles": [], "articlesCount": 0}
