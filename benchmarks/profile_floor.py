"""What each piece of the last stage costs a request, in microseconds.

Run it with ``.venv/bin/python -m benchmarks.profile_floor`` (about a minute).

It builds the floor (floor.py: the last stage answering a constant) in this
process, set up as `serve --prod` sets up a worker: JSON access log lines
written to a file, Prometheus in multiprocess mode. Then it calls it through
WSGI, with no server and no network, and measures:

- the floor and a bare Bottle hello-world (hello.py), per request;
- each piece's own cost: the floor again with that one piece taken out,
  and the difference (what the request pays for that piece alone);
- a cProfile of the floor: the functions where the time goes.

It writes the tables to benchmarks/middleware_profile.md, which lesson 7
includes. Absolute microseconds depend on the machine; a request through
gunicorn costs more (sockets, parsing), which `make bench` measures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging.config
import os
import platform
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "middleware_profile.md"
ENVIRON = {  # a GET as gunicorn hands it to the app: no cookie, no token
    "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
    "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
    "HTTP_HOST": "127.0.0.1:8000", "HTTP_USER_AGENT": "wrk", "wsgi.url_scheme": "http",
    "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": True,
    "wsgi.run_once": False,
}


def call(app, path: str) -> None:
    """One request through WSGI, its body read, as a server would."""
    environ = {**ENVIRON, "PATH_INFO": path, "wsgi.input": io.BytesIO(),
               "wsgi.errors": sys.stderr}
    statuses = []
    body = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(body)
    if not statuses or statuses[0][:3] != "200":
        raise SystemExit(f"profile: {path} answered {statuses}")


def per_request(apps: list, paths: list, requests: int, repeats: int) -> list[float]:
    """Microseconds per request for each app, each the fastest of ``repeats``
    runs: the run other processes disturbed least. The apps take turns, run
    after run, so a slow spell of the machine slows them all alike."""
    for app, where in zip(apps, paths, strict=True):
        for _ in range(200):  # warm up: first calls build Bottle's route caches
            call(app, where)
    fastest = [float("inf")] * len(apps)
    for _ in range(repeats):
        for number, (app, where) in enumerate(zip(apps, paths, strict=True)):
            # CPU time of this process, not the wall clock: time spent waiting
            # while another process had the core is not the request's cost.
            started = time.process_time()
            for _ in range(requests):
                call(app, where)
            elapsed = (time.process_time() - started) / requests * 1e6
            fastest[number] = min(fastest[number], elapsed)
    return fastest


def pieces(app) -> list[tuple[str, str, object]]:
    """Everything the last stage puts around a route: (kind, name, the piece)."""
    found = [("middleware", getattr(m, "__qualname__", type(m).__name__), m)
             for m in app.middleware]
    found += [("hook", getattr(h, "__qualname__", repr(h)), h)
              for h in app._hooks["before_request"] + app._hooks["after_request"]]
    found += [("plugin", type(p).__name__, p) for p in app.plugins
              if not type(p).__module__.startswith("bottle")]  # Bottle's own stay
    return found


def lesson_of(piece) -> str:
    """The lesson that added ``piece``: its package's lesson number."""
    from reference_app import LESSONS

    module = getattr(piece, "__module__", None) or type(piece).__module__
    package = module.split(".")[1] if module.startswith("reference_app.") else ""
    return next((str(n) for n, (_, name) in LESSONS.items() if name == package), "-")


def remove(app, kind: str, piece) -> None:
    """Take one piece out of ``app``, through the seam that put it in."""
    if kind == "middleware":
        app.remove_middleware(piece)
    elif kind == "hook":
        for name in ("before_request", "after_request"):
            if piece in app._hooks[name]:
                app.remove_hook(name, piece)
    else:
        app.uninstall(piece)


def costs(build, requests: int, repeats: int) -> list[tuple]:
    """Each piece's share of a floor request: (kind, name, lesson, µs)."""
    rows = []
    for index, (kind, name, piece) in enumerate(pieces(build())):
        whole, without = build(), build()
        remove(without, kind, pieces(without)[index][2])  # the same piece, in that app
        with_it, without_it = per_request([whole, without], ["/api/floor"] * 2,
                                          requests, repeats)
        rows.append((kind, name, lesson_of(piece), with_it - without_it))
    return rows


def profile(app, requests: int, top: int) -> list[tuple]:
    """cProfile's busiest functions: (where, calls per request, µs per request itself)."""
    profiler = cProfile.Profile(time.process_time)  # CPU time, as per_request() measures
    profiler.enable()
    for _ in range(requests):
        call(app, "/api/floor")
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    rows = []
    for (file, line, function), (_, calls, own, _cumulative, _) in stats.items():
        where = f"{short(file)}:{line} {function}" if line else function
        rows.append((where, calls / requests, own / requests * 1e6))
    return sorted(rows, key=lambda row: -row[2])[:top]


