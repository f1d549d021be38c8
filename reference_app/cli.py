"""The command line: ``python -m reference_app`` or ``reference-app``.

Every mistake a user can make here (a bad stage, a path that cannot be
opened, a port in use) ends in one clear line and a non-zero exit status,
never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import secrets
import sqlite3
import sys
import tempfile

from . import LAST_STAGE, STAGES
from .core.settings import Settings, SettingsError, env_name
from .database.connection import connect, create_schema
from .seed import reset, seed
from .serving import AppError, app_factory, app_part, serve

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
    backup.add_argument("--app", default="reference_app", metavar="MODULE",
                        help="whose lesson-7 backup code to use (default: reference_app)")

    restore = commands.add_parser("restore", help="put a backup back into the database")
    restore.add_argument("source", metavar="SRC", help="the backup file")
    restore.add_argument("--db", help="SQLite file (default: instance/stagecraft.db)")
    restore.add_argument("--app", default="reference_app", metavar="MODULE",
                         help="whose lesson-7 restore code to use (default: reference_app)")
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
    except AppError as error:
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
    backups = app_part(args.app, "deployment.backups")
    try:
        size = backups.backup(settings.database, args.destination, force=args.force)
    except backups.BackupError as error:
        return fail(str(error))
    print(f"Backed up {settings.database} to {args.destination} ({size} bytes, "
          "integrity ok).", file=sys.stderr)
    return 0


def restore_command(args, settings) -> int:
    backups = app_part(args.app, "deployment.backups")
    try:
        backups.restore(args.source, settings.database, force=args.force)
    except backups.BackupError as error:
        return fail(str(error))
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
