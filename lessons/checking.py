"""Run exercise tests in a pytest subprocess and read back per-exercise results.

One subprocess runs any number of exercises: `conftest.py` switches the file
under test (``STAGECRAFT_EXERCISE_TARGET``) and writes a small JSON report
(``STAGECRAFT_EXERCISE_REPORT``) of passed and failed tests per exercise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lessons.catalog import LESSONS_DIR, REPO_ROOT, REPORT_ENV, TARGET_ENV, Exercise

# Isolate the run from the project's pytest settings (its addopts may ask for
# coverage or other plugins): no config file, conftests only from lessons/, and
# no third-party plugins, which also makes start-up faster.
PYTEST_ARGS = ["-c", os.devnull, "--rootdir", str(REPO_ROOT), "--confcutdir", str(LESSONS_DIR),
               "-p", "no:cacheprovider", "-p", "no:warnings", "--no-header"]
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
        fd, self.report = tempfile.mkstemp(suffix=".json", prefix="stagecraft-")
        os.close(fd)
        env = {**os.environ, TARGET_ENV: target, REPORT_ENV: self.report,
               "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        verbosity = ["-q", "--tb=line"] if capture else ["-q", "--tb=short"]
        command = [sys.executable, "-m", "pytest", *PYTEST_ARGS, *verbosity,
                   *[str(e.test_file) for e in exercises]]
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
        report = Path(self.report)
        raw = json.loads(report.read_text("utf-8") or "{}") if report.exists() else {}
        report.unlink(missing_ok=True)
        results = {e.name: Result(**raw.get(e.name, {})) for e in self.exercises}
        return results, output or ""


def run(exercises: list[Exercise], target: str) -> dict[str, Result]:
    """Run in the foreground, with pytest's output going straight to the terminal."""
    return Run(exercises, target, capture=False).wait()[0]
