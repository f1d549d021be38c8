"""The command line: ``python -m reference_app`` or ``reference-app``.

Every mistake a user can make here (a bad stage, a path that cannot be
opened, a port in use) ends in one clear line and a non-zero exit status,
never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import secrets
import sqlite3
import sys
import tempfile
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIServer, make_server

from . import LAST_STAGE, STAGES
from .core.settings import Settings, SettingsError, env_name
from .database.connection import connect, create_schema
from .deployment.backups import BackupError, backup, restore
from .deployment.server import ProductionServer
from .seed import reset, seed

PROG = "reference-app"


def parser() -> argparse.ArgumentParser:
    stages = [str(n) for n in STAGES]
    top = argparse.ArgumentParser(
        prog=PROG, description="Run and manage the Stagecraft reference app at any stage.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the app (development server)")
    serve.add_argument("--stage", type=int, choices=STAGES, default=LAST_STAGE, metavar="N",
                       help=f"the lesson to stop at: {', '.join(stages)} (default: {LAST_STAGE})")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8080, help="port (default: 8080)")
    serve.add_argument("--db", help="SQLite file (default: instance/stagecraft.db)")
    serve.add_argument("--app", default="reference_app", metavar="MODULE",
                       help="the app to serve: a module with create_app(stage, settings), "
                            "such as your build-track app, workshop (default: reference_app)")
    serve.add_argument("--prod", action="store_true",
                       help="production: gunicorn with gunicorn.conf.py, JSON logs, and "
                            "STAGECRAFT_JWT_SECRET required")
    serve.add_argument("--workers", type=int, help="gunicorn workers, with --prod "
                       "(default: cores + 1)")

    seeder = commands.add_parser("seed", help="write deterministic demo data")
    seeder.add_argument("--db", help="SQLite file (default: instance/stagecraft.db)")
    seeder.add_argument("--users", type=int, default=10,
                        help="total users, the 3 demo users included (default: 10)")
    seeder.add_argument("--articles", type=int, default=50,
                        help="total articles, the 5 demo articles included (default: 50)")
    seeder.add_argument("--if-empty", action="store_true",
                        help="do nothing if the database already has articles")

    resetter = commands.add_parser("reset", help="delete all data and start empty")
    resetter.add_argument("--db", help="SQLite file (default: instance/stagecraft.db)")

    backup = commands.add_parser("backup", help="copy the live database safely, then check it")
    backup.add_argument("destination", metavar="DEST", help="file to write the backup to")
    backup.add_argument("--db", help="SQLite file (default: instance/stagecraft.db)")
    backup.add_argument("--force", action="store_true", help="replace DEST if it exists")

    restore = commands.add_parser("restore", help="put a backup back into the database")
    restore.add_argument("source", metavar="SRC", help="the backup file")
    restore.add_argument("--db", help="SQLite file (default: instance/stagecraft.db)")
    restore.add_argument("--force", action="store_true",
                         help="overwrite a database that holds data")

    commands.add_parser("settings", help="list every setting, its variable and default")

    routes = commands.add_parser("routes", help="print the route table of a stage")
    routes.add_argument("--app", default="reference_app", metavar="MODULE",
                        help="whose route table: reference_app (default) or workshop")
    routes.add_argument("--stage", type=int, choices=STAGES, default=LAST_STAGE, metavar="N",
                        help=f"the lesson to stop at: {', '.join(stages)} "
                             f"(default: {LAST_STAGE})")
    return top


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        overrides = {"database": args.db} if getattr(args, "db", None) else {}
        settings = Settings.from_env(**overrides)
        return COMMANDS[args.command](args, settings)
    except SettingsError as error:
        return fail(f"bad setting: {error}")
    except (AppError, BackupError) as error:
        return fail(str(error))
    except sqlite3.Error as error:
        return fail(f"cannot use the database {settings.database}: {error}")
    except OSError as error:
        return fail(str(error))
    except KeyboardInterrupt:
        return 130


def fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return 1


class DevServer(ThreadingMixIn, WSGIServer):
    """Python's own WSGI server, one thread per request: fine for one person
    in a browser. Lesson 7 puts gunicorn in front for real traffic."""

    daemon_threads = True


def app_factory(name: str):
    """``create_app`` from the module ``name``: the reference, or a learner's workshop.
    Looked up from the current folder too, as ``python -m`` would."""
    if os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())
    try:
        module = importlib.import_module(name)
    except ImportError as error:
        raise AppError(f"cannot import the app {name!r}: {error}") from None
    if not callable(getattr(module, "create_app", None)):
        raise AppError(f"{name} has no create_app(stage, settings)")
    return module.create_app


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
    ProductionServer(lambda: create_app(args.stage, settings),
                     bind=f"{args.host}:{args.port}", workers=args.workers).run()
    return 0
# --8<-- [end:serve_prod]


def seed_command(args, settings) -> int:
    if args.users < 1 or args.articles < 0:
        return fail("--users must be at least 1 and --articles at least 0")
    if args.if_empty and has_articles(settings.database):
        print(f"{settings.database} already has articles; not seeding.", file=sys.stderr)
        return 0
    counts = seed(settings.database, settings, users=args.users, articles=args.articles,
                  progress=args.articles >= 5000)
    summary = ", ".join(f"{count} {table}" for table, count in counts.items())
    print(f"Seeded {settings.database}: {summary}.", file=sys.stderr)
    return 0


def has_articles(path: str) -> bool:
    create_schema(path)
    db = connect(path)
    try:
        return db["articles"].count > 0
    finally:
        db.close()


def reset_command(args, settings) -> int:
    reset(settings.database)
    print(f"Reset {settings.database}: empty schema, no rows.", file=sys.stderr)
    return 0


def backup_command(args, settings) -> int:
    size = backup(settings.database, args.destination, force=args.force)
    print(f"Backed up {settings.database} to {args.destination} ({size} bytes, "
          "integrity ok).", file=sys.stderr)
    return 0


def restore_command(args, settings) -> int:
    restore(args.source, settings.database, force=args.force)
    print(f"Restored {settings.database} from {args.source}.", file=sys.stderr)
    return 0


def settings_command(args, settings) -> int:
    """Every setting as a Markdown table: the docs include this very output."""
    print("| Variable | Default | What it does |\n|---|---|---|")
    for f in dataclasses.fields(Settings):
        default = "(unset)" if f.default is None else f"`{f.default!r}`"
        print(f"| `{env_name(f)}` | {default} | {f.metadata['doc']} |")
    return 0


def routes_command(args, settings) -> int:
    # Building an app at stage 2 or later creates a database and (from lesson 4)
    # a key; listing routes must touch neither the real data nor its secrets.
    with tempfile.TemporaryDirectory() as scratch:
        throwaway = dataclasses.replace(settings, database=f"{scratch}/routes.db",
                                        instance_path=scratch,
                                        jwt_secret=secrets.token_urlsafe(48), redis_url=None)
        for route in app_factory(args.app)(args.stage, throwaway).routes:
            print(f"{route.method} {route.rule}")
    return 0


COMMANDS = {"serve": serve, "seed": seed_command, "reset": reset_command,
            "backup": backup_command, "restore": restore_command,
            "settings": settings_command, "routes": routes_command}
