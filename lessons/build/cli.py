"""``python -m lessons build start|check|status|hint|diff``: the build track's commands.

Exit status: 0 when all is well (or the check passes), 1 when a check fails,
2 for a mistake such as an unknown lesson (one line, no traceback).
"""

from __future__ import annotations

import difflib
import json
import textwrap
from pathlib import Path

from lessons.build import checker, steps, workshop
from lessons.build.steps import REPO_ROOT, Lesson, Step, StepsError
from reference_app import STAGES


def relative(path) -> str:
    try:
        return path.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def cmd_start(args) -> int:
    for number in args.use_reference:
        if number not in STAGES:
            raise StepsError(f"there is no lesson {number}: choose 1 to {max(STAGES)}")
        workshop.use_reference(number)
        print(f"Lesson {number} ({STAGES[number]}): the reference's package, unchanged.")
    if args.lesson is None and args.use_reference:
        return 0
    number = args.lesson or next_lesson()
    lesson = steps.load(number)
    written, kept = workshop.start(lesson)
    target = relative(workshop.folder() / lesson.package)
    print(f"Lesson {number} ({lesson.title}): your package is {target}/")
    for path in kept:
        print(f"  kept your {relative(path)}: you changed it, so it was not overwritten")
    print(f"  {len(written)} file(s) written. Read {lesson.page_url}, then run:\n"
          "  python -m lessons build check")
    return 0


def next_lesson() -> int:
    state = workshop.load_state()
    return min(state["lesson"] + 1, steps.last())


def cmd_check(args) -> int:
    number = workshop.current_lesson()
    lesson = steps.load(number)
    state = workshop.load_state()
    earlier = [test for n in range(1, number) for s in steps.load(n).steps for test in s.tests]
    if earlier:
        print(f"Checking lessons 1 to {number - 1} still pass (stages 1 to {number - 1})...")
        guard = checker.run_tests(earlier, max_stage=number - 1)
        if guard.failures or not set(earlier) <= guard.passed:
            return report_regression(guard, number)
    print(f"Checking lesson {number}, {lesson.title}, step by step...")
    outcome = checker.run_tests([t for s in lesson.steps for t in s.tests], max_stage=number)
    state["passed"][str(number)] = checker.passed_steps(lesson, outcome)
    failing = checker.first_failing_step(lesson, outcome)
    if failing is None and earlier:
        # Every step passes: now the whole app at stage N, earlier lessons' tests too.
        outcome = checker.run_tests(earlier, max_stage=number, min_stage=number)
        if outcome.failures or not set(earlier) <= outcome.passed:
            workshop.save_state(state)
            return report_regression(outcome, number)
    if failing is None:
        workshop.save_state(state)
        print(f"\nLesson {number} passes: every step, and every earlier stage's tests.")
        print(f"Compare with the reference: python -m lessons build diff {number}")
        print(f"Stretch challenge: {lesson.challenge}")
        if number < steps.last():
            print(f"Next: python -m lessons build start {number + 1}")
        return 0
    step, failure = failing
    state["fails"][step.id] = state["fails"].get(step.id, 0) + 1
    workshop.save_state(state)
    show_failure(lesson, step, failure, state["fails"][step.id])
    return 1


def report_regression(outcome: checker.Outcome, number: int) -> int:
    failure = (outcome.failures or [checker.Failure("pytest", "some tests did not run",
                                                    outcome.output[-3000:])])[0]
    owner = owner_of(failure.test)
    print(f"\nSomething that passed before fails now: {failure.test}")
    if owner:
        print(f"It belongs to step {owner.id}, {owner.title}.")
    print(textwrap.indent(failure.message or failure.details[-1500:], "  "))
    trace = checker.learner_traceback(failure)
    if trace:
        print("\n" + textwrap.indent(trace, "  "))
    return 1


def owner_of(test: str) -> Step | None:
    name = test.split("[")[0]
    for lesson in steps.all_lessons():
        for step in lesson.steps:
            if name in step.tests:
                return step
    return None


def show_failure(lesson: Lesson, step: Step, failure: checker.Failure, fails: int) -> None:
    print(f"\nStep {step.id} of lesson {lesson.number} ({len(lesson.steps)} steps): "
          f"{step.title}")
    print(f"Read: {lesson.page_url}{step.section}\n")
    print(textwrap.indent(step.instructions, "  "))
    print(f"\nFirst failing test: {failure.test}")
    print(textwrap.indent(first_lines(failure.message or failure.details, 6), "  "))
    trace = checker.learner_traceback(failure)
    if trace:
        print("\nYour code raised:\n" + textwrap.indent(trace, "  "))
    show_hint(step, fails)


