"""The performance-tuning lab's five experiments, as data.

``python -m loadtests lab 1`` (or ``make lab EXP=1``) runs experiment 1 and
writes ``loadtests/results/exp1.md`` and ``exp1.png``, which the lab page
includes. Those two files are committed: the numbers on the page are always
the ones the command wrote. An experiment whose stages the app does not have
yet is skipped with one line saying so.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .compare import Variant, compare
from .run import Load
from .server import Target

RESULTS = Path(__file__).parent / "results"
INDEXES = str(Path(__file__).parent / "indexes.sql")
# Stage 6's cache is on unless STAGECRAFT_CACHE=false; it lives in each
# process's memory unless REDIS_URL is set (Target(redis=True) starts a Redis).
# Stages below 7 run under plain gunicorn, not in production mode: there the
# in-process cache stays on. serve --prod (stage 7) caches only in Redis.
# A setting name the app does not know stops an experiment with a clear
# message, never a silent no-op.
NO_CACHE = ("STAGECRAFT_CACHE=false",)
# Never in production: the cheapest Argon2id there is, to show what it would "save".
WEAK_HASH = ("STAGECRAFT_ARGON2_TIME_COST=1", "STAGECRAFT_ARGON2_MEMORY_KIB=8")


@dataclass(frozen=True)
class Experiment:
    number: int
    title: str
    variants: tuple[Variant, ...]
    load: Load

    @property
    def results(self) -> Path:
        return RESULTS / f"exp{self.number}.md"

    @property
    def stages(self) -> set[int]:
        return {variant.target.stage for variant in self.variants}


def cache_variants(workers: int) -> list[Variant]:
    plural = "s" if workers > 1 else ""
    return [Variant(f"{name}, {workers} worker{plural}",
                    Target(6, workers=workers, env=env, redis=redis), "Reader")
            for name, env, redis in (("no cache", NO_CACHE, False), ("in-process", (), False),
                                     ("Redis", (), True))]


EXPERIMENTS = [
    Experiment(1, "N+1 queries against batched queries", (
        # The cache off in both, so that only the queries differ.
        Variant("stage 5: N+1 queries", Target(5, env=NO_CACHE), "Reader"),
        Variant("stage 6: batched", Target(6, env=NO_CACHE), "Reader"),
    ), Load(users=10, duration="30s", tags=("list",), think=0)),
    # The world of `make lab-data`'s second column: 1,000 users, 100,000 articles.
    Experiment(2, "A missing index, on 100,000 articles", (
        Variant("no index", Target(5, seed_users=1_000, seed_articles=100_000), "Reader"),
        Variant("indexed", Target(5, seed_users=1_000, seed_articles=100_000, sql=(INDEXES,)),
                "Reader"),
    ), Load(users=10, duration="30s", tags=("list",))),
    Experiment(3, "Cache off, in-process and Redis, with 1 and 4 workers", (
        *cache_variants(1), *cache_variants(4),
    ), Load(users=20, duration="30s", think=0)),
    Experiment(4, "1, 2 and 4 gunicorn workers on this machine", tuple(
        Variant(f"{n} worker{'s' * (n > 1)}", Target(7, workers=n), "all") for n in (1, 2, 4)
    ), Load(users=40, duration="30s", think=0)),
    # The same 20 readers each time; the storms add 10 users who only log in.
    Experiment(5, "The login storm", (
        Variant("readers alone", Target(5), "Reader"),
        Variant("readers + login storm", Target(5), "Reader LoginStorm", users=30),
        Variant("weakened hash (never ship)", Target(5, env=WEAK_HASH), "Reader LoginStorm",
                users=30),
    ), Load(users=20, duration="30s")),
]


def run_lab(numbers: list[int], out: Path) -> int:
    """Run the chosen experiments (all when none); 1 if any request failed."""
    from reference_app import LAST_STAGE, STAGES

    chosen = [e for e in EXPERIMENTS if not numbers or e.number in numbers]
    worst = 0
    for experiment in chosen:
        missing = sorted(experiment.stages - set(STAGES))
        if missing:
            print(f"Experiment {experiment.number} skipped: it needs stage "
                  f"{', '.join(map(str, missing))}, and this app ends at stage {LAST_STAGE}.",
                  file=sys.stderr)
            continue
        print(f"Experiment {experiment.number}: {experiment.title}", file=sys.stderr)
        runs = compare(list(experiment.variants), experiment.load,
                       out / f"exp{experiment.number}", title=experiment.title,
                       command=f"make lab EXP={experiment.number}", results=experiment.results)
        if any(run.endpoints[-1].failures for run in runs.values()):
            worst = 1
    return worst
