"""Serving an app: ``reference-app serve``, with the development server or,
with ``--prod``, gunicorn. Any app module with ``create_app(stage, settings)``
can be served: the reference, or a learner's build-track app, ``workshop``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import importlib.util
import logging
import os
import shutil
import sys
import tempfile
import textwrap
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from . import STAGES

SERVER_NAME = "WSGIServer"  # wsgiref's, without "CPython/3.x.y": no need to say which bugs
# C0 and C1 control characters, and DEL, shown as \xNN; "\" doubled, so an escape
# written by a client cannot pass for one of ours. What Python 3.12's http.server does.
ESCAPES = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7f, 0xa0)]}
ESCAPES[ord("\\")] = "\\\\"


class DevServer(ThreadingMixIn, WSGIServer):
    """Python's own WSGI server, one thread per request: fine for one person
    in a browser. Lesson 7 puts gunicorn in front for real traffic."""

    daemon_threads = True


# --8<-- [start:dev_log]
def escape(text: str) -> str:
    """``text`` on one line: a "\\n" in a request cannot start a log line of its own."""
    return text.translate(ESCAPES)


class DevRequestHandler(WSGIRequestHandler):
    """wsgiref's handler, with every line it logs escaped, on every Python we support."""

    def version_string(self) -> str:  # the Server header of its own error pages
        return SERVER_NAME

    def log_message(self, format, *args) -> None:
        sys.stderr.write(f"{self.address_string()} - - [{self.log_date_time_string()}] "
                         f"{escape(format % args)}\n")

    def get_stderr(self):  # wsgi.errors: Bottle writes a crash's traceback there
        return IndentedErrors()


class IndentedErrors:
    """A traceback's lines, escaped and indented: only a log record starts at the margin."""

    def write(self, text: str) -> None:
        sys.stderr.write(indented(text) + "\n")

    def flush(self) -> None:
        sys.stderr.flush()

    def writelines(self, lines) -> None:
        self.write("".join(lines))


def indented(text: str) -> str:
    return textwrap.indent("\n".join(escape(line) for line in text.splitlines()), "    ")


class OneLineFormatter(logging.Formatter):
    """The app's log records, for the development server. A record's message is
    escaped onto one line; a traceback follows it, indented."""

    def formatMessage(self, record) -> str:
        return escape(super().formatMessage(record))

    def formatException(self, exc_info) -> str:
        return indented(super().formatException(exc_info))


def log_to_stderr() -> None:
    """Warnings and errors of the app (its crashes, failed and throttled logins)
    on standard error. ``serve --prod`` logs JSON instead (lesson 7)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])


def with_server_name(app):
    """wsgiref names the Python version in a Server header unless the app sends one."""
    def named(environ, start_response):
        def start(status, headers, exc_info=None):
            if not any(name.lower() == "server" for name, _ in headers):
                headers = [*headers, ("Server", SERVER_NAME)]
            return start_response(status, headers, exc_info)
        return app(environ, start)
    return named
# --8<-- [end:dev_log]


def app_factory(name: str):
    """``create_app`` from the module ``name``: the reference, or a learner's workshop."""
    module = app_part(name)
    if not callable(getattr(module, "create_app", None)):
        raise AppError(f"{name} has no create_app(stage, settings)")
    return module.create_app


def app_part(app: str, part: str = ""):
    """A module of the app ``app``, such as its ``deployment.backups``: the commands
    run the served app's own lesson code. Looked up from the current folder too,
    as ``python -m`` would."""
    if os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())
    name = f"{app}.{part}" if part else app
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise AppError(f"cannot import {name!r}: {error}") from None


class AppError(Exception):
    """The --app module cannot serve: the message says why."""


def serve(args, settings) -> int:
    if args.prod:
        return serve_production(args, settings)
    app = app_factory(args.app)(args.stage, settings)
    log_to_stderr()
    with make_server(args.host, args.port, with_server_name(app), server_class=DevServer,
                     handler_class=DevRequestHandler) as server:
        host, port = server.server_address[:2]
        # Printed once the socket is bound, so a script can wait for this line.
        print(f"Stage {args.stage} ({STAGES[args.stage]}) on http://{host}:{port}/ "
              "(Ctrl-C stops it)", file=sys.stderr, flush=True)
        server.serve_forever()
    return 0


# --8<-- [start:serve_prod]
def serve_production(args, settings) -> int:
    """Check everything once, here, then run gunicorn in this process."""
    settings = dataclasses.replace(settings, production=True)
    with metrics_folder():  # first: before anything imports prometheus_client
        # Building the app checks the secret and creates the schema and indexes now,
        # so a mistake is one line here, not a traceback in every worker.
        create_app = app_factory(args.app)
        create_app(args.stage, settings)
        print(f"Stage {args.stage} ({STAGES[args.stage]}) with gunicorn on "
              f"http://{args.host}:{args.port}/", file=sys.stderr, flush=True)
        # The app's own lesson-7 server; the reference's for an app with no lesson 7 yet.
        has_lesson_7 = importlib.util.find_spec(f"{args.app}.deployment") is not None
        server = app_part(args.app if has_lesson_7 else "reference_app", "deployment.server")
        server.ProductionServer(lambda: create_app(args.stage, settings),
                                bind=f"{args.host}:{args.port}", workers=args.workers).run()
    return 0
# --8<-- [end:serve_prod]


# --8<-- [start:metrics_folder]
@contextlib.contextmanager
def metrics_folder():
    """A fresh folder for this run's metrics, named in PROMETHEUS_MULTIPROC_DIR
    (made inside the folder that variable names, if it is set); removed at the end.

    Several gunicorn workers are several processes: each writes its numbers to
    files there, and lesson 7's /metrics adds them up. prometheus-client reads the
    variable once, when it is first imported, so it is set before the app is built.
    Fresh, so that no count from an earlier run is ever added in.
    """
    folder = tempfile.mkdtemp(prefix="stagecraft-metrics-",
                              dir=os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    master = os.getpid()
    try:
        yield folder
    finally:
        # A forked worker leaves through here too, when it exits: not its to remove.
        if os.getpid() == master:
            shutil.rmtree(folder, ignore_errors=True)
# --8<-- [end:metrics_folder]
