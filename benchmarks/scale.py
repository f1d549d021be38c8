"""`make bench-scale`: does every route hold its speed when the data grows 100 times?

It seeds two databases with the long-tailed seed (``reference_app.seed``):
1,000 users with 1,000 articles, and 1,000 users with 100,000 articles. It
serves each at the last stage under ``serve --prod --workers 2``, once with
the cache on and once with ``STAGECRAFT_CACHE=false`` (what every reader
meets right after a write has emptied the cache): four servers. Then it
measures the p50 latency of every API route and every page, anonymous and
logged in, with wrk (``scale_routes.py`` says which routes, with which names).

The runs of a route at the two sizes follow each other, round after round,
and the table shows the median of the rounds: a slow spell of the machine
then hits both sizes, not one. The target: every route's p50 at 100,000
articles at most 1.5 times its p50 at 1,000. It prints the table and writes
it to benchmarks/scale_results.md, which lesson 6 includes.

About 11 minutes with the defaults (5 rounds of 120 wrk runs of 1 s each);
``--quick`` takes about 3 (one round). Absolute numbers depend on the
machine: compare the ratios, and when a route misses, the range of its
ratio from round to round says whether one run can settle it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.bench import latency
from benchmarks.scale_routes import WHO, headers_for, log_in, pick_names, runs
from reference_app import LAST_STAGE, Settings
from reference_app.seed import seed
from reference_app.servers import ServerError, app_server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "scale_results.md"
USERS = 1_000
SIZES = (1_000, 100_000)  # articles: the small database, then the big one
CACHE = ("on", "off")
CONNECTIONS = 4  # a few readers at once: latency, not the server's ceiling
LIMIT = 1.5  # the target: p50 at the big size over p50 at the small one, at most


def wrk_p50(url: str, seconds: int, headers: dict[str, str]) -> float:
    """The p50 latency (ms) of one wrk run, sending ``headers`` with every request."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if errors := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        raise SystemExit(f"bench-scale: {url} answered {errors[1]} errors:\n{output}")
    return latency(output, "50%")  # bench.py's reading of wrk's output


def get(url: str, headers: dict[str, str]) -> None:
    """One request first: fills the cache, and proves the route answers 200."""
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers),  # noqa: S310
                                timeout=60) as response:
        response.read()


def measure(seconds: int, rounds: int) -> tuple[dict, dict, dict]:
    """Every run's p50, round by round: ``{(label, who, cache, size): [ms, ...]}``,
    with the names picked and the seeded table counts per size."""
    secret = secrets.token_urlsafe(48)  # a fresh one per run: nothing outlives it
    env = {**os.environ, "STAGECRAFT_JWT_SECRET": secret,
           # Production caches only in Redis (lesson 6). The benchmark only reads, so
           # each worker's own cache cannot go stale: keep it, and measure no Redis.
           "STAGECRAFT_CACHE_ALLOW_STALE": "true"}
    with tempfile.TemporaryDirectory() as scratch, contextlib.ExitStack() as servers:
        env["STAGECRAFT_INSTANCE_PATH"] = scratch
        files = {size: f"{scratch}/articles-{size}.db" for size in SIZES}
        seeded = {}
        for size, path in files.items():
            started = time.monotonic()
            seeded[size] = seed(path, Settings(instance_path=scratch), users=USERS,
                                articles=size)
            print(f"seeded {size:,} articles in {time.monotonic() - started:.0f} s",
                  file=sys.stderr)
        names = pick_names(*files.values())
        print(f"names: {names}", file=sys.stderr)
        urls, logins = {}, {}
        for cache in CACHE:
            for size, path in files.items():  # one at a time: each creates its indexes
                server = servers.enter_context(app_server(
                    stage=LAST_STAGE, database=path, workers=2,
                    env={**env, "STAGECRAFT_CACHE": "true" if cache == "on" else "false"},
                    log=Path(scratch, f"cache-{cache}-{size}.log")))
                urls[cache, size] = server.url
                logins[cache, size] = log_in(server.url, names["email"])
        plan = runs(names)

        def sent(who, path, key):
            return headers_for(path, logins[key]) if who == "logged in" else {}

        for _, who, path in plan:
            for key in urls:
                get(urls[key] + path, sent(who, path, key))
        samples = {(label, who, *key): [] for label, who, _ in plan for key in urls}
        for number in range(1, rounds + 1):
            print(f"round {number} of {rounds}", file=sys.stderr)
            # Odd rounds start with the small size, even ones with the big one.
            order = SIZES if number % 2 else SIZES[::-1]
            for label, who, path in plan:
                for cache in CACHE:
                    for size in order:
                        samples[label, who, cache, size].append(wrk_p50(
                            urls[cache, size] + path, seconds, sent(who, path, (cache, size))))
    return samples, names, seeded


