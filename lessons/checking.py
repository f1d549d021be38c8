"""Run exercise tests in a pytest subprocess and read back per-exercise results.

One subprocess runs any number of exercises: `conftest.py` switches the file
under test (``STAGECRAFT_EXERCISE_TARGET``), and pytest's own JUnit XML report
(``--junitxml``) says which tests passed and failed, and in which test file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from lessons.catalog import LESSONS_DIR, REPO_ROOT, TARGET_ENV, Exercise, exercise_for_test

# Isolate the run from the project's pytest settings (its addopts may ask for
# coverage or other plugins): no config file, conftests only from lessons/, and
# no third-party plugins, which also makes start-up faster.
PYTEST_ARGS = ["-c", os.devnull, "--rootdir", str(REPO_ROOT), "--confcutdir", str(LESSONS_DIR),
               "-p", "no:cacheprovider", "-p", "no:warnings", "--no-header",
               # A test file that cannot be collected fails its own exercise, not the others.
               "--continue-on-collection-errors",
               # xunit1 keeps each testcase's `file`, which names its exercise.
               "-o", "junit_family=xunit1"]
TIMEOUT_SECONDS = 120  # a starter with an endless loop must not hang the runner


@dataclass
class Result:
    passed: int = 0
    failed: int = 0

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.passed > 0


class Run:
    """A pytest subprocess over some exercises, against one target."""

    def __init__(self, exercises: list[Exercise], target: str, capture: bool):
        self.exercises = exercises
        fd, self.report = tempfile.mkstemp(suffix=".xml", prefix="stagecraft-")
        os.close(fd)
        env = {**os.environ, TARGET_ENV: target, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        verbosity = ["-q", "--tb=line"] if capture else ["-q", "--tb=short"]
        command = [sys.executable, "-m", "pytest", *PYTEST_ARGS, *verbosity,
                   f"--junitxml={self.report}", *[str(e.test_file) for e in exercises]]
        output = subprocess.PIPE if capture else None
        sys.stdout.flush()  # our own lines first, then pytest's, even through a pipe
        # The command is our own interpreter and our own test files: no user input.
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=REPO_ROOT, env=env, stdout=output,
            stderr=subprocess.STDOUT if capture else None, text=True)

    def wait(self) -> tuple[dict[str, Result], str]:
        """Return results per exercise name, and the captured output (if any)."""
        try:
            output, _ = self.process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
            output = (output or "") + f"\nTimed out after {TIMEOUT_SECONDS} s."
        results = {e.name: Result() for e in self.exercises}
        for test_file, failed in read_junit(Path(self.report)):
            found = exercise_for_test(Path(test_file))
            if found is not None and found.name in results:
                if failed:
                    results[found.name].failed += 1
                else:
                    results[found.name].passed += 1
        Path(self.report).unlink(missing_ok=True)
        return results, output or ""


def read_junit(report: Path) -> list[tuple[str, bool]]:
    """(test file, failed?) for each test that passed or failed; skipped tests are left out.

    A test file that cannot be collected appears as one test with an error, so it
    counts as failed. An empty or partial report (pytest was killed) holds no tests.
    """
    try:
        # Our own pytest subprocess wrote this file: it is not untrusted XML.
        root = ET.parse(report).getroot()  # noqa: S314
    except (OSError, ET.ParseError):
        return []
    # A test that fails and then errors in teardown has two testcases: count it once.
    failed: dict[tuple[str, str, str], bool] = {}
    for case in root.iter("testcase"):
        tags = {child.tag for child in case}
        bad = bool(tags & {"failure", "error"})
        if bad or "skipped" not in tags:
            key = (case.get("file", ""), case.get("classname", ""), case.get("name", ""))
            failed[key] = failed.get(key, False) or bad
    return [(file, bad) for (file, _, _), bad in failed.items()]


def run(exercises: list[Exercise], target: str) -> dict[str, Result]:
    """Run in the foreground, with pytest's output going straight to the terminal."""
    return Run(exercises, target, capture=False).wait()[0]
