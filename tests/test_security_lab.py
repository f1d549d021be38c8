"""The security lab proves every exercise, and its checker says so in one line.

It runs the lab the way a learner and CI do, with `python -m security_checks`,
in a subprocess: the lab runs its own pytest (with its own pytest.ini) and
Bandit, and takes a few seconds.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_lab(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "security_checks", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_every_security_exercise_passes_its_checker():
    result = run_lab()
    *exercises, last = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"\d+ passed, 0 failed", last)
    assert int(last.split()[0]) == len(exercises) >= 10


def test_an_unfixed_vulnerable_py_fails_the_learners_check():
    result = run_lab("sql_injection", "--mine")
    assert result.returncode == 1
    assert "the exploit still works against vulnerable.py" in result.stdout
    assert "bandit still reports B608" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 passed, 1 failed"


def test_an_unknown_exercise_is_one_line_and_exit_status_2():
    result = run_lab("sql_injectoin")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "python -m security_checks: no exercise named 'sql_injectoin'; did you mean sql_injection?"
    ]
