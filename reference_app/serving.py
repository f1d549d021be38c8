"""Serving an app: ``reference-app serve``, with the development server or,
with ``--prod``, gunicorn. Any app module with ``create_app(stage, settings)``
can be served: the reference, or a learner's build-track app, ``workshop``.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIServer, make_server

from . import STAGES


class DevServer(ThreadingMixIn, WSGIServer):
    """Python's own WSGI server, one thread per request: fine for one person
    in a browser. Lesson 7 puts gunicorn in front for real traffic."""

    daemon_threads = True


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
    with make_server(args.host, args.port, app, server_class=DevServer) as server:
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
    # Building the app checks the secret and creates the schema and indexes now,
    # so a mistake is one line here, not a traceback in every worker.
    create_app = app_factory(args.app)
    create_app(args.stage, settings)
    print(f"Stage {args.stage} ({STAGES[args.stage]}) with gunicorn on "
          f"http://{args.host}:{args.port}/", file=sys.stderr, flush=True)
    # The app's own lesson-7 server; the reference's for an app that has no lesson 7 yet.
    has_lesson_7 = importlib.util.find_spec(f"{args.app}.deployment") is not None
    server = app_part(args.app if has_lesson_7 else "reference_app", "deployment.server")
    server.ProductionServer(lambda: create_app(args.stage, settings),
                     bind=f"{args.host}:{args.port}", workers=args.workers).run()
    return 0
# --8<-- [end:serve_prod]
