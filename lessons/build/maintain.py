"""The maintainers' checks that keep the build track honest (run by ``make test``).

- every stage test belongs to exactly one step, of the lesson where it starts;
- every step has instructions, a page section that exists, and two hints or more;
- every starter has the reference's interface (checked with ``inspect``);
- a starter fails its lesson's first step, and implementing the steps in order
  turns each one green (the walks live in lessons/tests/test_build_track.py).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
from pathlib import Path

from lessons.build import starter, steps

TESTS_DIR = steps.REPO_ROOT / "tests"


def first_stage(decorators, default):
    for decorator in decorators:
        text = ast.unparse(decorator)
        match = re.fullmatch(r"pytest\.mark\.stage\((\d+)\)", text)
        if match:
            return int(match.group(1))
    return default


def stage_tests() -> dict[str, int]:
    """{"test_file.py::test_name": the stage it starts at}, for every stage test."""
    found = {}
    for path in sorted(TESTS_DIR.glob("test_*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        module_stage = None
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                    getattr(target, "id", "") == "pytestmark" for target in node.targets):
                module_stage = first_stage([node.value], None)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                stage = first_stage(node.decorator_list, module_stage)
                if stage is not None:
                    found[f"{path.name}::{node.name}"] = stage
    return found


def anchors(page: Path) -> set[str]:
    """The heading anchors MkDocs makes for a page (lowercase, hyphens)."""
    result = set()
    for line in page.read_text("utf-8").splitlines():
        match = re.match(r"#{1,6}\s+(.*?)\s*(\{#([\w-]+)\})?$", line)
        if match:
            result.add("#" + (match.group(3) or slug(match.group(1))))
    return result


def slug(heading: str) -> str:
    text = re.sub(r"[^\w\s-]", "", heading.lower().replace("`", "")).strip()
    return re.sub(r"[\s]+", "-", text)


def manifest_problems() -> list[str]:
    """Everything wrong with the steps' manifests; empty when all is well."""
    problems, owners = [], {}
    tests = stage_tests()
    for lesson in steps.all_lessons():
        if not 4 <= len(lesson.steps) <= 10:
            problems.append(f"lesson {lesson.number} has {len(lesson.steps)} steps, not 4 to 10")
        sections = anchors(lesson.page)
        for number, step in enumerate(lesson.steps, start=1):
            where = f"step {step.id}"
            if step.id != f"{lesson.number}.{number}":
                problems.append(f"{where} should be numbered {lesson.number}.{number}")
            if len(step.hints) < 2:
                problems.append(f"{where} has fewer than two hints")
            if step.section not in sections:
                problems.append(f"{where}'s section {step.section} is not a heading of "
                                f"{lesson.page_url}")
            for test in step.tests:
                owners.setdefault(test, []).append(step.id)
                if test not in tests:
                    problems.append(f"{where} names {test}, which is not a stage test")
                elif tests[test] != lesson.number:
                    problems.append(f"{where} names {test}, which starts at stage "
                                    f"{tests[test]}, not {lesson.number}")
    for test, stage in sorted(tests.items()):
        if stage not in steps.numbers():  # a lesson with no steps yet
            continue
        count = len(owners.get(test, []))
        if count != 1:
            problems.append(f"{test} (stage {stage}) is in {count} steps, not exactly one")
    return problems


def interface(package: str) -> dict[str, str]:
    """{"module:name": signature and docstring} for every public function and class."""
    root = importlib.import_module(package)
    found = {}
    for path in sorted(Path(root.__file__).parent.rglob("*.py")):
        if not path.stem.isidentifier():
            continue  # gunicorn.conf.py: a config file, read by path, never imported
        relative = path.relative_to(Path(root.__file__).parent).with_suffix("")
        name = ".".join((package, *relative.parts)).removesuffix(".__init__")
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if getattr(value, "__module__", None) != module.__name__:
                continue  # imported from elsewhere
            if inspect.isclass(value):
                for method, function in vars(value).items():
                    if inspect.isfunction(function):
                        found[f"{relative}:{attribute}.{method}"] = describe(function)
                found[f"{relative}:{attribute}"] = inspect.getdoc(value) or ""
            elif inspect.isfunction(value):
                found[f"{relative}:{attribute}"] = describe(value)
    return found


def describe(function) -> str:
    return f"{inspect.signature(function)}\n{inspect.getdoc(function) or ''}"


def starter_interface_problems(lesson: steps.Lesson, scratch: Path) -> list[str]:
    """Write lesson's starter into ``scratch/starter_check/<package>`` and compare."""
    package_root = scratch / "starter_check"
    files = starter.write_starter(lesson, package_root / lesson.package)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    # The starter's relative imports reach the core and lower lessons: give it the
    # reference's, by making the scratch package a view of reference_app.
    (package_root / "__init__.py").write_text("", "utf-8")
    sys.path.insert(0, str(scratch))
    try:
        import reference_app

        view = importlib.import_module("starter_check")
        view.__path__.append(str(Path(reference_app.__file__).parent))
        # Defaults that are paths name the folder they sit in: compare them as if
        # the starter sat where the reference does.
        here, there = str(package_root), str(Path(reference_app.__file__).parent)
        ours = {key: value.replace(here, there)
                for key, value in interface(f"starter_check.{lesson.package}").items()}
        theirs = interface(f"reference_app.{lesson.package}")
    finally:
        sys.path.remove(str(scratch))
        for name in [n for n in sys.modules if n.startswith("starter_check")]:
            del sys.modules[name]
    return [f"lesson {lesson.number}: {key} differs from the reference"
            for key in sorted(set(ours) | set(theirs)) if ours.get(key) != theirs.get(key)]


def walk_problems(number: int) -> list[str]:
    """Play a learner through lesson ``number``, one step at a time.

    A workshop holds the reference's packages below the lesson and its starter
    with steps 1..k done, as the reference wrote them. After each k, steps 1..k
    must pass, and step k+1 must not (so the bare starter fails step 1). Needs
    STAGECRAFT_WORKSHOP_ROOT set to a scratch folder.
    """
    from lessons.build import checker, workshop

    for lower in range(1, number):
        workshop.use_reference(lower)
    lesson = steps.load(number)
    workshop.start(lesson)
    target = workshop.folder() / lesson.package
    tests = [test for step in lesson.steps for test in step.tests]
    problems = []
    for k in range(len(lesson.steps) + 1):
        done = tuple(step.id for step in lesson.steps[:k])
        for path, text in starter.write_starter(lesson, target, done=done).items():
            path.write_text(text, "utf-8")
        outcome = checker.run_tests(tests, max_stage=number, min_stage=number)
        passed = set(checker.passed_steps(lesson, outcome))
        if k < len(lesson.steps) and lesson.steps[k].id in passed:
            # A step whose tests pass before its code is written checks nothing of it.
            problems.append(f"step {lesson.steps[k].id} passes before it is written")
        for step in lesson.steps[:k]:
            if step.id not in passed:  # failed, or never ran: both are problems
                failure = (outcome.failed(step.tests) or [checker.Failure("", "did not run")])[0]
                problems.append(f"with steps {done[0]}..{done[-1]} done, step {step.id} "
                                f"fails {failure.test}: {failure.message[:300]}")
    return problems
