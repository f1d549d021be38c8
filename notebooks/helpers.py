"""What the notebooks all need before their first lesson cell, in one place.

    from helpers import Scratch, client_for

    scratch = Scratch()                               # a temporary folder of its own
    settings = scratch.seeded(users=5, articles=120)  # a database in it, with data
    client = client_for(3, settings)                  # the app at stage 3, through WebTest
    ...
    scratch.cleanup()                                 # last cell: servers stopped, folder gone

Also here: ``ROOT``, the repository, and ``import_file(path)`` for the lessons'
example files and the security lab's, which are not packages;
``scratch.audit_log()`` collects the app's audit log into a list;
``scratch.serve(stage, database)`` starts a real ``reference-app serve --prod``
through the project's one server helper, ``reference_app.servers``;
``count_queries(app)`` and ``count_connections(app)`` watch the app's database.
A notebook's kernel runs in this folder, so ``import helpers`` finds this file.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import json
import logging
import os
import secrets
import sys
import tempfile
from pathlib import Path

import alt_text  # notebooks/alt_text.py (the kernel runs in this folder)
import pandas as pd
from webtest import TestApp

from reference_app import LAST_STAGE, Settings, create_app
from reference_app.database.plugin import count_queries
from reference_app.seed import seed
from reference_app.servers import Server, app_server, stop_all

ROOT = Path(__file__).resolve().parent.parent  # the repository: lessons/, reference_app/...
CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}
AUDIT = logging.getLogger("reference_app.audit")

# Tables show whole bodies and whole SQL, not "Hello fr...".
pd.set_option("display.max_colwidth", None)
# Every plot goes to the site with a written description, read from its titles.
alt_text.install()


class Scratch:
    """A notebook's temporary folder: its databases, its servers' files. The last
    cell calls ``cleanup()``, which stops any server still running and removes it."""

    def __init__(self):
        self._directory = tempfile.TemporaryDirectory(prefix="stagecraft-notebook-")
        self.folder = Path(self._directory.name)
        # One signing key for every server started here, so a token from one is
        # good at the next; a real deployment keeps its key in the environment too.
        self.jwt_secret = secrets.token_urlsafe(48)

    def settings(self, database: str = "notebook.db", **changes) -> Settings:
        """Settings for a database file in this folder, with Argon2 as cheap as in the
        tests: these notebooks are not about passwords (04_auth times the real cost)."""
        return Settings(database=str(self.folder / database),
                        instance_path=str(self.folder / "instance"), **{**CHEAP_ARGON2, **changes})

    def seeded(self, database: str = "notebook.db", *, users: int, articles: int,
               **changes) -> Settings:
        """``settings()``, with the demo world and generated users and articles written in."""
        settings = self.settings(database, **changes)
        seed(settings.database, settings, users=users, articles=articles)
        return settings

    def environment(self, **variables) -> dict:
        """What a deployment puts in a server's environment (settings are environment
        variables): this folder, a signing key, cheap Argon2; then ``variables``.
        No shared cache unless ``variables`` asks for one, whatever the shell says."""
        inherited = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        return {**inherited, "STAGECRAFT_JWT_SECRET": self.jwt_secret,
                "STAGECRAFT_INSTANCE_PATH": str(self.folder / "instance"),
                "STAGECRAFT_ARGON2_TIME_COST": "1", "STAGECRAFT_ARGON2_MEMORY_KIB": "8",
                **variables}

    def serve(self, stage: int = LAST_STAGE, database=None, *, workers: int = 1,
              **variables) -> Server:
        """``reference-app serve --prod`` on 127.0.0.1, once gunicorn says it listens.

        ``database`` defaults to this folder's notebook.db; ``variables`` are more
        settings for its environment. Stop it with ``.stop()``, or use ``with``.
        """
        return app_server(stage=stage, database=database or self.settings().database,
                          workers=workers, env=self.environment(**variables),
                          ready="Listening at")  # no probe request in the log it shows

    def audit_log(self) -> list[dict]:
        """The app's audit log ("reference_app.audit"), collected into the list returned,
        one dict per event, instead of spilling into the cells' output."""
        events: list[dict] = []

        class Collect(logging.Handler):
            def emit(self, record):
                events.append({"level": record.levelname, "message": record.getMessage()})

        AUDIT.handlers = [Collect()]  # replace, not add: running the cell twice logs once
        AUDIT.setLevel(logging.INFO)
        AUDIT.propagate = False
        return events

    def cleanup(self) -> None:
        """Stop any server still running, give the audit log back to the logging
        system, and remove the folder."""
        stop_all()
        AUDIT.handlers.clear()
        AUDIT.propagate = True
        self._directory.cleanup()


def request(server, method: str, path: str, body=None, headers=None, timeout: float = 30):
    """(status, headers, parsed body) over real HTTP to a running ``server``: the body
    sent as JSON, the answer parsed as JSON when it is JSON, else kept as text."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        data = json.dumps(body) if body is not None else None
        connection.request(method, path, body=data, headers={
            **({"Content-Type": "application/json"} if data else {}), **(headers or {})})
        response = connection.getresponse()
        raw = response.read().decode()
        try:
            raw = json.loads(raw)
        except ValueError:
            pass  # not JSON: keep the text
        return response.status, response.headers, raw
    finally:
        connection.close()


def import_file(path: Path, name: str | None = None):
    """Import a Python file by its path, as module ``name`` (default: the file's stem).
    ``lessons/00_http`` cannot be a package name (it starts with a digit), and the
    security lab is not on this kernel's sys.path, so a plain ``import`` cannot reach them."""
    name = name or path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up in sys.modules
    spec.loader.exec_module(module)
    return module


def client_for(stage: int, settings: Settings) -> TestApp:
    """A client for the app at ``stage``: WebTest calls it in this process, with no
    server and no socket. The app itself is ``client.app``."""
    return TestApp(create_app(stage, settings))


@contextlib.contextmanager
def count_connections(app):
    """Collect the database connections ``app`` opens inside the block.

    Each request's store opens its connection with ``app.config["database.open"]``
    (lesson 2's plugin), so a wrapper there sees every one."""
    opened, real_open = [], app.config["database.open"]

    def watched_open():
        connection = real_open()
        opened.append(connection)
        return connection

    app.config["database.open"] = watched_open
    try:
        yield opened
    finally:
        app.config["database.open"] = real_open


__all__ = ["ROOT", "Scratch", "client_for", "count_connections", "count_queries", "import_file"]
