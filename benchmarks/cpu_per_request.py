"""CPU time per request of the floor and of the ceiling, under gunicorn.

Run it with ``.venv/bin/python -m benchmarks.cpu_per_request`` (about two minutes).

It serves the ceiling (hello.py) and the floor (floor.py) as `make bench`
does, loads each with wrk, and divides the CPU time the gunicorn workers used
by the requests they answered. Requests per second move with whatever else
the machine is doing; the CPU a request costs moves much less, so this is the
figure to watch while making the middleware cheaper. Since a busy worker
spends all its time on requests, the ratio of the two CPU costs predicts the
ratio `make bench` measures in requests per second.

It writes the table to benchmarks/cpu_per_request.md, which lesson 7 includes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from benchmarks.bench import TARGETS, floor_server, hello_server
from reference_app import Settings
from reference_app.deployment.server import GUNICORN_CONF
from reference_app.seed import seed
from reference_app.servers import Server, gunicorn

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "cpu_per_request.md"
# make bench's target for the floor against the ceiling
TARGET = next(least for what, _, _, least in TARGETS if what == "the floor vs the ceiling")
# Lesson 7's middleware, which writes a log line and five metric values per request
LESSON_7 = ("AccessLog", "RequestMetrics")


def worker_cpu(server: Server) -> float:
    """Seconds of CPU (user + system) the server's workers have used so far."""
    total = 0.0
    for worker in psutil.Process(server.process.pid).children(recursive=True):
        times = worker.cpu_times()
        total += times.user + times.system
    return total


def cpu_per_request(server: Server, path: str, seconds: int, connections: int) -> float:
    """Microseconds of worker CPU per request, over one wrk run."""
    before = worker_cpu(server)
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", server.url + path],
        capture_output=True, text=True, check=True).stdout
    used = worker_cpu(server) - before
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    if "Non-2xx" in output or requests == 0:
        raise SystemExit(f"cpu_per_request: {path} failed:\n{output}")
    return used / requests * 1e6


def measure(seconds: int, connections: int, rounds: int) -> dict[str, list[float]]:
    """Each server's µs per request, round by round (they take turns)."""
    env = {**os.environ, "STAGECRAFT_JWT_SECRET": secrets.token_urlsafe(48)}
    with tempfile.TemporaryDirectory() as scratch:
        database = f"{scratch}/cpu.db"
        seed(database, Settings(instance_path=scratch), users=5, articles=10)
        env.update(STAGECRAFT_INSTANCE_PATH=scratch, STAGECRAFT_DATABASE=database)
        # The ceiling and the floor exactly as bench.py serves them; the replay
        # under the same gunicorn settings as the ceiling.
        hello, floor = hello_server(env, scratch), floor_server(env, scratch)
        unlogged = floor_server(env, scratch, without=LESSON_7)
        replay = gunicorn("benchmarks.replay:app", workers=2, config=GUNICORN_CONF, env=env,
                          cwd=ROOT, log=Path(scratch, "replay.log"), name="replay")
        with hello, replay, floor, unlogged:
            runs = {"hello replayed": (replay, "/hello"), "hello": (hello, "/hello"),
                    "floor replayed": (replay, "/api/floor"), "floor": (floor, "/api/floor"),
                    "floor unlogged": (unlogged, "/api/floor")}
            for server, path in runs.values():  # warm up: imports, caches, first forks
                cpu_per_request(server, path, 1, connections)
            samples = {name: [] for name in runs}
            for number in range(1, rounds + 1):
                print(f"round {number} of {rounds}", file=sys.stderr)
                for name, (server, path) in runs.items():
                    samples[name].append(cpu_per_request(server, path, seconds, connections))
    return samples


