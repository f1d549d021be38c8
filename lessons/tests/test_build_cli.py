"""What a learner sees from `python -m lessons build ...`, on lesson 1."""

from __future__ import annotations

import json

import pytest

from lessons.build import workshop
from lessons.cli import main


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A scratch folder that holds workshop/, as the repository root would."""
    monkeypatch.setenv(workshop.WORKSHOP_ENV, str(tmp_path))
    return tmp_path / workshop.PACKAGE


def run(capsys, *argv) -> tuple[int, str]:
    code = main(["build", *argv])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_start_1_creates_the_workshop_with_the_starter(home, capsys):
    code, out = run(capsys, "start", "1")
    assert code == 0 and "workshop/routing/" in out
    assert (home / "__init__.py").is_file() and (home / "core" / "web.py").is_file()
    routes = (home / "routing" / "routes.py").read_text()
    assert "raise NotImplementedError('Step 1.1" in routes
    assert "--8<--" not in routes  # the docs' markers are not the learner's business


def test_start_never_overwrites_what_the_learner_changed(home, capsys):
    run(capsys, "start", "1")
    mine = home / "routing" / "routes.py"
    mine.write_text(mine.read_text() + "\n# my notes\n")
    untouched = home / "routing" / "pages.py"
    untouched.unlink()
    code, out = run(capsys, "start", "1")
    assert code == 0
    assert "kept your" in out and "routing/routes.py" in out
    assert mine.read_text().endswith("# my notes\n")
    assert untouched.is_file()  # a file the learner lost comes back


def test_a_later_lesson_needs_the_ones_below(home, capsys):
    run(capsys, "start", "1")
    code, out = run(capsys, "start", "3")
    assert code == 2 and "lesson 2" in out and "--use-reference 2" in out


def test_use_reference_skips_a_lesson_with_the_reference_package(home, capsys):
    code, _ = run(capsys, "start", "2", "--use-reference", "1")
    assert code == 0
    assert "NotImplementedError" not in (home / "routing" / "routes.py").read_text()
    assert "NotImplementedError" in (home / "database" / "store.py").read_text()


def test_check_names_the_step_its_test_the_learners_exception_and_a_hint(home, capsys):
    run(capsys, "start", "1")
    code, out = run(capsys, "check")
    assert code == 1
    assert "Step 1.1 of lesson 1" in out
    assert "lessons/01_routing/index.md#" in out           # where the page explains it
    assert "First failing test: test_" in out
    assert "Your code raised:" in out and "workshop/routing/" in out
    assert "NotImplementedError: Step 1.1" in out
    assert "Hint 1 of" in out
    _, again = run(capsys, "check")
    assert "Hint 2 of" in again                           # a further hint each time


def test_hint_and_status(home, capsys):
    run(capsys, "start", "1")
    code, out = run(capsys, "hint")
    assert code == 0 and "Step 1.1" in out and "Hint 1 of" in out
    code, out = run(capsys, "status", "--json")
    status = json.loads(out)
    assert status["current"] == 1
    assert status["lessons"][0]["done"] == 0 and status["lessons"][0]["started"]


def test_diff_before_the_lesson_passes_warns(home, capsys):
    run(capsys, "start", "1")
    code, out = run(capsys, "diff", "1")
    assert code == 0 and "WARNING" in out and "reference_app/routing/routes.py" in out


def test_check_without_a_workshop_is_one_clear_line(home, capsys):
    code, out = run(capsys, "check")
    assert code == 2 and "build start 1" in out and "Traceback" not in out