def short(file: str) -> str:
    """A path from the project or from site-packages, not from this machine's root."""
    for marker in ("site-packages/", "reference_app/", "benchmarks/", "lib/python"):
        if marker in file:
            return (marker if marker != "site-packages/" else "") + file.split(marker, 1)[1]
    return file


def report(hello: float, floor: float, rows: list, hot: list, requests: int,
           repeats: int, label: str = "") -> str:
    lines = [
        f"{label}Measured by `python -m benchmarks.profile_floor` on "
        f"{time.strftime('%Y-%m-%d')}: Python "
        f"{platform.python_version()}, in one process through WSGI (no server, no network), "
        f"the fastest of {repeats} runs of {requests:,} requests each.",
        "",
        "| What runs | µs per request |",
        "|---|---:|",
        f"| Bottle hello-world (the ceiling's app) | {hello:.1f} |",
        f"| The floor: the last stage answering a constant | {floor:.1f} |",
        f"| What the last stage adds | {floor - hello:.1f} |",
        "",
        "Each piece's cost: the floor with that piece taken out, subtracted from the "
        "whole floor. A piece that skips this route costs nothing, so its figure shows "
        "how noisy the measurement was.",
        "",
        "| Piece | Kind | Lesson | µs per request |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| `{name}` | {kind} | {lesson} | {cost:.1f} |"
              for kind, name, lesson, cost in sorted(rows, key=lambda row: -row[3])]
    lines += ["", f"Where the floor's time goes, by cProfile ({requests:,} requests; the "
              "profiler's own overhead inflates every figure, so compare them with each "
              "other, not with the table above):", "",
              "| Function | Calls per request | Own µs per request |", "|---|---:|---:|"]
    lines += [f"| `{where}` | {calls:g} | {own:.1f} |" for where, calls, own in hot]
    return "\n".join(lines) + "\n"


def production_like(scratch: str) -> None:
    """Set this process up as `serve --prod` sets up a gunicorn worker."""
    # prometheus-client reads this once, on import: set before anything imports it.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(dir=scratch)
    os.environ.setdefault("STAGECRAFT_DATABASE", f"{scratch}/floor.db")
    os.environ.setdefault("STAGECRAFT_INSTANCE_PATH", scratch)
    os.environ.setdefault("STAGECRAFT_JWT_SECRET", "profile-" + "x1y2z3" * 8)
    from reference_app.deployment.logs import LOGGING

    # The JSON lines go to a file, as gunicorn's standard output does under `make bench`.
    to_file = {"class": "logging.FileHandler", "formatter": "json",
               "filename": f"{scratch}/access.log"}
    logging.config.dictConfig({**LOGGING, "handlers": {"stdout": to_file}})
    # gunicorn.conf.py's advice for speed, which every worker inherits.
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False


def warm_loop(requests: int, repeats: int) -> dict[str, float]:
    """µs per request of the ceiling's app and of the floor, in this process."""
    with tempfile.TemporaryDirectory() as scratch:
        production_like(scratch)
        from benchmarks import floor, hello

        hello_us, floor_us = per_request([hello.app, floor.build()], ["/hello", "/api/floor"],
                                         requests, repeats)
    return {"hello": hello_us, "floor": floor_us}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_floor",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=5000, help="per run (default 5,000)")
    parser.add_argument("--repeats", type=int, default=5, help="runs; the fastest counts")
    parser.add_argument("--top", type=int, default=15, help="functions in the profile")
    parser.add_argument("--output", default=str(RESULTS), help="where to write the tables")
    parser.add_argument("--label", default="", help="a sentence to start the file with")
    parser.add_argument("--warm-only", action="store_true",
                        help="print only the ceiling's and the floor's µs, as JSON "
                             "(cpu_per_request.py asks for them)")
    args = parser.parse_args(argv)
    if args.warm_only:
        print(json.dumps(warm_loop(args.requests, args.repeats)))
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        production_like(scratch)
        from benchmarks import floor, hello

        hello_us, floor_us = per_request([hello.app, floor.build()], ["/hello", "/api/floor"],
                                         args.requests, args.repeats)
        rows = costs(floor.build, args.requests, args.repeats)
        hot = profile(floor.build(), args.requests * 4, args.top)
    text = report(hello_us, floor_us, rows, hot, args.requests, args.repeats,
                  args.label + " " if args.label else "")
    print(text)
    Path(args.output).write_text(text)
    print(f"written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
