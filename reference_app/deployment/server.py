"""Lesson 7: the production server, gunicorn, run from Python.

Settings come from gunicorn.conf.py beside this file; the logging setup from
logs.py, so gunicorn's own messages and the app's come out as the same JSON.
"""

from __future__ import annotations

from pathlib import Path

from gunicorn import glogging
from gunicorn.app.base import Application

from .logs import LOGGING

GUNICORN_CONF = str(Path(__file__).with_name("gunicorn.conf.py"))


class GunicornLogger(glogging.Logger):
    """gunicorn's logger without gunicorn's access log: the app writes its own
    JSON line per request (logs.AccessLog), and gunicorn would otherwise build
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
        self.cfg.set("logconfig_dict", LOGGING)
        self.cfg.set("logger_class", GunicornLogger)
        self.cfg.set("bind", [self.bind])
        if self.workers:
            self.cfg.set("workers", self.workers)

    def load(self):
        return self.build_app()
# --8<-- [end:production_server]
