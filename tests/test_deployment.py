"""Lesson 7 in process: request ids, JSON logs, health checks, settings, backups."""

import dataclasses
import json
import logging
import sqlite3

import pytest
from webtest import TestApp

from reference_app.cli import main
from reference_app.core.settings import Settings, SettingsError
from reference_app.deployment.logs import JsonFormatter
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


def test_one_structured_access_line_per_request(client, caplog):
    caplog.set_level("INFO", logger="reference_app.access")
    client.get("/api/articles?limit=1", headers={"X-Request-ID": "abc"})
    client.get("/nope", status=404)
    records = [r for r in caplog.records if r.name == "reference_app.access"]
    assert len(records) == 2
    fields = records[0].fields
    assert fields["request_id"] == "abc" and fields["method"] == "GET"
    assert fields["path"] == "/api/articles" and fields["status"] == 200
    assert fields["duration_ms"] >= 0 and fields["client"]
    assert records[1].fields["status"] == 404


def test_a_crash_is_logged_with_its_request_id(app, caplog):
    def broken():
        raise RuntimeError("boom")

    app.route("/api/broken", "GET", broken)
    caplog.set_level("INFO", logger="reference_app")
    response = TestApp(app).get("/api/broken", status=500, expect_errors=True)
    assert response.headers["X-Request-ID"]
    access = [r for r in caplog.records if r.name == "reference_app.access"]
    assert access[-1].fields["status"] == 500
    assert len(access) == 1  # one line for the crash, not a 200 first and then the 500


def test_the_access_log_holds_no_secrets(client, caplog):
    caplog.set_level("INFO", logger="reference_app")
    token = client.post_json("/api/users/login", {"user": {
        "email": "demo@stagecraft.dev", "password": DEMO_PASSWORD}}).json["user"]["token"]
    client.get("/api/user?debug=1", headers={"Authorization": f"Token {token}"})
    text = caplog.text + " ".join(json.dumps(getattr(r, "fields", {})) for r in caplog.records)
    assert token not in text and DEMO_PASSWORD not in text and "debug=1" not in text


def test_json_formatter_writes_one_object_per_line():
    record = logging.LogRecord("reference_app.access", logging.INFO, __file__, 1, "request",
                               None, None)
    record.fields = {"status": 200}
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\n" not in line and entry["status"] == 200 and entry["level"] == "info"
    assert entry["time"].endswith("Z")
    try:
        raise ValueError("inside")
    except ValueError:
        import sys

        failing = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None,
                                    sys.exc_info())
    assert "ValueError: inside" in json.loads(JsonFormatter().format(failing))["exception"]


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
def cli(capsys, *argv):
    code = main(list(argv))
    return code, capsys.readouterr().err


def count_articles(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select count(*) from articles").fetchone()[0]
    finally:
        conn.close()


def test_backup_then_restore(app, settings, tmp_path, capsys):
    copy = str(tmp_path / "backup.db")
    code, err = cli(capsys, "backup", copy, "--db", settings.database)
    assert code == 0 and "integrity ok" in err
    assert count_articles(copy) == 5
    conn = sqlite3.connect(settings.database)
    conn.execute("delete from articles")
    conn.commit()
    conn.close()
    code, err = cli(capsys, "restore", copy, "--db", settings.database)
    assert code == 1 and "holds live data" in err and "--force" in err
    assert cli(capsys, "restore", copy, "--db", settings.database, "--force")[0] == 0
    assert count_articles(settings.database) == 5


def test_backup_will_not_overwrite_without_force(app, settings, tmp_path, capsys):
    copy = tmp_path / "backup.db"
    copy.write_text("precious")
    code, err = cli(capsys, "backup", str(copy), "--db", settings.database)
    assert code == 1 and "exists; pass --force" in err and copy.read_text() == "precious"
    assert cli(capsys, "backup", str(copy), "--db", settings.database, "--force")[0] == 0


def test_restore_refuses_a_broken_backup(app, settings, tmp_path, capsys):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    code, err = cli(capsys, "restore", str(junk), "--db", settings.database, "--force")
    assert code == 1 and "not a sound database" in err
    assert count_articles(settings.database) == 5


def test_backup_of_a_missing_database_is_one_line(tmp_path, capsys):
    code, err = cli(capsys, "backup", str(tmp_path / "b.db"), "--db", str(tmp_path / "none.db"))
    assert code == 1 and err.count("\n") == 1 and "no database" in err


def test_restore_into_an_empty_database_needs_no_force(app, settings, tmp_path, capsys):
    copy = str(tmp_path / "backup.db")
    cli(capsys, "backup", copy, "--db", settings.database)
    fresh = str(tmp_path / "fresh.db")
    assert cli(capsys, "restore", copy, "--db", fresh)[0] == 0
    assert count_articles(fresh) == 5


def test_backup_into_a_missing_folder_names_the_folder(app, settings, tmp_path, capsys):
    code, err = cli(capsys, "backup", str(tmp_path / "no" / "such" / "b.db"),
                    "--db", settings.database)
    assert code == 1 and "there is no folder" in err and "database" not in err
