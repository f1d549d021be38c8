"""The maintainer check, as tests: `make test` runs these.

Every exercise is whole and listed; every starter fails its tests; every
solution passes them. See lessons/verify.py.
"""

import shutil

import pytest

from lessons import catalog, verify


def test_every_exercise_is_complete_listed_and_on_its_lesson_page():
    assert verify.structure_problems() == []


def test_every_starter_fails_and_every_solution_passes():
    assert verify.behaviour_problems() == []


@pytest.fixture
def course_copy(tmp_path, monkeypatch):
    """A scratch copy of lessons/ that the catalog reads instead of the real one."""
    copy = tmp_path / "lessons"
    shutil.copytree(catalog.LESSONS_DIR, copy,
                    ignore=shutil.ignore_patterns("workspace", "__pycache__"))
    monkeypatch.setattr(catalog, "LESSONS_DIR", copy)
    monkeypatch.setattr(catalog, "MANIFEST", copy / "exercises.json")
    monkeypatch.setattr(catalog, "SOLUTIONS_DIR", copy / "solutions")
    return copy


def test_the_copy_starts_clean(course_copy):
    assert verify.structure_problems() == []


def test_a_starter_without_a_todo_is_reported(course_copy):
    starter = course_copy / "00_http/exercises/parse_query/starter.py"
    starter.write_text(starter.read_text().replace("TODO", "NOTE"))
    assert verify.structure_problems() == ["parse_query: the starter has no TODO"]


def test_a_single_hint_is_reported(course_copy):
    (course_copy / "04_auth/exercises/jwt_tokens/hints.md").write_text("## Hint 1\n\nOnly one.\n")
    assert verify.structure_problems() == ["jwt_tokens: 1 hints; at least 2 are needed"]


def test_a_step_without_its_hint_is_reported(course_copy):
    # `check` shows hint N when a test of step N fails: jwt_tokens has four steps.
    hints = course_copy / "04_auth/exercises/jwt_tokens/hints.md"
    hints.write_text("## Hint 1\n\nOne.\n\n## Hint 2\n\nTwo.\n")
    assert verify.structure_problems() == ["jwt_tokens: 4 steps but 2 hints: hint N is for step N"]


def test_a_test_for_a_step_the_instructions_lack_is_reported(course_copy):
    tests = course_copy / "04_auth/exercises/jwt_tokens/test_jwt_tokens.py"
    tests.write_text(tests.read_text() + "\n\ndef test_9_a_step_too_far():\n    pass\n")
    assert verify.structure_problems() == [
        "jwt_tokens: tests for step 9, which the instructions do not have"]


def test_an_exercise_missing_from_its_lesson_page_is_reported(course_copy):
    page = course_copy / "02_database/index.md"
    page.write_text(page.read_text().replace("`favorite_transaction`", "favorite"))
    [problem] = verify.structure_problems()
    assert problem.startswith("favorite_transaction: not mentioned")


def test_an_exercise_folder_missing_from_the_manifest_is_reported(course_copy):
    (course_copy / "05_security/exercises/rate_limit").mkdir()
    [problem] = verify.structure_problems()
    assert problem.startswith("rate_limit: has a folder but is not in")


def test_a_missing_solution_is_reported(course_copy):
    (course_copy / "solutions/06_caching/ttl_cache.py").unlink()
    [problem] = verify.structure_problems()
    assert problem.startswith("ttl_cache: missing") and problem.endswith("ttl_cache.py")
