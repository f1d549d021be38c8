"""Lesson 7 in process: request ids, JSON logs, health checks, settings, backups."""

import dataclasses
import json
import os
import socket
import sqlite3
import stat
import time

import pytest
from conftest import http
from seams import crash, store_with

from reference_app.cli import main
from reference_app.core.settings import Settings, SettingsError
from reference_app.seed import DEMO_PASSWORD

pytestmark = pytest.mark.stage(7)


def test_a_request_id_is_made_up_and_sent_back(client):
    first = client.get("/api/tags").headers["X-Request-ID"]
    second = client.get("/api/tags").headers["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_clients_request_id_is_kept(client):
    response = client.get("/api/tags", headers={"X-Request-ID": "trace-42.a_b"})
    assert response.headers["X-Request-ID"] == "trace-42.a_b"


@pytest.mark.parametrize("sent", ["has space", "x" * 129, "line\\nbreak", "<script>"])
def test_a_request_id_that_could_forge_log_lines_is_replaced(client, sent):
    assert client.get("/api/tags", headers={"X-Request-ID": sent}).headers[
        "X-Request-ID"] != sent


def access_lines(caplog) -> list[dict]:
    """The fields of each access log line written so far."""
    return [r.fields for r in caplog.records if r.name == "reference_app.access"]


def test_one_structured_access_line_per_request(client, caplog):
    caplog.set_level("INFO", logger="reference_app.access")
    client.get("/api/articles?limit=1", headers={"X-Request-ID": "abc"},
               extra_environ={"REMOTE_ADDR": "192.0.2.7"})
    client.get("/nope", status=404)
    first, second = access_lines(caplog)
    assert {key: first[key] for key in ("request_id", "method", "path", "status", "client")} \
        == {"request_id": "abc", "method": "GET", "path": "/api/articles", "status": 200,
            "client": "192.0.2.7"}
    assert second["status"] == 404 and second["path"] == "/nope"


def test_the_access_line_times_the_whole_request_in_milliseconds(app, client, caplog,
                                                                  monkeypatch):
    # A clock of our own, which only the store moves: 0.25 s while it lists the tags.
    now = [1000.0]
    for clock in ("perf_counter", "monotonic", "time"):
        monkeypatch.setattr(time, clock, lambda: now[0])

    def slow_tags():
        now[0] += 0.25
        return ["slow"]

    store_with(app, list_tags=slow_tags)
    caplog.set_level("INFO", logger="reference_app.access")
    client.get("/api/tags")
    assert access_lines(caplog)[-1]["duration_ms"] == pytest.approx(250)


@pytest.mark.parametrize("path", ["/api/tags", "/"])
def test_a_crash_gets_one_access_line_and_keeps_its_request_id(app, client, caplog, path):
    store_with(app, list_tags=crash)  # a bug: every request that lists tags fails
    caplog.set_level("INFO", logger="reference_app")
    response = client.get(path, headers={"X-Request-ID": "crash-1"}, status=500,
                          expect_errors=True)  # the traceback is logged
    assert response.headers["X-Request-ID"] == "crash-1"
    # One line, with the status the client got: not a 200 first and then the 500.
    assert [(line["request_id"], line["status"]) for line in access_lines(caplog)] == [
        ("crash-1", 500)]


def test_the_access_log_holds_no_secrets(client, caplog):
    caplog.set_level("INFO", logger="reference_app")
    token = client.post_json("/api/users/login", {"user": {
        "email": "demo@stagecraft.dev", "password": DEMO_PASSWORD}}).json["user"]["token"]
    client.get("/api/user?debug=1", headers={"Authorization": f"Token {token}"})
    text = caplog.text + " ".join(json.dumps(getattr(r, "fields", {})) for r in caplog.records)
    assert token not in text and DEMO_PASSWORD not in text and "debug=1" not in text


def test_healthz_is_alive(client):
    response = client.get("/healthz")
    assert response.json == {"status": "ok"}
    assert "Set-Cookie" not in response.headers  # a CSRF cookie is for pages only


def test_readyz_checks_the_database(client):
    assert client.get("/readyz").json == {"status": "ready", "checks": {"database": "ok"}}


def test_readyz_is_503_when_the_database_is_broken(client, settings):
    with open(settings.database, "r+b") as file:  # scribble over the header
        file.write(b"this is no longer a database file")
    response = client.get("/readyz", status=503)
    assert response.json["checks"]["database"] == "unreachable"


def test_readyz_checks_redis_when_configured(client_with, redis_url):
    client = client_with(redis_url=redis_url)
    assert client.get("/readyz").json["checks"] == {"database": "ok", "cache": "ok"}
    from conftest import free_port

    down = client_with(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    response = down.get("/readyz", status=503)
    assert response.json["checks"]["cache"] == "unreachable"


# ---- Settings from the environment -----------------------------------------
def test_settings_come_from_the_environment():
    settings = Settings.from_env({"STAGECRAFT_MAX_BODY_BYTES": "2048",
                                  "STAGECRAFT_PRODUCTION": "yes", "REDIS_URL": "redis://x:1/0",
                                  "STAGECRAFT_CORS_ORIGINS": "http://a.test, http://b.test"})
    assert settings.max_body_bytes == 2048 and settings.production is True
    assert settings.redis_url == "redis://x:1/0"
    assert settings.cors_origins == ("http://a.test", "http://b.test")


def test_every_bad_value_is_reported_at_once():
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"STAGECRAFT_MAX_BODY_BYTES": "lots", "STAGECRAFT_PRODUCTION": "maybe",
                           "STAGECRAFT_LOGIN_WINDOW_SECONDS": "-5"})
    message = str(error.value)
    assert "STAGECRAFT_MAX_BODY_BYTES: expected a whole number" in message
    assert "STAGECRAFT_PRODUCTION: expected true or false" in message
    assert "STAGECRAFT_LOGIN_WINDOW_SECONDS: must not be negative" in message


