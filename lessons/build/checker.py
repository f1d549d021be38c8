"""``check``: the reference app's stage tests, run against the learner's workshop.

Two pytest runs, in a subprocess each (the learner's code may do anything):

1. the regression guard: every stage test of the lessons below N, at the
   stages below N (lesson N is unfinished, so stage N would fail for that);
2. lesson N's steps: each step's tests at stage N. The first step with a
   failure is the one to work on.

pytest writes a JUnit XML report; we read who passed and failed from it, and
the traceback of a 500 from the test's captured stderr, where Bottle writes it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from lessons.build import workshop
from lessons.build.steps import REPO_ROOT, Lesson, Step

TIMEOUT_SECONDS = 900
# --tb=native: Python's own traceback format, which learner_traceback() can read.
PYTEST = ["-p", "no:cacheprovider", "-q", "--no-header", "--tb=native",
          "-o", "junit_logging=system-err",
          "-o", "addopts=--strict-markers", "-W", "ignore::DeprecationWarning"]


@dataclass
class Failure:
    test: str                # "test_routing.py::test_list_articles[stage1]"
    message: str             # the assertion, or the error's first lines
    details: str = ""        # pytest's full report of the failure
    stderr: str = ""         # what the test's app wrote: Bottle's traceback of a 500


@dataclass
class Outcome:
    passed: set[str] = field(default_factory=set)     # "file::function" of passing tests
    failures: list[Failure] = field(default_factory=list)
    output: str = ""

    def failed(self, tests) -> list[Failure]:
        wanted = set(tests)
        return [f for f in self.failures if f.test.split("[")[0] in wanted]


def run_tests(tests: list[str], max_stage: int, min_stage: int = 1,
              app: str = workshop.PACKAGE) -> Outcome:
    """Run ``tests`` ("test_file.py::test_name") against ``app``, each at its own
    stages from ``min_stage`` to ``max_stage``."""
    with tempfile.TemporaryDirectory(prefix="stagecraft-check-") as scratch:
        report = Path(scratch) / "report.xml"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(workshop.root()), str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])}
        command = [sys.executable, "-m", "pytest", *PYTEST, f"--junitxml={report}",
                   f"--app={app}", f"--min-stage={min_stage}", f"--max-stage={max_stage}",
                   *(f"tests/{test}" for test in sorted(set(tests)))]
        done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True,  # noqa: S603
                              text=True, timeout=TIMEOUT_SECONDS, check=False)
        outcome = read_report(report) if report.exists() else Outcome()
        outcome.output = done.stdout + done.stderr
        if not report.exists() or (done.returncode not in (0, 1) and not outcome.failures):
            outcome.failures.append(Failure("pytest", "the tests could not run",
                                            outcome.output[-3000:]))
        return outcome


def read_report(path: Path) -> Outcome:
    outcome = Outcome()
    # The report is one our own pytest run just wrote, not untrusted input.
    for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314
        module = case.get("classname", "").rsplit(".", 1)[-1]
        name = f"{module}.py::{case.get('name', '')}"
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            if case.find("skipped") is None:
                outcome.passed.add(name.split("[")[0])
            continue
        err = case.find("system-err")
        outcome.failures.append(Failure(
            test=name, message=(problem.get("message") or "").strip(),
            details=problem.text or "", stderr=err.text if err is not None else ""))
    # A test passes only if every one of its stages passed.
    outcome.passed -= {f.test.split("[")[0] for f in outcome.failures}
    return outcome


def learner_traceback(failure: Failure, package: str = workshop.PACKAGE) -> str:
    """The learner's own part of the traceback behind a failure: frames from files
    in ``workshop/``, then the exception itself. Empty if no learner frame."""
    for text in (failure.stderr, failure.details):
        lines = text.splitlines()
        kept, keep_next = [], False
        for line in lines:
            if line.lstrip().startswith('File "'):
                keep_next = f"{os.sep}{package}{os.sep}" in line
                if keep_next:
                    kept.append(line)
            elif keep_next and line.startswith("    "):
                kept.append(line)
                keep_next = False
        exceptions = [line for line in lines if line and not line[0].isspace()
                      and ("Error" in line or "Exception" in line) and ":" in line]
        if kept:
            return "\n".join(["Traceback (your code only):", *kept, *exceptions[-1:]])
    return ""


def first_failing_step(lesson: Lesson, outcome: Outcome) -> tuple[Step, Failure] | None:
    for step in lesson.steps:
        for test in step.tests:  # in the order the step lists them: simplest first
            failed = outcome.failed([test])
            if failed:
                return step, failed[0]
            if test not in outcome.passed:  # never ran: never a pass
                stray = [f for f in outcome.failures if f.test == "pytest"]
                return step, stray[0] if stray else Failure(test, "this test did not run")
    return None


def passed_steps(lesson: Lesson, outcome: Outcome) -> list[str]:
    return [step.id for step in lesson.steps
            if all(test in outcome.passed for test in step.tests)]
