"""Run a load test against the reference app, and say what happened.

    python -m loadtests load --stage 6 --users 50 --duration 30s --scenario Reader
    python -m loadtests compare --a 5 --b 6 --results loadtests/results/mine.md
    python -m loadtests distributed --workers 2

(``make load``, ``make load-compare`` and ``make load-distributed`` wrap these.)
Each run serves the app on a fresh seeded database (``server.served``), runs
Locust headless for a bounded time with its CSV and HTML reports in
``reports/``, stops everything, and prints a summary. Exit status: 0 when every
request got the status it expected, 1 when some failed, 2 for a mistake in the
command (one line, no traceback).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from reference_app.servers import free_port, stop_process

from . import report
from .server import (
    BIN,
    LoadTestError,
    Target,
    busy_seconds,
    cast_file,
    cpu_seconds,
    routes,
    served,
)

HERE = Path(__file__).parent
REPORTS = Path("reports")
# What each user class needs from the app; "all" means those a stage can take.
NEEDS = {"Reader": {"GET /api/articles"},
         "Follower": {"POST /api/users/login", "GET /api/articles/feed"},
         "Writer": {"POST /api/users", "POST /api/articles"},
         "LoginStorm": {"POST /api/users/login"}}
EVERYDAY = ["Reader", "Follower", "Writer"]
# One Locust process is one busy core at most (about 1.4k req/s on the course
# machine). Past this share of a core, it may be the generator that is slow.
BUSY_GENERATOR = 0.85
# CPU that neither the app nor Locust used (a browser, a build, a test suite)
# competes with both. Past this share of a core, the numbers are not clean.
BUSY_ELSEWHERE = 0.25
STEP_DEFAULTS = {"STEP_USERS": "10", "STEP_SECONDS": "10", "STEPS": "6"}


@dataclass(frozen=True)
class Load:
    """How hard to push, the same for every run that is compared."""

    users: int = 20
    duration: str = "20s"
    tags: tuple[str, ...] = ()
    think: float = 0.5
    shape: str | None = None  # "step": shapes.StepLoad instead of a fixed user count


@dataclass
class Run:
    label: str
    endpoints: list[report.Endpoint]
    generator_cpu: dict[str, float]  # share of one core, per Locust process
    server_cpu: float | None
    other_cpu: float | None  # everything else on the machine, share of one core
    files: list[Path] = field(default_factory=list)


def seconds(duration: str) -> int:
    """'20s', '2m', '1m30s' or '45' -> seconds."""
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", duration.strip())
    if not duration.strip() or not parts:
        raise LoadTestError(f"{duration!r} is not a duration like 20s, 2m or 1m30s")
    h, m, s = (int(x or 0) for x in parts.groups())
    return h * 3600 + m * 60 + s


def user_classes(scenario: str, stage: int) -> list[str]:
    """The classes to run at ``stage``: a clear error for one the stage cannot take."""
    have = routes(stage)
    if scenario == "all":
        chosen = [name for name in EVERYDAY if NEEDS[name] <= have]
        skipped = [name for name in EVERYDAY if name not in chosen]
        if skipped:
            print(f"Stage {stage} has no logins yet: running {', '.join(chosen)}; "
                  f"not {', '.join(skipped)}.", file=sys.stderr)
        return chosen
    chosen = [name.strip() for name in scenario.replace(",", " ").split()]
    for name in chosen:
        if name not in NEEDS:
            raise LoadTestError(f"unknown scenario {name!r}: choose from all, {', '.join(NEEDS)}")
        if missing := NEEDS[name] - have:
            raise LoadTestError(f"{name} needs {', '.join(sorted(missing))}, "
                                f"which stage {stage} does not have")
    return chosen


def locust_command(url: str, classes: list[str], load: Load, prefix: Path) -> list:
    files = [HERE / "locustfile.py"]
    files += [HERE / "login_storm.py"] * ("LoginStorm" in classes)
    files += [HERE / "shapes.py"] * (load.shape == "step")
    command = [BIN / "locust", "--config", HERE / "locust.conf",
               "-f", ",".join(str(f) for f in files), "--host", url, "--headless",
               "--csv", prefix, "--html", f"{prefix}.html", "--exit-code-on-error", "1"]
    if load.shape is None:
        command += ["--users", load.users, "--spawn-rate", max(1, load.users // 2),
                    "--run-time", load.duration]
    command += classes
    if load.tags:  # last: --tags takes every word after it, class names too
        command += ["--tags", *load.tags]
    return [str(part) for part in command]


def locust_env(load: Load, workdir: Path | None = None) -> dict:
    """Locust's environment: the think time, and the cast of the database in ``workdir``."""
    cast = {"LOAD_CAST": str(cast_file(workdir))} if workdir else {}
    return {**STEP_DEFAULTS, **os.environ, "LOAD_THINK_SECONDS": str(load.think), **cast}


