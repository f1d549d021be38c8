"""Lesson 7: health checks, for a load balancer or an orchestrator.

``/healthz`` says the process answers; ``/readyz`` says it can do its job (the
database and, when configured, the shared cache are reachable).
"""

from __future__ import annotations

import sqlite3

import bottle
from bottle import request, response


def add_routes(app: bottle.Bottle) -> None:
    app.route("/healthz", "GET", healthz, name="healthz")
    app.route("/readyz", "GET", readyz, name="readyz")


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
    cache = request.app.config.get("cache.backend")  # lesson 6's, if it caches at all
    if cache is not None and request.app.config["stagecraft.settings"].redis_url:
        checks["cache"] = "ok" if cache.ping() else "unreachable"
    ready = all(state == "ok" for state in checks.values())
    response.status = 200 if ready else 503
    return {"status": "ready" if ready else "not ready", "checks": checks}
# --8<-- [end:health]