def first_lines(text: str, count: int) -> str:
    return "\n".join(text.strip().splitlines()[:count])


def show_hint(step: Step, number: int) -> None:
    number = max(1, min(number, len(step.hints)))
    print(f"\nHint {number} of {len(step.hints)}: {step.hints[number - 1]}")
    if number < len(step.hints):
        print("(Each check that fails this step again shows the next hint.)")


def cmd_hint(args) -> int:
    number = workshop.current_lesson()
    lesson, state = steps.load(number), workshop.load_state()
    done = set(state["passed"].get(str(number), []))
    step = next((s for s in lesson.steps if s.id not in done), None)
    if step is None:
        print(f"Every step of lesson {number} has passed. Run: python -m lessons build check")
        return 0
    state["fails"][step.id] = state["fails"].get(step.id, 0) + 1
    workshop.save_state(state)
    print(f"Step {step.id}: {step.title}")
    show_hint(step, state["fails"][step.id])
    return 0


def cmd_status(args) -> int:
    state = workshop.load_state()
    rows = []
    for lesson in steps.all_lessons():
        done = state["passed"].get(str(lesson.number), [])
        rows.append({"lesson": lesson.number, "title": lesson.title,
                     "steps": len(lesson.steps), "done": len(done),
                     "reference": lesson.number in state["reference"],
                     "started": (workshop.folder() / lesson.package).exists()})
    if args.json:
        print(json.dumps({"current": state["lesson"], "lessons": rows}, indent=2))
        return 0
    print(f"{'Lesson':<22} {'Steps done':>10}  Note")
    for row in rows:
        note = ("reference package" if row["reference"] else
                "passed" if row["done"] == row["steps"] else
                "working on it" if row["started"] else "")
        print(f"{row['lesson']}. {row['title']:<19} {row['done']:>4} of {row['steps']:<3}  {note}")
    return 0


def cmd_diff(args) -> int:
    lesson, state = steps.load(args.lesson), workshop.load_state()
    if len(state["passed"].get(str(lesson.number), [])) < len(lesson.steps):
        print(f"WARNING: lesson {lesson.number} has not passed yet. Reading the reference "
              "now teaches less than one more try with the hints.\n")
    mine, theirs = workshop.folder() / lesson.package, REPO_ROOT / "reference_app" / lesson.package
    for path in sorted(theirs.rglob("*.py")):
        ours = mine / path.relative_to(theirs)
        a = ours.read_text("utf-8").splitlines(keepends=True) if ours.exists() else []
        b = path.read_text("utf-8").splitlines(keepends=True)
        print("".join(difflib.unified_diff(a, b, relative(ours), relative(path))), end="")
    return 0


def cmd_verify(args) -> int:
    """Maintainers: the manifests are complete, each starter has the reference's
    interface, and each lesson's steps turn green one by one."""
    import os
    import tempfile

    from lessons.build import maintain

    problems = maintain.manifest_problems()
    numbers = [args.lesson] if args.lesson else steps.numbers()
    for number in numbers:
        with tempfile.TemporaryDirectory(prefix="stagecraft-verify-") as scratch:
            problems += maintain.starter_interface_problems(steps.load(number), Path(scratch))
            os.environ[workshop.WORKSHOP_ENV] = scratch
            problems += maintain.walk_problems(number)
            print(f"lesson {number}: walked", flush=True)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def add_parser(commands) -> None:
    """Add ``build`` and its subcommands to the lessons runner's parser."""
    build = commands.add_parser("build", help="build the app yourself, lesson by lesson")
    sub = build.add_subparsers(dest="build_command", required=True, metavar="COMMAND")
    p = sub.add_parser("start", help="create workshop/ and a lesson's starter package")
    p.add_argument("lesson", nargs="?", type=int, help="the lesson (default: the next one)")
    p.add_argument("--use-reference", type=int, action="append", default=[], metavar="LESSON",
                   help="skip LESSON: use the reference's package for it (repeatable)")
    p.set_defaults(func=cmd_start)
    sub.add_parser("check", help="check your current lesson, step by step").set_defaults(
        func=cmd_check)
    sub.add_parser("hint", help="the next hint for your current step").set_defaults(
        func=cmd_hint)
    p = sub.add_parser("status", help="lessons and steps done")
    p.add_argument("--json", action="store_true", help="for an instructor's script")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("diff", help="your package against the reference's")
    p.add_argument("lesson", type=int)
    p.set_defaults(func=cmd_diff)
    p = sub.add_parser("verify", help="maintainers: steps, starters and a walk through each")
    p.add_argument("lesson", nargs="?", type=int)
    p.set_defaults(func=cmd_verify)

