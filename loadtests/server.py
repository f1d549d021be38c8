"""Serve the reference app for one load test, and stop it afterwards.

``served(target, workdir)`` seeds a fresh database in ``workdir``, writes who
the simulated users are there (``cast_file(workdir)``, see ``seeded``), starts the
app at ``target.stage`` under gunicorn on a free port of 127.0.0.1, waits until
it answers, and yields its URL. However the block ends (done, error, Ctrl-C),
everything it started is stopped: the project's one server helper,
``reference_app.servers``, runs each in its own process group and stops the
whole group, workers included.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import os
import secrets
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from reference_app.servers import Server, ServerError, app_server, gunicorn, redis_server

from .seeded import write_cast

BIN = Path(sys.executable).parent  # the venv's bin: reference-app and locust live here
# From lesson 7 on, the app is served as it is deployed: `reference-app serve
# --prod`, which runs gunicorn with the lesson's gunicorn.conf.py. Before
# that, plain gunicorn runs the app factory.
PROD_STAGE = 7


class LoadTestError(Exception):
    """Something the person running the test must fix: one clear line, no traceback."""


@dataclass(frozen=True)
class Target:
    """What to serve: a stage, how many gunicorn workers, and which settings."""

    stage: int
    workers: int = 2
    env: tuple[str, ...] = ()  # "STAGECRAFT_NAME=value" settings for seeding and serving
    sql: tuple[str, ...] = ()  # SQL files run on the seeded database before serving
    seed_users: int = 50
    seed_articles: int = 500
    redis: bool = False  # start a private redis-server, and set the app's redis_url to it
    app: str = "reference_app"  # or a learner's build-track app: workshop

    def describe(self) -> str:
        app = "" if self.app == "reference_app" else f"{self.app} "
        prod = " (serve --prod)" if self.stage >= PROD_STAGE else ""
        parts = [f"{app}stage {self.stage}{prod}",
                 f"{self.workers} worker{'s' * (self.workers != 1)}",
                 f"{self.seed_users:,} users and {self.seed_articles:,} articles"]
        parts += list(self.env) + [Path(path).name for path in self.sql]
        parts += ["redis"] * self.redis
        return ", ".join(parts)


def check_stage(stage: int) -> None:
    from reference_app import LAST_STAGE, STAGES

    if stage not in STAGES:
        raise LoadTestError(f"stage {stage} does not exist (yet): this app has stages "
                            f"{min(STAGES)} to {LAST_STAGE}")


def setting_names() -> dict[str, str]:
    """{field: environment variable} for every setting: STAGECRAFT_<FIELD>, unless
    the field names its own variable (as ``redis_url`` does: REDIS_URL)."""
    from reference_app.core.settings import Settings

    return {f.name: f.metadata.get("env") or f"STAGECRAFT_{f.name.upper()}"
            for f in dataclasses.fields(Settings)}


def check_settings(env: tuple[str, ...]) -> None:
    """Refuse a STAGECRAFT_ variable that is not a setting: a typo would otherwise
    compare the same app with itself, and look like a result."""
    known = set(setting_names().values())
    for item in env:
        name, sep, _ = item.partition("=")
        if not sep:
            raise LoadTestError(f"{item!r} is not NAME=value")
        if name.startswith("STAGECRAFT_") and name not in known:
            raise LoadTestError(f"{name} is not a setting of this app (yet); "
                                f"known: {', '.join(sorted(known))}")


def routes(stage: int) -> set[str]:
    """The stage's route table, as "METHOD /rule" lines, from the app's own CLI."""
    check_stage(stage)
    out = subprocess.run([BIN / "reference-app", "routes", "--stage", str(stage)],  # noqa: S603
                         capture_output=True, text=True, check=True).stdout
    return set(out.splitlines())


@contextlib.contextmanager
def served(target: Target, workdir: Path, log: Path | None = None):
    """Yield (url, server process) for ``target``; stop everything on the way out.

    The database lives in ``workdir``; the server's output goes to ``log``.
    Settings come from ``target.env`` alone: any the shell sets are left out,
    so that a REDIS_URL in your environment cannot turn "no Redis" into Redis.
    """
    check_stage(target.stage)
    check_settings(target.env)
    if importlib.util.find_spec("gunicorn") is None:
        raise LoadTestError("gunicorn is not installed in this venv: run `make setup`")
    workdir.mkdir(parents=True, exist_ok=True)
    names = setting_names()
    inherited = {k: v for k, v in os.environ.items() if k not in names.values()}
    env = {**inherited, "STAGECRAFT_DATABASE": str(workdir / "load.db"),
           "STAGECRAFT_INSTANCE_PATH": str(workdir / "instance"),
           # One key for every worker, so a token from one is good at all of them.
           "STAGECRAFT_JWT_SECRET": secrets.token_urlsafe(48),
           **dict(item.split("=", 1) for item in target.env)}
    with contextlib.ExitStack() as running:  # stops what it started, last first
        try:
            if target.redis:
                if "redis_url" not in names:
                    raise LoadTestError("this app has no redis_url setting (yet): no Redis cache")
                env[names["redis_url"]] = running.enter_context(redis_server(workdir)).url
            seed(target, env)
            app = running.enter_context(start(target, env, log or workdir / "gunicorn.log"))
        except ServerError as error:
            raise LoadTestError(str(error)) from None
        yield app.url, app.process


def start(target: Target, env: dict, log: Path) -> Server:
    """The app at ``target.stage``, answering on a free port of 127.0.0.1."""
    if target.stage >= PROD_STAGE:
        return app_server(stage=target.stage, workers=target.workers, app=target.app,
                          env=env, log=log)
    return gunicorn(f"{target.app}:create_app(stage={target.stage})", workers=target.workers,
                    env=env, log=log)


def cast_file(workdir: Path) -> Path:
    """Where ``served`` writes the cast: Locust reads it from ``LOAD_CAST``."""
    return workdir / "cast.json"


def seed(target: Target, env: dict) -> None:
    database = env["STAGECRAFT_DATABASE"]
    done = subprocess.run([BIN / "reference-app", "seed", "--db", database,  # noqa: S603
                           "--users", str(target.seed_users),
                           "--articles", str(target.seed_articles)], env=env)
    if done.returncode:
        raise LoadTestError("seeding the database failed (see the line above)")
    for path in target.sql:
        db = sqlite3.connect(database)
        try:
            db.executescript(Path(path).read_text())
        except (OSError, sqlite3.Error) as error:
            raise LoadTestError(f"{path}: {error}") from None
        finally:
            db.close()
    write_cast(database, cast_file(Path(database).parent))


def busy_seconds() -> float | None:
    """CPU time the whole machine has spent busy so far, all cores together."""
    try:
        import psutil
    except ImportError:
        return None
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0)


def cpu_seconds(process: subprocess.Popen) -> float | None:
    """CPU time used so far by a running process and all its children, the living and
    the exited ones: gunicorn replaces workers now and then (max_requests), and an
    exited worker's time moves to its parent's children_* counters. None without psutil."""
    try:
        import psutil
    except ImportError:
        return None
    try:
        parent = psutil.Process(process.pid)
        times = [p.cpu_times() for p in (parent, *parent.children(recursive=True))]
        return sum(t.user + t.system + t.children_user + t.children_system for t in times)
    except psutil.Error:
        return None
