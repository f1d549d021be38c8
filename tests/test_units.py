"""Unit tests of the reference app's own helpers.

No stage marker: each imports the module it tests, so these check the
reference app only. The stage tests, which reach the app through the front
door, are the specification, and what checks a learner's app as well.
"""

import json
import logging
import sqlite3
import sys
import time

import pytest

from reference_app.api.store import later_than
from reference_app.caching.backends import MemoryCache
from reference_app.database.connection import connect, create_schema, write_transaction
from reference_app.deployment.logs import JsonFormatter
from reference_app.security.counts import DatabaseCounts
from reference_app.security.throttle import Limit
from reference_app.serving import OneLineFormatter


# ---- Lesson 2: transactions -------------------------------------------------
@pytest.fixture
def db(settings):
    create_schema(settings.database)
    db = connect(settings.database)
    yield db
    db.close()


def test_write_transaction_begins_immediate_and_commits(db):
    statements = []
    db.conn.set_trace_callback(statements.append)
    with write_transaction(db):
        db.execute("insert into tags (name) values ('x')")
    assert statements[0] == "BEGIN IMMEDIATE" and statements[-1] == "COMMIT"
    assert db["tags"].count == 1


def test_write_transaction_rolls_back_everything_on_error(db):
    with pytest.raises(RuntimeError), write_transaction(db):
        db.execute("insert into tags (name) values ('kept?')")
        raise RuntimeError("halfway")
    assert db["tags"].count == 0


def test_write_transaction_takes_the_write_lock_up_front(db, settings):
    other = connect(settings.database, busy_timeout_ms=0)  # fail at once rather than wait
    try:
        with write_transaction(db):  # nothing written yet, and the lock is already ours
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                with write_transaction(other):
                    pass  # pragma: no cover - never reached: the lock is taken
    finally:
        other.close()


# ---- Lesson 3: times --------------------------------------------------------
def test_later_than_always_moves_forward():
    assert later_than("2999-01-01T00:00:00.999Z") == "2999-01-01T00:00:01.000Z"
    assert later_than("2000-01-01T00:00:00.000Z") > "2000-01-01T00:00:00.000Z"


# ---- Lesson 5: the throttle ------------------------------------------------
def test_the_login_backoff_doubles_up_to_the_window():
    limit = Limit("k", allowed=3, window=86400, longest=900, backoff=1)
    waits = [limit.wait(attempts, last_at=1000.0, now=1000.0) for attempts in range(2, 16)]
    assert waits == [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
    assert limit.wait(5, last_at=1000.0, now=1003.5) == 1  # 4 s after the latest, half a second
    assert limit.wait(5, last_at=1000.0, now=1004.0) == 0


def test_database_counts_forget_a_key_after_its_window(settings):
    counts = DatabaseCounts(settings)
    counts.add({"k": 60, "other": 3600}, now=1000.0)
    counts.add({"k": 60}, now=1030.0)
    assert counts.get("k", now=1031.0) == (2, 1030.0)
    assert counts.get("k", now=1090.0) == (0, 0.0)  # left alone for its 60 s window
    counts.add({"k": 60}, now=1100.0)
    assert counts.get("k", now=1100.0) == (1, 1100.0)  # so it starts again from one
    assert counts.get("other", now=1100.0) == (1, 1000.0)
    counts.forget("other")
    assert counts.get("other", now=1100.0) == (0, 0.0)


# ---- Lesson 6: the in-process cache ------------------------------------------
def test_memory_cache_is_bounded_in_bytes_and_drops_expired_entries():
    cache = MemoryCache(max_bytes=3000)
    cache.set("huge", "x" * 10_000, ttl=60)  # more than the whole cache: never kept
    assert cache.get("huge") is None and cache.size == 0
    for key in "abcd":
        cache.set(key, key * 1000, ttl=60)  # about 1,200 bytes each: two fit
    assert cache.size <= 3000
    assert cache.get("a") is None and cache.get("d") == "d" * 1000  # oldest out first
    cache.set("old", "o", ttl=0)  # expired at once
    time.sleep(1.1)  # past the sweep interval: the next write drops every expired entry
    cache.set("new", "n", ttl=60)
    assert "old" not in cache.entries


# ---- Lesson 7: JSON log lines -----------------------------------------------
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
        failing = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None,
                                    sys.exc_info())
    assert "ValueError: inside" in json.loads(JsonFormatter().format(failing))["exception"]


# ---- The development server's log -------------------------------------------
def test_the_development_log_keeps_each_record_on_its_own_lines():
    path = "/x\n127.0.0.1 - - [forged] \x1b[31m"
    try:
        raise ValueError("inside\nforged: too")
    except ValueError:
        record = logging.LogRecord("reference_app", logging.ERROR, __file__, 1, "500 on %s %s",
                                   ("GET", path), sys.exc_info())
    first, *rest = OneLineFormatter("%(message)s").format(record).split("\n")
    assert first == "500 on GET /x\\x0a127.0.0.1 - - [forged] \\x1b[31m"
    assert rest and all(line.startswith("    ") for line in rest)  # the traceback, indented
    assert "    ValueError: inside" in rest and "    forged: too" in rest
