"""Lesson 2: the SQLite store, its schema, and the rules for sharing one file."""

import contextlib
import dataclasses
import os
import sqlite3
import stat

import pytest
from seams import database, value
from webtest import TestApp

from reference_app.seed import reset, seed

pytestmark = pytest.mark.stage(2)

TABLES = {"users", "articles", "tags", "article_tags", "comments", "follows", "favorites"}


def test_schema_has_the_seven_tables(app, settings):
    with database(settings) as db:
        tables = {name for (name,) in db.execute("select name from sqlite_master"
                                                 " where type = 'table'")}
        links = {row[2] for row in db.execute("pragma foreign_key_list(article_tags)")}
    assert TABLES <= tables
    assert links == {"articles", "tags"}


def test_starting_again_on_the_same_file_keeps_its_data(app, settings, stage, create_app):
    create_app(stage, settings)  # a restart: the schema is made again if need be,
    TestApp(create_app(stage, settings)).get("/api/tags")  # and twice, harmlessly
    assert value(settings, "select count(*) from articles") == 5


def test_every_connection_enforces_foreign_keys_and_waits_for_locks(client_with):
    client = client_with(busy_timeout_ms=1234)
    pragmas, open_db = {}, client.app.config["database.open"]

    def open_and_look():
        db = open_db()
        conn = getattr(db, "conn", db)  # a sqlite-utils Database, or a plain connection
        for name in ("foreign_keys", "busy_timeout", "journal_mode"):
            pragmas[name] = conn.execute(f"PRAGMA {name}").fetchone()[0]
        return db

    client.app.config["database.open"] = open_and_look
    client.get("/api/articles")
    assert pragmas == {"foreign_keys": 1, "busy_timeout": 1234, "journal_mode": "wal"}


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
    with database(settings) as db:
        db.execute("update articles set title = 'Changed in SQL' where slug = 'why-sqlite'")
    assert client.get("/api/articles/why-sqlite").json["article"]["title"] == "Changed in SQL"


def test_seed_is_deterministic_and_idempotent(settings, tmp_path):
    first = seed(settings.database, settings, users=4, articles=12)
    again = seed(settings.database, settings, users=4, articles=12)
    other = str(tmp_path / "other.db")
    elsewhere = seed(other, settings, users=4, articles=12)
    assert first == again == elsewhere
    assert first["users"] == 4 and first["articles"] == 12
    rows = "select slug, title, author_id, created_at from articles order by id"
    with database(settings) as db, contextlib.closing(sqlite3.connect(other)) as copy:
        assert db.execute(rows).fetchall() == copy.execute(rows).fetchall()


def test_seed_reports_progress(settings, capsys):
    seed(settings.database, settings, users=2, articles=2005, progress=True)
    assert "2000/2000" in capsys.readouterr().err  # after the 5 demo articles


def test_reset_empties_the_database(settings):
    seed(settings.database, settings, users=3, articles=5)
    reset(settings.database)
    assert value(settings, "select count(*) from articles") == 0


def test_an_empty_database_serves_empty_lists(stage, settings, create_app):
    client = TestApp(create_app(stage, settings))  # no seed: an empty database
    assert client.get("/api/articles").json == {"articles": [], "articlesCount": 0}
    assert client.get("/api/tags").json == {"tags": []}


def test_the_database_and_its_folder_are_private(stage, settings, create_app, tmp_path):
    # They hold password hashes and emails. With the usual umask (022), the folder
    # was 755 and the database 644: readable by every user of the machine.
    folder = tmp_path / "instance-private"
    private = dataclasses.replace(settings, database=str(folder / "app.db"),
                                  instance_path=str(folder))
    umask = os.umask(0o022)
    try:
        TestApp(create_app(stage, private)).get("/api/tags")
        with database(private) as db:  # writing, SQLite makes the -wal and -shm files
            db.execute("insert into tags (name) values ('private')")
            modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in folder.iterdir()}
    finally:
        os.umask(umask)
    assert {"app.db", "app.db-wal", "app.db-shm"} <= set(modes)
    assert set(modes.values()) == {0o600}  # the key too, from lesson 4
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
