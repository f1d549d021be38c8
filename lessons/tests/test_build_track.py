"""The maintainers' check of the build track (lessons/build/), in `make test`.

- every stage test is in exactly one step, and every step is well formed;
- every starter has the reference's interface;
- a workshop of reference packages below lesson N plus lesson N's starter fails
  step N.1 and passes every test of the stages below N;
- the full walk: from an empty workshop, start each lesson, put the reference's
  package in place as if the learner wrote it, and `check` goes green, until the
  learner's app passes the whole suite at the last stage.
"""

from __future__ import annotations

import json

import pytest

from lessons.build import checker, maintain, starter, steps, workshop
from lessons.cli import main
from reference_app import STAGES

LESSON_NUMBERS = sorted(STAGES)  # every stage of the app is a lesson on the track


@pytest.fixture
def scratch_workshop(tmp_path, monkeypatch):
    """An empty folder to hold workshop/, instead of the repository root."""
    monkeypatch.setenv(workshop.WORKSHOP_ENV, str(tmp_path))
    return tmp_path / workshop.PACKAGE


def test_every_lesson_of_the_app_has_steps():
    assert steps.numbers() == LESSON_NUMBERS


def test_every_stage_test_is_in_exactly_one_well_formed_step():
    assert maintain.manifest_problems() == []


@pytest.mark.parametrize("number", LESSON_NUMBERS)
def test_every_starter_has_the_reference_interface(number, tmp_path):
    assert maintain.starter_interface_problems(steps.load(number), tmp_path) == []


@pytest.mark.parametrize("number", LESSON_NUMBERS)
def test_a_starter_fails_its_first_step_and_keeps_the_stages_below(number, scratch_workshop):
    for lower in range(1, number):
        workshop.use_reference(lower)
    lesson = steps.load(number)
    workshop.start(lesson)
    first = checker.run_tests(list(lesson.steps[0].tests), max_stage=number, min_stage=number)
    assert first.failed(lesson.steps[0].tests), f"step {number}.1 passes on the bare starter"
    if number > 1:
        below = [test for n in range(1, number) for step in steps.load(n).steps
                 for test in step.tests]
        guard = checker.run_tests(below, max_stage=number - 1)
        assert guard.failures == []
        assert guard.passed == set(below)


def test_the_full_walk_ends_with_the_whole_suite_green(scratch_workshop, capsys):
    for number in LESSON_NUMBERS:
        assert main(["build", "start", str(number)]) == 0
        lesson = steps.load(number)
        for path, text in starter.copy_reference(lesson.package,
                                                 scratch_workshop / lesson.package).items():
            path.write_text(text, "utf-8")  # as if the learner wrote the reference's code
        assert main(["build", "check"]) == 0, capsys.readouterr().out[-3000:]
        assert f"Lesson {number} passes" in capsys.readouterr().out
    assert main(["build", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert all(row["done"] == row["steps"] for row in status["lessons"])
