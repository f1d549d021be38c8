"""Lesson 7 for real: gunicorn over HTTP on loopback, concurrency and crashes.

No test here measures speed. They check what must hold however fast the
machine is: every acknowledged write is there, and the file stays sound.
"""

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import http

from reference_app.backups import backup, integrity


def register(server, name="writer"):
    status, _, body = http("POST", server.url + "/api/users", {"user": {
        "username": name, "email": f"{name}@example.com", "password": "long enough"}})
    assert status == 201, body
    return {"Authorization": f"Token {body['user']['token']}"}


def create(server, headers, title):
    return http("POST", server.url + "/api/articles", {"article": {
        "title": title, "description": "d", "body": "b"}}, headers)


def test_serve_prod_binds_loopback_and_logs_json(production):
    server = production(workers=2)
    status, headers, body = http("GET", server.url + "/readyz", headers={"X-Request-ID": "r-1"})
    assert status == 200 and body["status"] == "ready" and headers["X-Request-ID"] == "r-1"
    assert f"Listening at: http://127.0.0.1:{server.port}" in server.log
    server.stop()
    assert any(e["request_id"] == "r-1" and e["path"] == "/readyz"
               for e in server.access_lines())
    assert "Handling signal: term" in server.log  # a graceful shutdown


def test_200_concurrent_creations_from_20_clients_all_succeed(production, tmp_path):
    server = production(workers=2)
    headers = register(server)
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda n: create(server, headers, f"Concurrent {n}"),
                                range(200)))
    assert [status for status, _, _ in results] == [201] * 200
    assert len({body["article"]["slug"] for _, _, body in results}) == 200
    _, _, listed = http("GET", server.url + "/api/articles?author=writer&limit=1")
    assert listed["articlesCount"] == 200
    server.stop()
    assert "database is locked" not in server.log
    assert sum(1 for e in server.access_lines() if e["status"] == 201) == 201  # + register


def write_until_stopped(server, headers, acknowledged, enough, stop, prefix):
    """Create articles until told to stop or the server goes away; remember each 201."""
    for n in range(5000):  # bounded, whatever happens
        if stop.is_set():
            return
        try:
            status, _, body = create(server, headers, f"{prefix} {n}")
        except OSError:
            return  # the server is gone
        if status == 201:
            acknowledged.append(body["article"]["slug"])
            if len(acknowledged) >= 60:
                enough.set()


def test_kill_9_mid_writes_loses_no_acknowledged_write(production, tmp_path):
    database = tmp_path / "prod.db"
    server = production(database=database, workers=2)
    headers = register(server)
    acknowledged, enough, stop = [], threading.Event(), threading.Event()
    writers = [threading.Thread(target=write_until_stopped,
                                args=(server, headers, acknowledged, enough, stop, f"W{i}"))
               for i in range(4)]
    for writer in writers:
        writer.start()
    assert enough.wait(120), "the writers never got 60 acknowledgements"
    server.kill()  # SIGKILL to master and workers alike, mid-stream
    stop.set()
    for writer in writers:
        writer.join(60)
    assert integrity(database) == "ok"
    again = production(database=database, workers=1)
    missing = [slug for slug in list(acknowledged)
               if http("GET", f"{again.url}/api/articles/{slug}")[0] != 200]
    assert missing == [] and len(acknowledged) >= 60


def test_a_backup_taken_during_writes_is_sound(production, tmp_path):
    database = tmp_path / "prod.db"
    server = production(database=database, workers=2)
    headers = register(server)
    acknowledged, enough, stop = [], threading.Event(), threading.Event()
    writers = [threading.Thread(target=write_until_stopped,
                                args=(server, headers, acknowledged, enough, stop, f"B{i}"))
               for i in range(3)]
    for writer in writers:
        writer.start()
    assert enough.wait(120)
    copy = tmp_path / "during.db"
    backup(str(database), str(copy))  # while the writers keep going
    written_before = len(acknowledged)
    stop.set()
    for writer in writers:
        writer.join(60)
    assert integrity(copy) == "ok"
    conn = sqlite3.connect(copy)
    in_backup = conn.execute("select count(*) from articles").fetchone()[0]
    conn.close()
    assert 60 <= in_backup <= len(acknowledged) + 4  # a snapshot from the middle of the stream
    assert written_before >= 60
