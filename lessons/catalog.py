"""Where the exercises live, read from the manifest ``lessons/exercises.json``.

Every exercise has one folder, ``lessons/<lesson>/exercises/<name>/``, holding
``starter.py``, ``test_<name>.py``, ``instructions.md`` and ``hints.md``. Its
solution lives apart, in ``lessons/solutions/<lesson>/<name>.py``. The
learner's own copy lives in the workspace, ``lessons/workspace/<lesson>/<name>.py``
(git-ignored; set ``STAGECRAFT_WORKSPACE`` to put it elsewhere).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

LESSONS_DIR = Path(__file__).resolve().parent
REPO_ROOT = LESSONS_DIR.parent
MANIFEST = LESSONS_DIR / "exercises.json"
SOLUTIONS_DIR = LESSONS_DIR / "solutions"
WORKSPACE_ENV = "STAGECRAFT_WORKSPACE"
TARGET_ENV = "STAGECRAFT_EXERCISE_TARGET"  # read by conftest.py

# The file a test runs against: the learner's copy, the pristine starter, or
# the reference solution. Plain `pytest lessons` uses the solution, so that the
# repository's own test run proves every solution passes.
TARGETS = ("workspace", "starter", "solution")


class CatalogError(Exception):
    """A learner's mistake (an unknown exercise or lesson): shown as one line."""


def workspace_dir() -> Path:
    return Path(os.environ.get(WORKSPACE_ENV) or LESSONS_DIR / "workspace")


def relative(path: Path) -> str:
    """Show a path relative to the repository when we can: shorter and clickable."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Exercise:
    name: str
    lesson: str
    title: str

    @property
    def folder(self) -> Path:
        return LESSONS_DIR / self.lesson / "exercises" / self.name

    @property
    def starter(self) -> Path:
        return self.folder / "starter.py"

    @property
    def test_file(self) -> Path:
        return self.folder / f"test_{self.name}.py"

    @property
    def instructions(self) -> Path:
        return self.folder / "instructions.md"

    @property
    def hints_file(self) -> Path:
        return self.folder / "hints.md"

    @property
    def solution(self) -> Path:
        return SOLUTIONS_DIR / self.lesson / f"{self.name}.py"

    @property
    def workspace_file(self) -> Path:
        return workspace_dir() / self.lesson / f"{self.name}.py"

    def target_file(self, target: str) -> Path:
        return {"workspace": self.workspace_file, "starter": self.starter,
                "solution": self.solution}[target]

    def hints(self) -> list[str]:
        """The hints, in order: each `## Hint N` section of hints.md."""
        if not self.hints_file.exists():
            return []
        sections = re.split(r"^## Hint \d+\s*$", self.hints_file.read_text("utf-8"),
                            flags=re.MULTILINE)
        return [text.strip() for text in sections[1:] if text.strip()]


def load_manifest() -> tuple[dict[str, str], list[Exercise]]:
    """Return (lesson folder -> title, exercises in course order)."""
    data = json.loads(MANIFEST.read_text("utf-8"))
    exercises = [Exercise(e["name"], e["lesson"], e["title"]) for e in data["exercises"]]
    return data["lessons"], exercises


def get(name: str) -> Exercise:
    for exercise in load_manifest()[1]:
        if exercise.name == name:
            return exercise
    raise CatalogError(f"No exercise called {name!r}. "
                       "Run `python -m lessons list` to see them all.")


def lesson_folder(arg: str) -> str:
    """Accept `4`, `04`, `04_auth` or `auth` and return `04_auth`."""
    lessons = load_manifest()[0]
    for folder in lessons:
        number, _, topic = folder.partition("_")
        if arg in (folder, topic) or (arg.isdigit() and int(arg) == int(number)):
            return folder
    raise CatalogError(f"No lesson {arg!r}. Lessons are: {', '.join(lessons)}.")


def for_lesson(arg: str) -> list[Exercise]:
    folder = lesson_folder(arg)
    return [e for e in load_manifest()[1] if e.lesson == folder]


def exercise_for_test(test_path: Path) -> Exercise | None:
    """The exercise a test file belongs to, from its folder; None for other tests."""
    folder = test_path.parent
    if folder.parent.name != "exercises":
        return None
    lesson = folder.parent.parent.name
    return Exercise(folder.name, lesson, title="")
