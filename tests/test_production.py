"""Lesson 7 for real: gunicorn over HTTP on loopback, concurrency and crashes.

No test here measures speed. They check what must hold however fast the
machine is: every acknowledged write is there, and the file stays sound.
"""

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import http

from reference_app.deployment.backups import backup, integrity


def register(server, name="writer"):
    status, _, body = http("POST", server.url + "/api/users", {"user": {
        "username": name, "email": f"{name}@example.com", "password": "long enough"}})
    assert status == 201, body
    return {"Authorization": f"Token {body['user']['token']}"}


def create(server, headers, title):
    return http("POST", server.url + "/api/articles", {"article": {
        "title": title, "description": "d", "body": "b"}}, headers)


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


class Writers:
    """Clients creating articles until stopped or the server goes away, each 201
    remembered. ``enough`` is set once 60 writes were acknowledged."""

    def __init__(self, server, headers, count):
        self.acknowledged, self.enough, self.stop = [], threading.Event(), threading.Event()
        self.threads = [threading.Thread(target=self.write, args=(server, headers, f"W{i}"))
                        for i in range(count)]
        for thread in self.threads:
            thread.start()

    def write(self, server, headers, prefix):
        for n in range(5000):  # bounded, whatever happens
            if self.stop.is_set():
                return
            try:
                status, _, body = create(server, headers, f"{prefix} {n}")
            except OSError:
                return  # the server is gone
            if status == 201:
                self.acknowledged.append(body["article"]["slug"])
                if len(self.acknowledged) >= 60:
                    self.enough.set()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def test_kill_9_mid_writes_loses_no_acknowledged_write(production, tmp_path):
    database = tmp_path / "prod.db"
    server = production(database=database, workers=2)
    writers = Writers(server, register(server), count=4)
    assert writers.enough.wait(120), "the writers never got 60 acknowledgements"
    server.kill()  # SIGKILL to master and workers alike, mid-stream
    writers.finish()
    assert integrity(database) == "ok"
    again = production(database=database, workers=1)
    missing = [slug for slug in writers.acknowledged
               if http("GET", f"{again.url}/api/articles/{slug}")[0] != 200]
    assert missing == [] and len(writers.acknowledged) >= 60


def test_a_backup_taken_during_writes_is_sound(production, tmp_path):
    database = tmp_path / "prod.db"
    server = production(database=database, workers=2)
    writers = Writers(server, register(server), count=3)
    assert writers.enough.wait(120)
    copy = tmp_path / "during.db"
    backup(str(database), str(copy))  # while the writers keep going
    writers.finish()
    assert integrity(copy) == "ok"
    conn = sqlite3.connect(copy)
    in_backup = conn.execute("select count(*) from articles").fetchone()[0]
    conn.close()
    # A snapshot from the middle of the stream: at least what was acknowledged
    # before it began, at most what was acknowledged in all, plus those in flight.
    assert 60 <= in_backup <= len(writers.acknowledged) + 3