def ratio(samples: dict, label: str, who: str, cache: str) -> tuple[float, float, float]:
    """The medians at the small and the big size, and big over small."""
    small, big = (statistics.median(samples[label, who, cache, size]) for size in SIZES)
    return small, big, big / small


def cell(small: float, big: float, times: float) -> str:
    verdict = f"**{times:.2f}× ✗**" if times > LIMIT else f"{times:.2f}×"
    return f"{small:.2f} → {big:.2f} ({verdict})"


COLUMNS = [(who, cache) for cache in CACHE for who in WHO]


def table(samples: dict, names: dict, seeded: dict, seconds: int, rounds: int) -> str:
    """The results as markdown: a row per route, a column per reader and cache."""
    small, big = (seeded[size] for size in SIZES)

    def rows(what: str) -> str:
        return " → ".join(f"{n:,}" for n in names["rows"][what])

    lines = [
        f"Measured by `make bench-scale` on {time.strftime('%Y-%m-%d')}: {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
        f"The last stage (stage {LAST_STAGE}) under `serve --prod --workers 2`, "
        f"`wrk -t1 -c{CONNECTIONS} -d{seconds}s --latency` on 127.0.0.1, the median p50 of "
        f"{rounds} interleaved round{'s' * (rounds > 1)}. Seeded by "
        f"`reference_app.seed.seed` with {USERS:,} users and {small['articles']:,} "
        f"articles ({small['favorites']:,} favourites, {small['comments']:,} comments, "
        f"{small['follows']:,} follows), then {big['articles']:,} articles "
        f"({big['favorites']:,} favourites, {big['comments']:,} comments, "
        f"{big['follows']:,} follows). The names, with their rows at each size: "
        f"tags `{names['popular_tag']}` ({rows('popular_tag')} articles) and "
        f"`{names['rare_tag']}` ({rows('rare_tag')}), author `{names['author']}` "
        f"({rows('author')}), the favourites of `{names['favourer']}` ({rows('favourites')}), "
        f"the demo article `{names['slug']}` (the same at both sizes), logged in as "
        f"`{names['reader']}` (following {rows('follows')} users, whose articles number "
        f"{rows('feed')}).",
        "",
        f"p50 in ms at {SIZES[0]:,} → {SIZES[1]:,} articles, and their ratio "
        f"(**✗**: more than {LIMIT}×).",
        "",
        "| Route | " + " | ".join(f"{who.capitalize()}, cache {cache}"
                                  for who, cache in COLUMNS) + " |",
        "|---|" + "---:|" * len(COLUMNS),
    ]
    labels = list(dict.fromkeys(label for label, *_ in samples))
    misses = {column: [] for column in COLUMNS}
    for label in labels:
        cells = []
        for who, cache in COLUMNS:
            if (label, who, cache, SIZES[0]) not in samples:
                cells.append("–")  # the feed has no anonymous reader
                continue
            small_ms, big_ms, times = ratio(samples, label, who, cache)
            cells.append(cell(small_ms, big_ms, times))
            if times > LIMIT:
                each = [b / s for s, b in zip(*(samples[label, who, cache, size]
                                                for size in SIZES), strict=True)]
                misses[who, cache].append(f"{label} {times:.2f}× (rounds "
                                          f"{min(each):.2f}–{max(each):.2f})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "Targets (every route's p50 at 100,000 articles at most "
              f"{LIMIT}× its p50 at 1,000):", ""]
    for (who, cache), missed in misses.items():
        verdict = "met" if not missed else "NOT met: " + ", ".join(missed)
        lines.append(f"- {who}, cache {cache}: {verdict}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make bench-scale", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=1, help="per wrk run (default 1)")
    parser.add_argument("--rounds", type=int, default=5, help="runs per route and size; "
                        "the median counts (default 5)")
    parser.add_argument("--quick", action="store_true", help="one round: to see it work")
    parser.add_argument("--output", default=str(RESULTS), help="where to write the table")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench-scale: wrk is not installed. On Debian or Ubuntu: sudo apt-get install "
              "wrk; on macOS: brew install wrk.", file=sys.stderr)
        return 2
    rounds = 1 if args.quick else args.rounds
    started = time.monotonic()
    try:
        samples, names, seeded = measure(args.seconds, rounds)
    except ServerError as error:
        print(f"bench-scale: {error}", file=sys.stderr)
        return 1
    text = table(samples, names, seeded, args.seconds, rounds)
    print(text)
    Path(args.output).write_text(text)
    print(f"written to {args.output} after {(time.monotonic() - started) / 60:.1f} minutes",
          file=sys.stderr)
    return 0 if "NOT met" not in text else 1


if __name__ == "__main__":
    raise SystemExit(main())
