"""Lesson 7: deployment.

What running for real needs from the app itself:

- logs.py: a request id and one JSON access log line for every request;
- health.py: ``/healthz`` and ``/readyz`` for a load balancer;
- server.py and gunicorn.conf.py: gunicorn, run from Python;
- backups.py: consistent backups and restores of the live database.

The rest lives beside the app: ``deploy/`` for nginx and containers.
"""

from __future__ import annotations

from ..core import App
from . import health
from .logs import AccessLog


# --8<-- [start:install]
def install(app: App, settings) -> None:
    app.add_middleware(AccessLog(settings))  # outermost: it sees every answer, 500s too
    health.add_routes(app)
# --8<-- [end:install]
