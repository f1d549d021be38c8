"""The learner's app, ``workshop/``: the reference's layout, the learner's code.

``workshop/__init__.py`` builds the app with the reference's ``create_app``,
from the lesson packages in ``workshop/``. Its core is the reference's core,
re-exported module by module, so a lesson package's ``from ..core.web import
api_error`` works unchanged in either app. ``start N`` writes lesson N's
starter into ``workshop/<package>/``, and never overwrites a file the learner
has changed. The workshop is the learner's work: commit it to your fork.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from lessons.build import starter
from lessons.build.steps import REPO_ROOT, Lesson, StepsError
from reference_app import LESSONS

WORKSHOP_ENV = "STAGECRAFT_WORKSHOP_ROOT"  # the folder that holds workshop/ (tests use a temp one)
PACKAGE = "workshop"
STATE = ".build.json"

INIT = '''"""My Stagecraft app, built lesson by lesson (python -m lessons build ...).

The reference's create_app composes the lesson packages in this folder.
"""

from reference_app import LAST_STAGE, LESSONS, STAGES, Settings
from reference_app import create_app as compose


def create_app(stage: int = LAST_STAGE, settings: Settings | None = None):
    """My app after lesson ``stage``, from my own lesson packages."""
    return compose(stage, settings, package=__name__)


__all__ = ["LAST_STAGE", "LESSONS", "STAGES", "Settings", "create_app"]
'''
CORE_MODULE = '''"""The reference's core, shared as it is: the lessons build on it."""

from reference_app.core.{name} import *  # noqa: F403
'''


def root() -> Path:
    return Path(os.environ.get(WORKSHOP_ENV) or REPO_ROOT)


def folder() -> Path:
    return root() / PACKAGE


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def load_state() -> dict:
    path = folder() / STATE
    state = json.loads(path.read_text("utf-8")) if path.exists() else {}
    state.setdefault("lesson", 0)
    state.setdefault("written", {})     # relative path -> fingerprint of what we wrote
    state.setdefault("reference", [])   # lessons taken from the reference unchanged
    state.setdefault("passed", {})      # lesson -> step ids that passed
    state.setdefault("fails", {})       # step id -> failed checks in a row (for hints)
    return state


def save_state(state: dict) -> None:
    (folder() / STATE).write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", "utf-8")


def core_files() -> dict[Path, str]:
    core = REPO_ROOT / "reference_app" / "core"
    files = {folder() / "__init__.py": INIT,
             folder() / "core" / "__init__.py": "from reference_app.core import *  # noqa: F403\n"}
    for module in sorted(core.glob("*.py")):
        if module.name != "__init__.py":
            files[folder() / "core" / module.name] = CORE_MODULE.format(name=module.stem)
    return files


def write_files(files: dict[Path, str], state: dict) -> tuple[list[Path], list[Path]]:
    """Write ``files``, except where the learner changed what we wrote (or made their
    own). Returns (written, kept)."""
    written, kept = [], []
    for path, text in files.items():
        key = path.relative_to(folder()).as_posix()
        if path.exists():
            current = fingerprint(path.read_text("utf-8"))
            if current == fingerprint(text):
                continue
            if state["written"].get(key) != current:  # not ours as we left it: theirs
                kept.append(path)
                continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        state["written"][key] = fingerprint(text)
        written.append(path)
    return written, kept


def start(lesson: Lesson) -> tuple[list[Path], list[Path]]:
    """Create the workshop if needed, then write lesson's starter package."""
    check_lower_lessons(lesson.number)
    state = load_state()
    files = core_files()
    files.update(starter.write_starter(lesson, folder() / lesson.package))
    result = write_files(files, state)
    state["lesson"] = max(state["lesson"], lesson.number)
    save_state(state)
    return result


def use_reference(number: int) -> tuple[list[Path], list[Path]]:
    """Skip lesson ``number``: put the reference's package in the workshop, unchanged."""
    check_lower_lessons(number)
    state = load_state()
    files = core_files()
    files.update(starter.copy_reference(package_of(number), folder() / package_of(number)))
    result = write_files(files, state)
    state["reference"] = sorted(set(state["reference"]) | {number})
    save_state(state)
    return result


def check_lower_lessons(number: int) -> None:
    missing = [n for n in range(1, number) if not (folder() / package_of(n)).exists()]
    if missing:
        raise StepsError(f"lesson {number} builds on lesson {missing[0]}: start that "
                         f"first, or skip it with --use-reference {missing[0]}")


def package_of(number: int) -> str:
    return LESSONS[number][1]


def current_lesson() -> int:
    """The lesson the learner works on: the last one they started themselves."""
    if not folder().exists():
        raise StepsError("there is no workshop yet: run  python -m lessons build start 1")
    lesson = load_state()["lesson"]
    if not lesson:
        raise StepsError("no lesson started yet: run  python -m lessons build start 1")
    return lesson
