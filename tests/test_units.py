"""Unit tests of the reference app's own helpers.

No stage marker: each imports the module it tests, so these check the
reference app only. The stage tests, which reach the app through the front
door, are the specification, and what checks a learner's app as well.
"""

import json
import logging
import sqlite3
import sys

import pytest

from reference_app.api.store import later_than
from reference_app.database.connection import connect, create_schema, write_transaction
from reference_app.deployment.logs import JsonFormatter
from reference_app.security.throttle import FailureCounter


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


# ---- Lesson 5: the login throttle's counter ---------------------------------
def test_failure_counter_forgets_after_the_window():
    now = [1000.0]
    counter = FailureCounter(60, clock=lambda: now[0])
    for _ in range(3):
        counter.fail("k")
    assert counter.retry_after("k", 3) == 61
    now[0] += 30
    assert counter.retry_after("k", 3) == 31
    now[0] += 31
    assert counter.retry_after("k", 3) == 0


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
