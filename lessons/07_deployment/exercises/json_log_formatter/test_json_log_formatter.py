"""Tests for json_log_formatter. Run via `python -m lessons check json_log_formatter`."""

import datetime as dt
import io
import json
import logging
from pathlib import Path

import pytest


@pytest.fixture
def log(exercise):
    """A logger writing through the formatter into a string; returns (logger, lines())."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(exercise.get("JsonFormatter")())
    logger = logging.getLogger("stagecraft.exercise.json_log_formatter")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield logger, lines
    logger.handlers = []


def test_1_4_each_record_is_one_json_object(log):
    logger, lines = log
    logger.info("hello %s", "world")
    [entry] = lines()
    assert entry["message"] == "hello world"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "stagecraft.exercise.json_log_formatter"


def test_1_time_is_iso_8601_in_utc(log):
    logger, lines = log
    logger.warning("tick")
    when = dt.datetime.fromisoformat(lines()[0]["time"])
    assert when.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.timezone.utc) - when) < dt.timedelta(minutes=1)


def test_2_extra_fields_are_included(log):
    logger, lines = log
    logger.info("request done", extra={"request_id": "abc", "status": 201, "duration_ms": 3.5})
    entry = lines()[0]
    assert (entry["request_id"], entry["status"], entry["duration_ms"]) == ("abc", 201, 3.5)
    assert "method" not in entry


def test_3_4_an_exception_stays_on_one_line(log):
    logger, lines = log
    try:
        _ = 1 / 0
    except ZeroDivisionError:
        logger.exception("it broke")
    [entry] = lines()  # one line, even though a traceback has many
    assert "ZeroDivisionError" in entry["exception"]
    assert entry["level"] == "ERROR"


def test_4_a_value_json_cannot_encode_does_not_crash(log):
    logger, lines = log
    logger.info("path", extra={"path": Path("/api/articles")})
    assert lines()[0]["path"] == "/api/articles"