def test_secrets_never_show_in_settings_repr():
    settings = Settings(jwt_secret="s3cret-value-that-is-long-enough-123",
                        redis_url="redis://:pw@host/0")
    assert "s3cret" not in repr(settings) and "pw@" not in repr(settings)


def test_the_settings_table_lists_every_setting(capsys):
    assert main(["settings"]) == 0
    table = capsys.readouterr().out
    for field in dataclasses.fields(Settings):
        assert field.metadata["doc"] in table
    assert "`REDIS_URL`" in table and "`STAGECRAFT_JWT_SECRET`" in table


# ---- Backups ----------------------------------------------------------------
@pytest.fixture
def cli(capsys, app_module):
    """Run a backup or restore command with the lesson-7 code of the app under test."""
    def run(*argv):
        code = main([*argv, "--app", app_module])
        return code, capsys.readouterr().err
    return run


def count_articles(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select count(*) from articles").fetchone()[0]
    finally:
        conn.close()


def test_backup_then_restore(app, settings, tmp_path, cli):
    copy = str(tmp_path / "backup.db")
    code, err = cli("backup", copy, "--db", settings.database)
    assert code == 0 and "integrity ok" in err
    assert count_articles(copy) == 5
    conn = sqlite3.connect(settings.database)
    conn.execute("delete from articles")
    conn.commit()
    conn.close()
    code, err = cli("restore", copy, "--db", settings.database)
    assert code == 1 and "holds live data" in err and "--force" in err
    assert cli("restore", copy, "--db", settings.database, "--force")[0] == 0
    assert count_articles(settings.database) == 5


def test_backup_will_not_overwrite_without_force(app, settings, tmp_path, cli):
    copy = tmp_path / "backup.db"
    copy.write_text("precious")
    code, err = cli("backup", str(copy), "--db", settings.database)
    assert code == 1 and "exists; pass --force" in err and copy.read_text() == "precious"
    assert cli("backup", str(copy), "--db", settings.database, "--force")[0] == 0


def test_restore_refuses_a_broken_backup(app, settings, tmp_path, cli):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    code, err = cli("restore", str(junk), "--db", settings.database, "--force")
    assert code == 1 and "not a sound database" in err
    assert count_articles(settings.database) == 5


def test_backup_of_a_missing_database_is_one_line(tmp_path, cli):
    code, err = cli("backup", str(tmp_path / "b.db"), "--db", str(tmp_path / "none.db"))
    assert code == 1 and err.count("\n") == 1 and "no database" in err


def test_restore_into_an_empty_database_needs_no_force(app, settings, tmp_path, cli):
    copy = str(tmp_path / "backup.db")
    cli("backup", copy, "--db", settings.database)
    fresh = str(tmp_path / "fresh.db")
    assert cli("restore", copy, "--db", fresh)[0] == 0
    assert count_articles(fresh) == 5


def test_backups_and_restored_databases_are_private(app, settings, tmp_path, cli):
    # A backup holds what the database holds: with umask 022 it was 644.
    copy, restored = tmp_path / "backup.db", tmp_path / "restored.db"
    umask = os.umask(0o022)
    try:
        assert cli("backup", str(copy), "--db", settings.database)[0] == 0
        assert cli("restore", str(copy), "--db", str(restored))[0] == 0
    finally:
        os.umask(umask)
    assert [stat.S_IMODE(path.stat().st_mode) for path in (copy, restored)] == [0o600, 0o600]


def test_backup_into_a_missing_folder_names_the_folder(app, settings, tmp_path, cli):
    code, err = cli("backup", str(tmp_path / "no" / "such" / "b.db"),
                    "--db", settings.database)
    assert code == 1 and "there is no folder" in err and "database" not in err


# ---- The production server ---------------------------------------------------
def test_serve_prod_binds_loopback_and_logs_json(production):
    server = production(workers=2)
    status, headers, body = http("GET", server.url + "/readyz", headers={"X-Request-ID": "r-1"})
    assert status == 200 and body["status"] == "ready" and headers["X-Request-ID"] == "r-1"
    assert f"Listening at: http://127.0.0.1:{server.port}" in server.log
    server.stop()
    assert any(e["request_id"] == "r-1" and e["path"] == "/readyz"
               for e in server.access_lines())
    assert "Handling signal: term" in server.log  # a graceful shutdown


def test_half_sent_requests_do_not_stall_serve_prod(production):
    # Three half-sent requests once stalled serve --prod's three sync workers for
    # 30 s. Now it takes workers x threads (3 x 4) of them: one fewer must not do.
    server = production(workers=3)
    idle = []
    try:
        for _ in range(3 * 4 - 1):
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            connection.sendall(b"GET /api/tags HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no end
            idle.append(connection)
        time.sleep(1)  # the workers take them, and wait for the rest
        started = time.monotonic()
        try:
            status, _, _ = http("GET", server.url + "/healthz", timeout=5)
        except OSError as error:
            pytest.fail(f"a normal request got no answer within 5 s: {error}")
        assert status == 200 and time.monotonic() - started < 2
    finally:
        for connection in idle:
            connection.close()
