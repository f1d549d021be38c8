"""The learner's runner: `python -m lessons list|start|check|hint|solution|watch|verify`,
and the build track, `python -m lessons build ...` (lessons/build/).

Exit status: 0 when all is well (or the check passes), 1 when a check fails,
2 for a learner's mistake such as an unknown exercise (one line, no traceback).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from lessons import catalog, checking, feedback, progress
from lessons.build import cli as build_cli
from lessons.build.steps import StepsError
from lessons.catalog import CatalogError, Exercise, relative


def cmd_list(args) -> int:
    lessons, exercises = catalog.load_manifest()
    if args.lesson:
        exercises = catalog.for_lesson(args.lesson)
    done = 0
    for folder, title in lessons.items():
        mine = [e for e in exercises if e.lesson == folder]
        if mine:
            print(f"\n{folder}  {title}")
        for e in mine:
            passed = progress.passed(e.name)
            done += passed
            state = "" if passed or not e.workspace_file.exists() else "  (started)"
            print(f"  [{'x' if passed else ' '}] {e.name:<24} {e.title}{state}")
    print(f"\n{done} of {len(exercises)} done. Next: python -m lessons check")
    return 0


def ensure_started(exercise: Exercise, reset: bool = False) -> bool:
    """Copy the starter into the workspace unless it is there; True if copied."""
    target = exercise.workspace_file
    if target.exists() and not reset:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(exercise.starter, target)
    return True


def cmd_start(args) -> int:
    exercise = catalog.get(args.name)
    if ensure_started(exercise, reset=args.reset):
        print(f"Created {relative(exercise.workspace_file)} from the starter.")
    else:
        print(f"{relative(exercise.workspace_file)} already exists (use --reset to start over).")
    print(f"Read {relative(exercise.instructions)}, edit your file, then run:\n"
          f"  python -m lessons check {exercise.name}")
    return 0


def check_one(exercise: Exercise) -> int:
    if ensure_started(exercise):
        print(f"Created {relative(exercise.workspace_file)} from the starter: edit it, "
              "and read its instructions in " + relative(exercise.instructions))
    print(f"Checking {exercise.name} against {relative(exercise.workspace_file)}...", flush=True)
    results, output = checking.Run([exercise], "workspace").wait()
    result = results[exercise.name]
    progress.record_check(exercise.name, result.ok)
    if result.ok:
        print(f"\nPASS {exercise.name}: all {result.passed} tests pass.")
        nxt = next_exercise(after=exercise)
        print(f"Next: python -m lessons check {nxt.name}" if nxt else "Every exercise passes!")
        return 0
    first = result.failures[0] if result.failures else None
    if first is None:  # no test ran to its end: a time-out, or pytest could not start
        print(f"\nFAIL {exercise.name}: no test finished. The end of pytest's output:\n")
        print("\n".join(output.strip().splitlines()[-15:]))
    else:
        print(f"\nFAIL {exercise.name}: {result.failed} of {result.passed + result.failed} "
              "tests failed. The first one:\n")
        feedback.show_failure(exercise, first)
    print()
    feedback.show_hint(exercise, feedback.hint_for(exercise, first),
                       step=first.step if first else None)
    return 1


def check_lesson(arg: str) -> int:
    exercises = catalog.for_lesson(arg)
    started = [e for e in exercises if e.workspace_file.exists()]
    results = checking.run(started, "workspace") if started else {}
    print()
    for e in exercises:
        if e.name not in results:
            print(f"NOT STARTED {e.name}  (python -m lessons start {e.name})")
            continue
        result = results[e.name]
        progress.record_check(e.name, result.ok)
        print(f"{'PASS' if result.ok else 'FAIL'} {e.name}")
        if result.failures:
            first = result.failures[0]
            message = first.message.splitlines()[0] if first.message else ""
            print(f"  first failure: {first.name}" + (f": {message}" if message else ""))
    return 0 if started and len(started) == len(exercises) and all(
        r.ok for r in results.values()) else 1


def next_exercise(after: Exercise | None = None) -> Exercise | None:
    """The first exercise not yet passed, looking after `after` first."""
    exercises = catalog.load_manifest()[1]
    if after is not None:
        start = exercises.index(after) + 1
        exercises = exercises[start:] + exercises[:start]
    return next((e for e in exercises if not progress.passed(e.name)), None)


def cmd_check(args) -> int:
    if args.lesson:
        return check_lesson(args.lesson)
    exercise = catalog.get(args.name) if args.name else next_exercise()
    if exercise is None:
        print("Every exercise passes. Well done!")
        return 0
    return check_one(exercise)


def cmd_hint(args) -> int:
    exercise = catalog.get(args.name)
    feedback.show_hint(exercise, feedback.next_unseen_hint(exercise))
    return 0


def cmd_solution(args) -> int:
    exercise = catalog.get(args.name)
    if not progress.passed(exercise.name):
        if not args.force:
            print(f"The solution unlocks once `python -m lessons check {exercise.name}` passes. "
                  "Add --force to see it anyway.")
            return 1
        print("WARNING: you have not passed this exercise yet. Reading the answer "
              "teaches far less than a last try with the hints.\n", file=sys.stderr)
    print(f"# {relative(exercise.solution)}\n")
    print(exercise.solution.read_text("utf-8"))
    return 0


def cmd_watch(args) -> int:
    try:
        from watchfiles import Change, watch  # only `watch` needs it: other commands start fast
    except ModuleNotFoundError:
        print("error: `watch` needs the watchfiles package: run `make setup`.", file=sys.stderr)
        return 2
    exercise = catalog.get(args.name)
    ensure_started(exercise)
    path = exercise.workspace_file.resolve()
    print(f"Watching {relative(path)}: save it to re-check, Ctrl+C to stop.\n")

    def saved(change: Change, changed: str) -> bool:
        # Many editors save by writing a new file and renaming it over the old one,
        # which would end a watch on the file itself: watch its folder instead.
        return change != Change.deleted and Path(changed) == path

    try:
        check_one(exercise)
        # Saves made while a check runs are kept and yielded next, so none is missed.
        for _ in watch(path.parent, watch_filter=saved, recursive=False):
            print("\n" + "-" * 60)
            check_one(exercise)
    except KeyboardInterrupt:
        print("\nStopped watching.")
    return 0


def cmd_verify(args) -> int:
    from lessons import verify  # maintainers only: keep learner commands light
    return verify.main()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lessons", description=(
        "Stagecraft exercises: edit your copy in lessons/workspace/, then check it."))
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("list", help="exercises and your progress")
    p.add_argument("--lesson", help="only this lesson (4, 04 or 04_auth)")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("start", help="copy an exercise's starter into your workspace")
    p.add_argument("name")
    p.add_argument("--reset", action="store_true", help="overwrite your copy with the starter")
    p.set_defaults(func=cmd_start)
    p = sub.add_parser("check", help="run an exercise's tests against your copy")
    p.add_argument("name", nargs="?", help="default: the first exercise not yet passed")
    p.add_argument("--lesson", help="check every exercise of a lesson (4, 04 or 04_auth)")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("hint", help="show the next hint")
    p.add_argument("name")
    p.set_defaults(func=cmd_hint)
    p = sub.add_parser("solution", help="show the solution (after a pass, or with --force)")
    p.add_argument("name")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=cmd_solution)
    p = sub.add_parser("watch", help="re-check an exercise every time you save it")
    p.add_argument("name")
    p.set_defaults(func=cmd_watch)
    p = sub.add_parser("verify", help="maintainers: starters fail, solutions pass, all listed")
    p.set_defaults(func=cmd_verify)
    build_cli.add_parser(sub)  # python -m lessons build ...: the build track
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CatalogError, StepsError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `python -m lessons list | head`: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stay quiet at exit)
        return 0
