"""Run exercise tests in a pytest subprocess and read back per-exercise results.

One subprocess runs any number of exercises: `conftest.py` switches the file
under test (``STAGECRAFT_EXERCISE_TARGET``), and pytest's own JUnit XML report
(``--junitxml``) says which tests passed and failed, in which test file, with
each failure's message, traceback and captured stderr. That stderr holds the
traceback behind a 500: Bottle writes it to the WSGI error stream, and the
conftest hands WebTest's error stream on to stderr.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from lessons.catalog import (
    LESSONS_DIR,
    REPO_ROOT,
    TARGET_ENV,
    Exercise,
    exercise_for_test,
    relative,
)

# Isolate the run from the project's pytest settings (its addopts may ask for
# coverage or other plugins): no config file, conftests only from lessons/, and
# no third-party plugins, which also makes start-up faster.
PYTEST_ARGS = ["-c", os.devnull, "--rootdir", str(REPO_ROOT), "--confcutdir", str(LESSONS_DIR),
               "-p", "no:cacheprovider", "-p", "no:warnings", "--no-header", "-q",
               # A test file that cannot be collected fails its own exercise, not the others.
               "--continue-on-collection-errors",
               # Python's own traceback format, which learner_traceback() reads.
               "--tb=native",
               # xunit1 keeps each testcase's `file`, which names its exercise;
               # system-err keeps what the test wrote to stderr.
               "-o", "junit_family=xunit1", "-o", "junit_logging=system-err"]
TIMEOUT_SECONDS = 120  # a starter with an endless loop must not hang the runner
STEP = re.compile(r"test_(\d+)_")  # test_2_... checks the instructions' step 2
FRAME = re.compile(r'\s*File "([^"]+)", line (\d+), in (.+)')
EXCEPTION = re.compile(r"[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b.*")


@dataclass
class Failure:
    """One failing test, as the JUnit report tells it."""

    file: str          # the test file, relative to the repository
    name: str          # "test_2_a_bad_offset[abc]"
    message: str       # the assertion, or the error's first lines
    details: str = ""  # the whole report of the failure (a native traceback)
    stderr: str = ""   # what the test wrote to stderr: a 500's traceback, for one

    @property
    def step(self) -> int | None:
        """The instructions' step this test checks: 2 for test_2_..., else None."""
        match = STEP.match(self.name)
        return int(match[1]) if match else None


@dataclass
class Result:
    passed: int = 0
    failed: int = 0
    # In the order the tests ran: the first one is the first to fix.
    failures: list[Failure] = field(default_factory=list, compare=False)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.passed > 0


class Run:
    """A pytest subprocess over some exercises, against one target."""

    def __init__(self, exercises: list[Exercise], target: str):
        self.exercises = exercises
        fd, self.report = tempfile.mkstemp(suffix=".xml", prefix="stagecraft-")
        os.close(fd)
        env = {**os.environ, TARGET_ENV: target, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        command = [sys.executable, "-m", "pytest", *PYTEST_ARGS,
                   f"--junitxml={self.report}", *[str(e.test_file) for e in exercises]]
        # The command is our own interpreter and our own test files: no user input.
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)

    def wait(self) -> tuple[dict[str, Result], str]:
        """Return results per exercise name, and pytest's own output."""
        try:
            output, _ = self.process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
            output = (output or "") + f"\nTimed out after {TIMEOUT_SECONDS} s."
        results = {e.name: Result() for e in self.exercises}
        for test_file, failure in read_report(Path(self.report)):
            found = exercise_for_test(Path(test_file))
            if found is None or found.name not in results:
                continue
            if failure is None:
                results[found.name].passed += 1
            else:
                results[found.name].failed += 1
                results[found.name].failures.append(failure)
        Path(self.report).unlink(missing_ok=True)
        return results, output or ""


def run(exercises: list[Exercise], target: str) -> dict[str, Result]:
    """Run and wait: the results per exercise name."""
    return Run(exercises, target).wait()[0]


def read_report(report: Path) -> list[tuple[str, Failure | None]]:
    """(test file, its failure or None) for each test that passed or failed, in
    the order they ran; skipped tests are left out.

    A test file that cannot be collected appears as one test with an error, so it
    counts as failed. An empty or partial report (pytest was killed) holds no tests.
    """
    try:
        # Our own pytest subprocess wrote this file: it is not untrusted XML.
        root = ET.parse(report).getroot()  # noqa: S314
    except (OSError, ET.ParseError):
        return []
    # A test that fails and then errors in teardown has two testcases: count it once.
    tests: dict[tuple[str, str, str], Failure | None] = {}
    for case in root.iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None and case.find("skipped") is not None:
            continue
        key = (case.get("file", ""), case.get("classname", ""), case.get("name", ""))
        if problem is not None and tests.get(key) is None:
            err = case.find("system-err")
            tests[key] = Failure(
                file=key[0], name=key[2], message=clean_message(problem.get("message") or ""),
                details=problem.text or "", stderr=err.text or "" if err is not None else "")
        else:
            tests.setdefault(key, None)
    return [(file, failure) for (file, _, _), failure in tests.items()]


def read_junit(report: Path) -> list[tuple[str, bool]]:
    """(test file, failed?) for each test that passed or failed."""
    return [(file, failure is not None) for file, failure in read_report(report)]


def clean_message(message: str) -> str:
    """pytest's message without its wrappers: 'failed on setup with "Failed: X"' is X."""
    wrapped = re.fullmatch(r'failed on (?:setup|teardown) with "(.*)"', message, re.DOTALL)
    if wrapped:
        message = wrapped[1]
    message = message.removeprefix("Failed: ")
    lines = [line for line in message.strip().splitlines()
             if not line.strip().startswith("Use -v to get")]
    return "\n".join(lines).rstrip()


def learner_traceback(text: str, learner_file: Path) -> str:
    """The learner's part of a traceback: the frames in ``learner_file``, then
    the exception. Empty when no frame is the learner's."""
    target = learner_file.resolve()
    kept, keep_next = [], False
    for line in text.splitlines():
        frame = FRAME.match(line)
        if frame:
            keep_next = Path(frame[1]).resolve() == target
            if keep_next:
                kept.append(f"{relative(target)}, line {frame[2]}, in {frame[3]}")
        elif keep_next and line.startswith("    "):
            kept.append("  " + line.strip())
            keep_next = False
    return "\n".join([*kept, last_exception(text)]).rstrip() if kept else ""


def last_exception(text: str) -> str:
    """The last ``SomeError: message`` line of a traceback, or ""."""
    return next((line for line in reversed(text.splitlines()) if EXCEPTION.match(line)), "")


def failing_line(failure: Failure) -> str:
    """``path:line: source`` of the test's own line that failed, from the traceback."""
    frame = None
    lines = failure.details.splitlines()
    for number, line in enumerate(lines):
        found = FRAME.match(line)
        if found and Path(found[1]).as_posix().endswith(failure.file):
            source = lines[number + 1].strip() if number + 1 < len(lines) else ""
            frame = f"{failure.file}:{found[2]}: {source}"
    return frame or ""