def warm_loop() -> dict[str, float]:
    """The same two apps' µs per request in a warm loop, with no server: measured
    by profile_floor.py in a fresh process, set up as a gunicorn worker is."""
    output = subprocess.run([sys.executable, "-m", "benchmarks.profile_floor", "--warm-only"],
                            capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return json.loads(output)


def table(samples: dict, warm: dict, seconds: int, connections: int, rounds: int) -> str:
    cost = {name: statistics.median(figures) for name, figures in samples.items()}
    hello, floor = cost["hello"], cost["floor"]
    spread = ", ".join(f"{h / f:.2f}" for h, f in zip(samples["hello"], samples["floor"],
                                                        strict=True))
    names = {"hello replayed": "the ceiling's answer, replayed by a bare WSGI app",
             "hello": "`GET /hello` (the ceiling: Bottle)",
             "floor replayed": "the floor's answer, replayed by a bare WSGI app",
             "floor": "`GET /api/floor` (the floor: the last stage)",
             "floor unlogged": "the floor without lesson 7's access log and metrics"}
    return "\n".join([
        f"Measured by `python -m benchmarks.cpu_per_request` on {time.strftime('%Y-%m-%d')}: "
        f"Python {platform.python_version()}, gunicorn with 2 workers as `make bench` runs "
        f"it, `wrk -t1 -c{connections} -d{seconds}s`, the median of {rounds} interleaved "
        "rounds. CPU time of the worker processes (user + system) divided by the "
        "requests they answered.",
        "",
        "| Server | CPU µs per request | Ceiling's CPU / this |",
        "|---|---:|---:|",
        *(f"| {names[name]} | {cost[name]:.0f} | {hello / cost[name]:.2f} |" for name in names),
        "",
        f"The floor costs {floor - hello:.0f} µs of CPU per request more than the ceiling, "
        f"and can answer about {hello / floor:.2f}× the ceiling's requests per second "
        f"(round by round: {spread}). Apart:",
        "",
        f"- gunicorn alone, writing the ceiling's answer: {cost['hello replayed']:.0f} µs;",
        f"- Bottle, to answer hello-world: {hello - cost['hello replayed']:.0f} µs;",
        "- gunicorn writing the floor's longer answer instead of the ceiling's: "
        f"{cost['floor replayed'] - cost['hello replayed']:.0f} µs;",
        "- everything the last stage runs per request, Bottle included: "
        f"{floor - cost['floor replayed']:.0f} µs, of which lesson 7's access log line "
        f"and metrics take {floor - cost['floor unlogged']:.0f} µs. Without those two, "
        f"the floor would answer about {hello / cost['floor unlogged']:.2f}× the "
        "ceiling's requests per second.",
        "",
        "The same Python costs more under load than in a warm loop, with the "
        "caches it finds cold and the cores it shares with wrk and the other worker "
        "(the warm loop is `python -m benchmarks.profile_floor`'s, in this same run):",
        "",
        "| Python per request | In a warm loop, µs | Under gunicorn, µs of CPU | Ratio |",
        "|---|---:|---:|---:|",
        *(f"| {what} | {warm[name]:.0f} | {cost[name] - cost[name + ' replayed']:.0f} | "
          f"{(cost[name] - cost[name + ' replayed']) / warm[name]:.1f}× |"
          for what, name in (("Bottle's hello-world", "hello"),
                             ("the last stage answering a constant", "floor"))),
        "",
        f"At {TARGET}× the ceiling, the floor could cost {hello / TARGET - hello:.0f} µs "
        f"more than the ceiling, {(hello / TARGET - hello) / (hello - cost['hello replayed']):.1f} "
        "times what Bottle costs for hello-world: that is the budget for everything the "
        "last stage adds.",
    ]) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cpu_per_request",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="per wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the median counts")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--output", default=str(RESULTS), help="where to write the table")
    args = parser.parse_args(argv)
    samples = measure(args.seconds, args.connections, args.rounds)
    text = table(samples, warm_loop(), args.seconds, args.connections, args.rounds)
    print(text)
    Path(args.output).write_text(text)
    print(f"written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
