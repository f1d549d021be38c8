"""Compare: the same load against two or more variants of the app, one after another.

A variant is a stage with settings (``server.Target``) and a scenario. Each
one gets its own fresh server and database, so no run warms a cache for the
next. The result is a table (printed, and optionally written as a Markdown
file that a docs page includes) and a PNG plot.
"""

from __future__ import annotations

import dataclasses
import os
import platform
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import report
from .run import BUSY_ELSEWHERE, BUSY_GENERATOR, Load, Run, measure, summary, user_classes
from .server import Target

LAB_PAGE = Path(__file__).parent / "lab.md"  # image links in results are relative to it


@dataclass(frozen=True)
class Variant:
    label: str
    target: Target
    scenario: str = "all"
    users: int | None = None  # None: the comparison's user count

    def describe(self) -> str:
        return f"{self.target.describe()}; {self.scenario}"


def default_labels(targets: list[Target]) -> list[str]:
    """Name each target by what differs from the others: "stage 5" and "stage 6"."""
    parts = [target.describe().split(", ") for target in targets]
    common = set.intersection(*(set(p) for p in parts))
    return [", ".join(p for p in ps if p not in common) or f"run {n}"
            for n, ps in enumerate(parts, 1)]


def file_name(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "run"


def compare(variants: list[Variant], load: Load, out: Path, *, title: str, command: str,
            results: Path | None = None) -> dict[str, Run]:
    runs = {}
    for n, variant in enumerate(variants, 1):
        classes = user_classes(variant.scenario, variant.target.stage)
        print(f"[{n}/{len(variants)}] {variant.label}: {variant.target.describe()}; "
              f"{', '.join(classes)}", file=sys.stderr, flush=True)
        how = dataclasses.replace(load, users=variant.users or load.users)
        run = measure(file_name(variant.label), variant.target, classes, how, out)
        print(summary(run, f"{variant.label}: {how.users} users for {how.duration}") + "\n")
        runs[variant.label] = run
    endpoints = {label: run.endpoints for label, run in runs.items()}
    table = report.compare_markdown(endpoints)
    plot = results.with_suffix(".png") if results else out / "compare.png"
    report.plot(endpoints, plot, title)
    print(f"{table}\n\n{cpu_markdown(runs)}\n\nPlot: {plot}")
    if results:
        results.parent.mkdir(parents=True, exist_ok=True)
        results.write_text(results_markdown(variants, runs, load, table, plot, command))
        print(f"Results: {results}")
    return runs


def cpu_markdown(runs: dict[str, Run]) -> str:
    """Where the CPU went in each run: to tell a busy server from a waiting one."""
    def share(value):
        return "-" if value is None else f"{value:.0%}"

    lines = ["CPU used, as a share of one core (this machine has "
             f"{os.cpu_count()}):", "", "| run | server | Locust | other processes |",
             "|---|---:|---:|---:|"]
    lines += [f"| {label} | {share(run.server_cpu)} | {share(sum(run.generator_cpu.values()))}"
              f" | {share(run.other_cpu)} |" for label, run in runs.items()]
    return "\n".join(lines)


def results_markdown(variants, runs, load: Load, table: str, plot: Path, command: str) -> str:
    """The file a docs page includes: what ran, on what, the numbers, and the plot."""
    image = os.path.relpath(plot.resolve(), LAB_PAGE.parent.resolve())
    busy = [label for label, run in runs.items()
            if max(run.generator_cpu.values()) >= BUSY_GENERATOR]
    lines = [f"<!-- Written by `{command}`. Do not edit: run it again. -->", "",
             f"Measured on {date.today():%Y-%m-%d}: {os.cpu_count()} CPUs, "
             f"{platform.system()} {platform.machine()}, Python {platform.python_version()}. "
             f"{load.users} users for {load.duration}, think time up to {load.think} s"
             + (f", tags: {', '.join(load.tags)}" if load.tags else "") + ".", "",
             "| run | what ran |", "|---|---|"]
    lines += [f"| {v.label} | {v.describe()}"
              f"{f'; {v.users} users' if v.users else ''} |" for v in variants]
    lines += ["", table, "", cpu_markdown(runs), ""]
    if busy:
        lines += [f"!!! warning \"The load generator was busy in: {', '.join(busy)}\"",
                  "    Locust used most of a core there, so those numbers may understate "
                  "the server.", ""]
    noisy = [label for label, run in runs.items() if (run.other_cpu or 0) >= BUSY_ELSEWHERE]
    if noisy:
        lines += [f"!!! warning \"Other processes were busy during: {', '.join(noisy)}\"",
                  "    Something else on the machine used CPU during those runs, so their "
                  "numbers are not clean. Measure again when the machine is quiet.", ""]
    lines += [f"![Latency and throughput per run]({image})", ""]
    return "\n".join(lines)
