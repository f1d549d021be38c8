"""The maintainer check behind `python -m lessons verify` and `make test`.

It proves that every exercise is whole (a starter with a TODO, tests,
numbered instructions, a hint for each step and two at least, a solution; no
test named for a step the instructions lack), is listed in the
manifest and on its lesson page, and that its starter FAILS its tests while
its solution PASSES them. The two runs are one pytest session each, in
parallel, whatever the number of exercises.
"""

from __future__ import annotations

import re

from lessons import catalog, checking
from lessons.catalog import relative

MIN_EXERCISES, MIN_PER_LESSON, MIN_HINTS = 16, 2, 2


def structure_problems() -> list[str]:
    lessons, exercises = catalog.load_manifest()
    problems = []
    names = [e.name for e in exercises]
    if len(set(names)) != len(names):
        problems.append("the manifest lists an exercise twice")
    if len(exercises) < MIN_EXERCISES:
        problems.append(f"only {len(exercises)} exercises; the course promises {MIN_EXERCISES}")
    for folder in lessons:
        count = sum(e.lesson == folder for e in exercises)
        if count < MIN_PER_LESSON:
            problems.append(f"{folder} has {count} exercises; each lesson needs {MIN_PER_LESSON}")
    on_disk = {p.name for p in catalog.LESSONS_DIR.glob("*/exercises/*")
               if p.is_dir() and not p.name.startswith(("_", "."))}  # not __pycache__
    for missing in sorted(on_disk - set(names)):
        problems.append(f"{missing}: has a folder but is not in {relative(catalog.MANIFEST)}")
    for e in exercises:
        problems += [f"{e.name}: {p}" for p in exercise_problems(e, lessons)]
    return problems


def exercise_problems(e: catalog.Exercise, lessons: dict[str, str]) -> list[str]:
    if e.lesson not in lessons:
        return [f"unknown lesson {e.lesson!r}"]
    for path in (e.starter, e.test_file, e.instructions, e.hints_file, e.solution):
        if not path.exists():
            return [f"missing {relative(path)}"]
    problems = []
    if "TODO" not in e.starter.read_text("utf-8"):
        problems.append("the starter has no TODO")
    steps = [int(n) for n in re.findall(r"^(\d+)\. ", e.instructions.read_text("utf-8"),
                                         re.MULTILINE)]
    if 1 not in steps:
        problems.append("the instructions have no numbered steps")
    if len(e.hints()) < MIN_HINTS:
        problems.append(f"{len(e.hints())} hints; at least {MIN_HINTS} are needed")
    # `check` shows hint N when a test of step N fails: each step needs its hint.
    elif len(e.hints()) < max(steps, default=0):
        problems.append(f"{max(steps)} steps but {len(e.hints())} hints: hint N is for step N")
    tested = {int(n) for n in re.findall(r"^def test_(\d+)_", e.test_file.read_text("utf-8"),
                                         re.MULTILINE)}
    if tested - set(steps):
        problems.append(f"tests for step {min(tested - set(steps))}, which the instructions "
                        "do not have")
    page = catalog.LESSONS_DIR / e.lesson / "index.md"
    if not page.exists() or f"`{e.name}`" not in page.read_text("utf-8"):
        problems.append(f"not mentioned (as `{e.name}`) on {relative(page)}")
    return problems


def behaviour_problems() -> list[str]:
    exercises = catalog.load_manifest()[1]
    runs = {target: checking.Run(exercises, target)
            for target in ("starter", "solution")}  # both start now, run in parallel
    (starters, _), (solutions, solution_out) = (r.wait() for r in runs.values())
    problems = []
    for e in exercises:
        if starters[e.name].failed == 0:
            problems.append(f"{e.name}: the starter passes its tests (it must fail)")
        solution = solutions[e.name]
        if not solution.ok:
            problems.append(f"{e.name}: the solution fails its tests "
                            f"({solution.failed} failed, {solution.passed} passed)")
    if any("solution fails" in p for p in problems):
        problems.append("solution run output:\n" + solution_out)
    return problems


def main() -> int:
    exercises = catalog.load_manifest()[1]
    problems = structure_problems()
    print(f"verify: {len(exercises)} exercises; running starters and solutions...")
    problems += behaviour_problems()
    for problem in problems:
        print(f"  FAIL {problem}")
    if problems:
        print(f"verify: {len(problems)} problem(s)")
        return 1
    print(f"verify: OK: {len(exercises)} exercises; every starter fails, every solution passes,"
          " and each has a TODO, instructions, a hint per step, and a mention on its lesson page")
    return 0
