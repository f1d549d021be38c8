"""Lesson 7: numbers a monitoring system can scrape, per route, at ``/metrics``.

The RED method's three numbers for every route: the **R**ate of requests, the
**E**rrors among them (a label on the same counter, ``status``), and their
**D**uration, as a histogram from which Prometheus computes p50, p95 and p99.

- ``RequestMetrics``: WSGI middleware, like the access log, so it counts every
  answer: a crash's 500 and a 404 for a URL no route matches included;
- ``metrics_page``: ``GET /metrics``, in Prometheus's text format.

Under gunicorn each worker is a process with its own memory, and a scrape
reaches one of them: the library's multiprocess mode makes every worker write
its numbers to files in one folder, and ``/metrics`` adds them all up.
"""

from __future__ import annotations

import functools
import os
import time

from bottle import request, response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from .logs import when_finished

# Upper bounds of the latency buckets, in seconds. Prometheus reads percentiles
# off these bounds, so they sit where this app's answers fall: a cached read
# takes about a millisecond, an Argon2id login tens of them.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

UNMATCHED = "(unmatched)"  # the route of a 404 or 405 that no route answered
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


# --8<-- [start:middleware]
class RequestMetrics:
    """Middleware: ``app.add_middleware(RequestMetrics())`` counts and times every request."""

    def __init__(self):
        # A registry per app, not the library's global one: the tests build many
        # apps in one process, and each must start from zero.
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "stagecraft_http_requests", "Requests answered, by route and status.",
            ["method", "route", "status"], registry=self.registry)
        # No status label here: every label multiplies the series, and a histogram
        # is already one series per bucket.
        self.duration = Histogram(
            "stagecraft_http_request_duration_seconds", "Time inside the app, by route.",
            ["method", "route"], buckets=BUCKETS, registry=self.registry)
        # "livesum": under several workers, the sum over the workers still alive.
        self.in_progress = Gauge(
            "stagecraft_http_requests_in_progress", "Requests being answered now.",
            registry=self.registry, multiprocess_mode="livesum")
        # labels() checks its arguments and takes a lock on every call, to find
        # the same few series again and again: remember each one it returns.
        # (The labels are bounded, see labels() below, so this cache is too.)
        self.requests_for = functools.lru_cache(maxsize=None)(self.requests.labels)
        self.duration_for = functools.lru_cache(maxsize=None)(self.duration.labels)

    def __call__(self, app):
        def measured(environ, start_response):
            status = []

            def start(status_line, headers, exc_info=None):
                status.append(status_line[:3])
                return start_response(status_line, headers, exc_info)

            started = time.perf_counter()
            self.in_progress.inc()

            def finished():
                self.in_progress.dec()
                self.record(environ, status[0] if status else "500", started)

            try:
                body = app(environ, start)
            except BaseException:  # a crash that escapes the app still counts, as a 500
                finished()
                raise
            # A stream is in progress, and its duration runs, until it ends (logs.py).
            return when_finished(environ, body, finished)

        return measured

    def record(self, environ, status: str, started: float) -> None:
        method, route = labels(environ)
        self.requests_for(method, route, status).inc()
        self.duration_for(method, route).observe(time.perf_counter() - started)
# --8<-- [end:middleware]


# --8<-- [start:labels]
def labels(environ) -> tuple[str, str]:
    """(method, route) for a finished request: the route's rule, never the path.

    ``/api/articles/how-to-train`` and every other slug count as one route,
    ``/api/articles/<slug>``. A label per path would make a new series for each
    URL anyone types, a scanner's included, until Prometheus runs out of memory.
    Bottle leaves the matched route in the environ; a 404 or 405 has none.
    """
    route = environ.get("bottle.route")
    method = environ.get("REQUEST_METHOD", "")
    return (method if method in METHODS else "other",  # a made-up method is one more label
            route.rule if route is not None else UNMATCHED)
# --8<-- [end:labels]


# --8<-- [start:page]
def metrics_page():
    """GET /metrics: every metric of this app, in Prometheus's text format."""
    # The library reads this variable once, when it is first imported, to decide
    # where the numbers live; `serve --prod` sets it before that (serving.py).
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = every_worker()
    else:
        registry = request.app.config["metrics.registry"]
    response.content_type = CONTENT_TYPE_LATEST
    return generate_latest(registry)


def every_worker() -> CollectorRegistry:
    """A registry that reads the files of every worker, the dead ones too, and
    adds them up. Counters and histograms keep what a worker counted before it
    exited; the in-progress gauge loses a dead worker's file (gunicorn.conf.py)."""
    registry = CollectorRegistry()  # a fresh one per scrape, as the library's docs say
    multiprocess.MultiProcessCollector(registry)
    return registry
# --8<-- [end:page]
