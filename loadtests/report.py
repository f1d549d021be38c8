"""Read Locust's CSV reports and say what they mean: a summary, a comparison, a plot.

Locust writes ``<prefix>_stats.csv`` with one row per endpoint and a last row
named ``Aggregated`` for all requests together; response times are in
milliseconds, and a percentile with no requests behind it is ``N/A``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from statistics import median

PERCENTILES = ("50%", "95%", "99%")


@dataclass(frozen=True)
class Endpoint:
    """One row of ``*_stats.csv``: an endpoint, or all of them (``method`` empty)."""

    method: str
    name: str
    requests: int
    failures: int
    per_second: float
    p50: float | None
    p95: float | None
    p99: float | None

    @property
    def label(self) -> str:
        return f"{self.method} {self.name}" if self.method else "All requests"


def number(text: str) -> float | None:
    return None if text in ("", "N/A") else float(text)


def read_stats(path: Path) -> list[Endpoint]:
    """Every endpoint, then the total: the ``Aggregated`` row is always last."""
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    if not rows or rows[-1]["Name"] != "Aggregated":
        raise ValueError(f"{path} is not a Locust stats file: no Aggregated row at the end")
    return [Endpoint(row["Type"], row["Name"], int(row["Request Count"]),
                     int(row["Failure Count"]), float(row["Requests/s"]),
                     *(number(row[p]) for p in PERCENTILES)) for row in rows]


def failures(stats: Path, most: int = 5) -> list[str]:
    """The commonest failures, from the ``*_failures.csv`` next to ``*_stats.csv``."""
    path = stats.with_name(stats.name.replace("_stats.csv", "_failures.csv"))
    if not path.exists():
        return []
    with open(path, newline="") as file:
        rows = sorted(csv.DictReader(file), key=lambda row: -int(row["Occurrences"]))
    return [f"{row['Occurrences']} x {row['Method']} {row['Name']}: {row['Error']}"
            for row in rows[:most]]


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def summary_table(endpoints: list[Endpoint]) -> str:
    """A plain-text table: requests, failures, req/s and p50/p95/p99 per endpoint."""
    width = max(len(e.label) for e in endpoints)
    lines = [f"{'endpoint':<{width}}  {'reqs':>6} {'fails':>5} {'req/s':>7}"
             f" {'p50':>6} {'p95':>6} {'p99':>6}  (ms)"]
    for e in endpoints:
        if not e.method:  # the total gets a rule above it
            lines.append("-" * (width + 43))
        lines.append(f"{e.label:<{width}}  {e.requests:>6} {e.failures:>5} {e.per_second:>7.1f}"
                     f" {ms(e.p50):>6} {ms(e.p95):>6} {ms(e.p99):>6}")
    return "\n".join(lines)


def knee_table(history: Path) -> str:
    """Per user count of a step load: req/s and p95, from ``*_stats_history.csv``.

    Only the second half of each step counts: the first is the ramp.
    """
    steps: dict[int, list[dict]] = {}
    with open(history, newline="") as file:
        for row in csv.DictReader(file):
            if row["Name"] == "Aggregated" and int(row["User Count"]) > 0:
                steps.setdefault(int(row["User Count"]), []).append(row)
    lines = [f"{'users':>6} {'req/s':>8} {'p95 ms':>8}"]
    for users, rows in sorted(steps.items()):
        steady = rows[len(rows) // 2:]
        p95s = [v for v in (number(r["95%"]) for r in steady) if v is not None]
        lines.append(f"{users:>6} {median(float(r['Requests/s']) for r in steady):>8.1f}"
                     f" {ms(median(p95s) if p95s else None):>8}")
    return "\n".join(lines)


def compare_markdown(runs: dict[str, list[Endpoint]]) -> str:
    """Markdown: one row per run for all requests, then p50 per endpoint per run."""
    labels = list(runs)
    lines = ["| run | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for label, endpoints in runs.items():
        total = endpoints[-1]
        lines.append(f"| {label} | {total.requests} | {total.failures} | "
                     f"{total.per_second:.1f} | {ms(total.p50)} | {ms(total.p95)} | "
                     f"{ms(total.p99)} |")
    ratio = len(labels) == 2  # with two runs, how many times faster the second is
    header = labels + [f"{labels[0]} / {labels[1]}"] * ratio
    lines += ["", "Median (p50) response time per endpoint, ms:", "",
              "| endpoint | " + " | ".join(header) + " |", "|---|" + "---:|" * len(header)]
    # Every endpoint any run saw, in order of first appearance.
    names = list(dict.fromkeys(e.label for run in labels for e in runs[run][:-1]))
    for name in names:
        found = [next((e.p50 for e in runs[run] if e.label == name), None) for run in labels]
        cells = [ms(value) for value in found]
        if ratio:
            a, b = found
            cells.append(f"{a / b:.1f}x" if a and b else "-")
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot(runs: dict[str, list[Endpoint]], path: Path, title: str) -> None:
    """A PNG: p50/p95/p99 of all requests per run, and req/s per run, side by side."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed: write a file, open no window
    import matplotlib.pyplot as plt

    labels = list(runs)
    totals = [endpoints[-1] for endpoints in runs.values()]
    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(11, 4.2))
    width = 0.8 / len(labels)
    for i, (label, total) in enumerate(zip(labels, totals, strict=True)):
        values = [total.p50 or 0, total.p95 or 0, total.p99 or 0]
        latency.bar([x + i * width for x in range(3)], values, width, label=label)
    latency.set_xticks([x + width * (len(labels) - 1) / 2 for x in range(3)], ["p50", "p95", "p99"])
    latency.set_ylabel("response time, ms (lower is better)")
    latency.set_title("Latency, all requests")
    latency.legend(fontsize="small")
    throughput.bar(range(len(labels)), [t.per_second for t in totals],
                   color=[f"C{i}" for i in range(len(labels))])
    throughput.set_xticks(range(len(labels)), labels, rotation=15, ha="right", fontsize="small")
    throughput.set_ylabel("requests per second (higher is better)")
    throughput.set_title("Throughput")
    figure.suptitle(title)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
