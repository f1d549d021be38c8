"""The command line: ``python -m loadtests load|compare|distributed|lab|data``.

The Makefile targets ``load``, ``load-compare``, ``load-distributed``, ``lab``
and ``lab-data`` call this; ``python -m loadtests COMMAND --help`` lists every option.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

from .compare import Variant, compare, default_labels
from .lab import RESULTS, run_lab
from .run import REPORTS, Load, measure, seconds, summary, user_classes
from .seeded import data_page
from .server import BIN, LoadTestError, Target


def words(text: str) -> tuple[str, ...]:
    """'A=1 B=2' -> ('A=1', 'B=2'): one Make variable can carry several."""
    return tuple(text.split())


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m loadtests",
                                  description="Load-test the reference app with Locust.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--users", type=int, default=20, help="simulated users (default 20)")
    common.add_argument("--duration", default="20s", help="run time, e.g. 20s, 2m (default 20s)")
    common.add_argument("--scenario", default="all",
                        help="all, or user classes: Reader Follower Writer LoginStorm")
    common.add_argument("--tags", type=words, default=(), help="only tasks with these tags")
    common.add_argument("--think", type=float, default=0.5,
                        help="longest pause between a user's tasks, s (default 0.5; 0: none)")
    common.add_argument("--seed-users", type=int, default=50)
    common.add_argument("--seed-articles", type=int, default=500)
    one = argparse.ArgumentParser(add_help=False)
    one.add_argument("--stage", type=int, help="the app's stage (default: the last)")
    one.add_argument("--app", default="reference_app",
                     help="the app module: reference_app (default), or your workshop")
    one.add_argument("--app-workers", type=int, default=2, help="gunicorn workers (default 2)")
    one.add_argument("--env", type=words, default=(), help="settings: 'STAGECRAFT_X=1 ...'")
    one.add_argument("--sql", type=words, default=(), help="SQL files to run after seeding")

    load = commands.add_parser("load", parents=[common, one], help="one run, with a summary")
    load.add_argument("--shape", choices=["step"], help="step: add users in steps (the knee)")
    dist = commands.add_parser("distributed", parents=[common, one],
                               help="one run from a Locust master and N workers")
    dist.add_argument("--workers", type=int, default=2, help="Locust workers (default 2)")
    versus = commands.add_parser("compare", parents=[common], help="the same load against A and B")
    for side in ("a", "b"):
        versus.add_argument(f"--{side}", type=int, help=f"{side.upper()}'s stage (default: last)")
        versus.add_argument(f"--{side}-workers", type=int, default=2)
        versus.add_argument(f"--{side}-env", type=words, default=())
        versus.add_argument(f"--{side}-sql", type=words, default=())
        versus.add_argument(f"--{side}-app", default="reference_app")
    versus.add_argument("--results", type=Path, help="also write a Markdown table and plot here")
    lab = commands.add_parser("lab", help="run the lab's experiments, write loadtests/results/")
    lab.add_argument("numbers", type=int, nargs="*", help="which (default: all)")
    commands.add_parser("data", help="seed the lab's worlds, write loadtests/results/data.md")
    return top


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "lab":
            return run_lab(args.numbers, REPORTS / "lab")
        if args.command == "data":
            with tempfile.TemporaryDirectory(prefix="stagecraft-data-") as workdir:
                print(data_page(BIN / "reference-app", RESULTS / "data.md", Path(workdir)))
            return 0
        from reference_app import LAST_STAGE

        seconds(args.duration)  # a typo here should stop the run before any seeding
        # Only `load` has --shape; the other commands always run a fixed user count.
        load = Load(args.users, args.duration, args.tags, args.think,
                    getattr(args, "shape", None))
        seeded = {"seed_users": args.seed_users, "seed_articles": args.seed_articles}
        if args.command == "compare":
            targets = [Target(getattr(args, side) or LAST_STAGE, getattr(args, f"{side}_workers"),
                              getattr(args, f"{side}_env"), getattr(args, f"{side}_sql"),
                              app=getattr(args, f"{side}_app"), **seeded)
                       for side in ("a", "b")]
            labels = default_labels(targets)
            variants = [Variant(label, target, args.scenario)
                        for label, target in zip(labels, targets, strict=True)]
            runs = compare(variants, load, REPORTS / "compare", command=command_line(argv),
                           title=" against ".join(labels), results=args.results)
            return 1 if any(r.endpoints[-1].failures for r in runs.values()) else 0
        target = Target(args.stage or LAST_STAGE, args.app_workers, args.env, args.sql,
                        app=args.app, **seeded)
        workers = args.workers if args.command == "distributed" else 0
        classes = user_classes(args.scenario, target.stage)
        run = measure(f"stage{target.stage}", target, classes, load,
                      REPORTS / args.command, workers=workers)
        how = (f"{workers} Locust workers" if workers else
               "a step load" if load.shape else f"{load.users} users for {load.duration}")
        print(summary(run, f"{target.describe()}; {', '.join(classes)}; {how}"))
        if load.shape:
            from .report import knee_table

            print("\nPer step (find the knee: where req/s stops rising):\n"
                  + knee_table(run.files[1].with_name(f"{run.label}_stats_history.csv")))
        return 1 if run.endpoints[-1].failures else 0
    except LoadTestError as error:
        print(f"loadtests: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # everything started has been stopped on the way out
        print("loadtests: interrupted; the app and Locust have been stopped.", file=sys.stderr)
        return 130


def command_line(argv) -> str:
    return shlex.join(["python", "-m", "loadtests", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
