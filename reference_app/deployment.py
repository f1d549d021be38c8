"""Lesson 7: deployment.

What running for real needs from the app itself (the rest lives beside it:
``gunicorn.conf.py``, ``deploy/`` for nginx and containers, ``backups.py``):

- a request id on every request, taken from ``X-Request-ID`` or made up, and
  sent back, so one request can be followed through nginx, app and logs;
- one structured (JSON) access log line per request, for machines to search;
- ``/healthz`` (the process answers) and ``/readyz`` (it can do its job: the
  database and, when configured, the shared cache are reachable), for a load
  balancer or an orchestrator to decide where traffic goes.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sqlite3
import sys
import time
from pathlib import Path

import bottle
from bottle import request, response
from gunicorn import glogging
from gunicorn.app.base import Application

from .security import client_address, wrap_error_handler

access = logging.getLogger("reference_app.access")

GUNICORN_CONF = str(Path(__file__).with_name("gunicorn.conf.py"))

# A request id we accept from outside: short, and nothing that could forge log lines.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


# --8<-- [start:install]
def install(app: bottle.Bottle, settings) -> None:
    app.add_hook("before_request", start_request)
    app.add_hook("after_request", finish_request)
    wrap_error_handler(app, 500, finish_request)  # a crash gets its log line too
    app.route("/healthz", "GET", healthz)
    app.route("/readyz", "GET", readyz)
# --8<-- [end:install]


# --8<-- [start:request_log]
def start_request():
    sent = request.get_header("X-Request-ID", "")
    request.environ["stagecraft.request_id"] = (
        sent if REQUEST_ID.fullmatch(sent) else secrets.token_hex(16))
    request.environ["stagecraft.started"] = time.perf_counter()


def finish_request():
    if sys.exc_info()[0] is not None:
        # The route crashed: Bottle runs this hook on its way to the 500 page,
        # whose handler calls us again with the real status. Log once, then.
        return
    request_id = request.environ.get("stagecraft.request_id") or secrets.token_hex(16)
    response.set_header("X-Request-ID", request_id)
    started = request.environ.get("stagecraft.started", time.perf_counter())
    # Fields, not a sentence: a log system can filter on status or sum durations.
    # No query string, headers or body: they can hold tokens and personal data.
    access.info("request", extra={"fields": {
        "request_id": request_id,
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        "client": client_address(request.app.config["stagecraft.settings"]),
    }})
# --8<-- [end:request_log]


# --8<-- [start:json_logs]
class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and any fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


JsonFormatter.converter = time.gmtime  # times in UTC, like everything else in the app

# logging.config.dictConfig settings: gunicorn.conf.py hands them to gunicorn,
# so its own messages and the app's come out as JSON, on standard output.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json",
                            "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "reference_app": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
# --8<-- [end:json_logs]


# --8<-- [start:health]
def healthz():
    """Alive: the process runs and answers. Deliberately checks nothing else,
    so a slow database never gets a healthy process restarted."""
    return {"status": "ok"}


def readyz(store):
    """Ready: able to serve. A load balancer stops sending traffic on a 503."""
    checks = {"database": "ok"}
    try:
        store.value("select count(*) from articles where id = 0")  # needs the file and schema
    except sqlite3.Error:
        checks["database"] = "unreachable"
    if request.app.config["stagecraft.settings"].redis_url:
        checks["cache"] = "ok" if request.app.config["cache.backend"].ping() else "unreachable"
    ready = all(state == "ok" for state in checks.values())
    response.status = 200 if ready else 503
    return {"status": "ready" if ready else "not ready", "checks": checks}
# --8<-- [end:health]


class GunicornLogger(glogging.Logger):
    """gunicorn's logger without gunicorn's access log: the app writes its own
    JSON line per request (finish_request), and gunicorn would otherwise build
    a line of its own for every request, only to throw it away."""

    @property
    def access_log_enabled(self):
        return False


# --8<-- [start:production_server]
class ProductionServer(Application):
    """gunicorn, run from Python: settings from gunicorn.conf.py, then the address
    and worker count from the command line. Each worker builds its own app,
    after the fork, from settings that were already checked."""

    def __init__(self, build_app, bind: str, workers: int | None = None):
        self.build_app, self.bind, self.workers = build_app, bind, workers
        super().__init__()

    def load_config(self):
        self.load_config_from_file(GUNICORN_CONF)
        self.cfg.set("bind", [self.bind])
        if self.workers:
            self.cfg.set("workers", self.workers)

    def load(self):
        return self.build_app()
# --8<-- [end:production_server]
