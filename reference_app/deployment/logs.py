"""Lesson 7: a request id and one structured log line for every request.

- a request id on every request, taken from ``X-Request-ID`` or made up, and
  sent back, so one request can be followed through nginx, app and logs;
- one JSON access log line per request, for machines to search.

Both are WSGI middleware, so a crash gets its request id and its log line
too, with the status the client really got (core/app.py explains the seam).
"""

from __future__ import annotations

import logging
import re
import secrets
import time

import orjson

from ..security.throttle import client_address

access = logging.getLogger("reference_app.access")

# A request id we accept from outside: short, and nothing that could forge log lines.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
REQUEST_ID_KEY = "stagecraft.request_id"


# --8<-- [start:request_log]
class AccessLog:
    """Middleware: ``app.add_middleware(AccessLog(settings))``."""

    def __init__(self, settings):
        self.settings = settings

    def __call__(self, app):
        def logged(environ, start_response):
            sent = environ.get("HTTP_X_REQUEST_ID")
            request_id = sent if sent and REQUEST_ID.fullmatch(sent) else secrets.token_hex(16)
            environ[REQUEST_ID_KEY] = request_id
            started, status = time.perf_counter(), []

            def start(status_line, headers, exc_info=None):
                status.append(int(status_line[:3]))
                return start_response(status_line, [*headers, ("X-Request-ID", request_id)],
                                      exc_info)

            body = app(environ, start)
            # Logged when the answer is over: for a stream, when it ends, not when it starts.
            return when_finished(environ, body, lambda: self.log(
                environ, request_id, status[0] if status else 500, started))

        return logged

    def log(self, environ, request_id, status, started):
        # Fields, not a sentence: a log system can filter on status or sum durations.
        # No query string, headers or body: they can hold tokens and personal data.
        access.info("request", extra={"fields": {
            "request_id": request_id,
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "client": client_address(environ, self.settings),
        }})
# --8<-- [end:request_log]


# --8<-- [start:when_finished]
def when_finished(environ, body, callback):
    """``body``, with ``callback`` run once the server is done with it.

    Bottle hands most answers over whole, as a list: they are finished already.
    A streamed answer (lesson 8's live comments) is an iterator the server
    writes piece by piece, for minutes; it tells the app it is done by calling
    the iterator's ``close()``, which the WSGI standard requires of every server,
    whether the stream ended or the client left. Hand-written to be read:
    Werkzeug's ``ClosingIterator`` does the same.
    """
    # A static file comes back in the server's own file wrapper, which lets it
    # send the file with sendfile(): wrapped again, the server would not know it.
    file_wrapper = environ.get("wsgi.file_wrapper")
    if isinstance(body, list) or (isinstance(file_wrapper, type)
                                  and isinstance(body, file_wrapper)):
        callback()
        return body
    return ClosingBody(body, callback)


class ClosingBody:
    """An iterator over ``body`` whose ``close()`` also runs ``callback``."""

    def __init__(self, body, callback):
        self.body, self.callback = body, callback

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.callback()
# --8<-- [end:when_finished]


# --8<-- [start:json_logs]
class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and any fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.utc_time(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # orjson, not json: the access log formats a line for every request.
        # default=str: a field no JSON type fits is written as text, not lost.
        return orjson.dumps(entry, default=str).decode()

    # Many lines a second share their second: format it once (in UTC, like
    # everything else in the app), and only add the milliseconds per line.
    last_second = (0, "1970-01-01T00:00:00")

    def utc_time(self, record: logging.LogRecord) -> str:
        second, text = self.last_second
        if int(record.created) != second:
            second = int(record.created)
            text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self.last_second = (second, text)  # one assignment: safe between threads
        return f"{text}.{int(record.msecs):03d}Z"

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
