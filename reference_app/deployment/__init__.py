"""Lesson 7: deployment.

What running for real needs from the app itself:

- logs.py: a request id and one JSON access log line for every request;
- health.py: ``/healthz`` and ``/readyz`` for a load balancer;
- metrics.py: request rate, errors and latency per route, at ``/metrics``;
- server.py and gunicorn.conf.py: gunicorn, run from Python;
- backups.py: consistent backups and restores of the live database.

The rest lives beside the app: ``deploy/`` for nginx and containers.
"""

from __future__ import annotations

from ..core import App
from . import health
from .logs import AccessLog
from .metrics import RequestMetrics, metrics_page


# --8<-- [start:install]
def install(app: App, settings) -> None:
    metrics = RequestMetrics()
    app.config["metrics.registry"] = metrics.registry  # what /metrics shows, in one process
    app.add_middleware(metrics)  # around Bottle: it counts 404s and 500s too
    app.add_middleware(AccessLog(settings))  # outermost: it sees every answer, 500s too
    health.add_routes(app)
    # For Prometheus, on the private network: nginx refuses it (deploy/nginx).
    app.route("/metrics", "GET", metrics_page, name="metrics")
# --8<-- [end:install]