def time_limit(load: Load) -> float:
    """Seconds the run may take before it counts as stuck: its length plus slack."""
    if load.shape == "step":
        env = locust_env(load)
        length = int(env["STEPS"]) * int(env["STEP_SECONDS"])
    else:
        length = seconds(load.duration)
    return length + 60


def start(command: list[str], log: Path, env: dict) -> subprocess.Popen:
    with open(log, "ab") as output:  # the child keeps its own copy of the file
        return subprocess.Popen(command, stdout=output, stderr=output, env=env,  # noqa: S603
                                start_new_session=True)


def finish(process: subprocess.Popen, deadline: float) -> tuple[int, float]:
    """Wait for ``process`` until ``deadline``; (exit code, CPU seconds it used).

    os.wait4 reports the resources of exactly that child, which is how the
    load generator's own CPU use is measured.
    """
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return process.returncode, usage.ru_utime + usage.ru_stime
        time.sleep(0.1)
    raise LoadTestError(f"{Path(process.args[0]).name} did not finish in time, so it was "
                        "stopped; its output is in the run's .log file")


def measure(label: str, target: Target, classes: list[str], load: Load, out: Path,
            workers: int = 0) -> Run:
    """Serve ``target``, load it with ``classes`` (``workers`` > 0: distributed), report."""
    out.mkdir(parents=True, exist_ok=True)
    prefix, log = out / label, out / f"{label}.log"
    log.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="stagecraft-load-") as workdir, \
            served(target, Path(workdir), out / f"{label}-app.log") as (url, app):
        command = locust_command(url, classes, load, prefix)
        if workers:
            port = str(free_port())
            command[1:1] = ["--master", "--master-bind-host", "127.0.0.1", "--master-bind-port",
                            port, "--expect-workers", str(workers),
                            "--expect-workers-max-wait", "30"]
        server_before, machine_before = cpu_seconds(app), busy_seconds()
        began = time.monotonic()
        processes = [start(command, log, locust_env(load, Path(workdir)))]
        try:
            for _ in range(workers):
                processes.append(start(
                    [str(BIN / "locust"), "--worker", "--master-host", "127.0.0.1",
                     "--master-port", port, "-f", command[command.index("-f") + 1]],
                    log, locust_env(load, Path(workdir))))
            deadline = began + time_limit(load)
            results = [finish(p, deadline + 15 * (p is not processes[0])) for p in processes]
        finally:
            for process in processes:
                if process.returncode is None:
                    stop_process(process)
        wall = time.monotonic() - began
        server_after, machine_after = cpu_seconds(app), busy_seconds()
    server = other = None
    if None not in (server_before, server_after, machine_before, machine_after):
        server = (server_after - server_before) / wall
        ours = server_after - server_before + sum(cpu for _, cpu in results)
        other = max(0.0, machine_after - machine_before - ours) / wall
    stats = Path(f"{prefix}_stats.csv")
    if results[0][0] not in (0, 1) or not stats.exists():  # 1 means "some requests failed"
        last = log.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise LoadTestError(f"Locust stopped with status {results[0][0]}: {last[0]} (see {log})")
    names = ["master", *(f"worker {n}" for n in range(1, workers + 1))] if workers else ["Locust"]
    shares = {name: cpu / wall for name, (_, cpu) in zip(names, results, strict=True)}
    return Run(label, report.read_stats(stats), shares, server, other,
               [Path(f"{prefix}.html"), stats, log])


def summary(run: Run, heading: str) -> str:
    """What a person needs after a run: the table, the totals, and whether to trust it."""
    total = run.endpoints[-1]
    lines = [heading, "", report.summary_table(run.endpoints), "",
             f"Throughput {total.per_second:.1f} req/s; "
             f"{total.failures} failed of {total.requests} requests."]
    lines += [f"  failed: {line}" for line in report.failures(Path(f"{run.files[1]}"))]
    shares = ", ".join(f"{name} {share:.0%}" for name, share in run.generator_cpu.items())
    lines.append(f"Load generator CPU, share of one core: {shares}.")
    if run.server_cpu is not None:
        lines.append(f"Server (gunicorn): {run.server_cpu:.0%} of one core; "
                     f"this machine has {os.cpu_count()} cores.")
    if run.other_cpu is not None:
        lines.append(f"Other processes on this machine: {run.other_cpu:.0%} of one core.")
    if (run.other_cpu or 0) >= BUSY_ELSEWHERE:
        lines.append("WARNING: other processes were busy during the run, and took CPU from "
                     "the app and from Locust. Close them, or measure again when it is quiet.")
    busiest = max(run.generator_cpu.values())
    if busiest >= BUSY_GENERATOR:
        lines.append(f"WARNING: a Locust process used {busiest:.0%} of a core, so "
                     "the load generator may have been the bottleneck, not the server. Use "
                     "fewer users, or more processes: make load-distributed WORKERS=2.")
    lines.append("Reports: " + ", ".join(str(f) for f in run.files))
    return "\n".join(lines)
