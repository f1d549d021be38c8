"""Each lesson's steps, from its manifest ``lessons/NN_*/steps.toml``.

A step is a small increment of one lesson package: what to build, where the
lesson page explains it, hints for when you are stuck, the functions the
starter leaves to you, and the stage tests that define "done".
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib

LESSONS_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = LESSONS_DIR.parent


class StepsError(Exception):
    """A learner's mistake with the build track (an unknown lesson): one line."""


@dataclass(frozen=True)
class Step:
    id: str                 # "3.2": lesson 3, step 2
    title: str
    section: str            # an anchor on the lesson page, such as "#validation"
    instructions: str
    hints: tuple[str, ...]
    implement: tuple[str, ...]  # "module.py:Qualified.name" bodies left to the learner
    tests: tuple[str, ...]      # "test_file.py::test_name"


@dataclass(frozen=True)
class Lesson:
    number: int
    title: str
    package: str            # the package's name in reference_app/ and workshop/
    page: Path              # lessons/NN_*/index.md
    challenge: str          # a stretch goal beyond the page
    steps: tuple[Step, ...] = field(default=())

    @property
    def page_url(self) -> str:
        return f"{self.page.relative_to(REPO_ROOT).as_posix()}"

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise StepsError(f"lesson {self.number} has no step {step_id}")

    def stubs(self) -> dict[str, Step]:
        """{"module.py:name": the step that implements it}."""
        return {target: step for step in self.steps for target in step.implement}


def load(number: int) -> Lesson:
    """Lesson ``number``'s steps; StepsError if the track has no such lesson."""
    matches = sorted(LESSONS_DIR.glob(f"{number:02d}_*/steps.toml"))
    if not matches:
        raise StepsError(f"the build track has no lesson {number}: choose 1 to {last()}")
    path = matches[0]
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    steps = tuple(
        Step(id=s["id"], title=s["title"], section=s["section"],
             instructions=s["instructions"].strip(), hints=tuple(s["hints"]),
             implement=tuple(s.get("implement", ())), tests=tuple(s["tests"]))
        for s in data["steps"])
    return Lesson(number=number, title=data["title"], package=data["package"],
                  page=path.parent / "index.md", challenge=data["challenge"].strip(),
                  steps=steps)


def numbers() -> list[int]:
    """The lessons that have steps, in order."""
    return sorted(int(path.parent.name[:2]) for path in LESSONS_DIR.glob("[0-9][0-9]_*/steps.toml"))


def last() -> int:
    return max(numbers(), default=0)


def all_lessons() -> list[Lesson]:
    return [load(number) for number in numbers()]
