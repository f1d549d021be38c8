"""A lesson's starter, made from the reference package itself.

The starter is the reference package with the same public interface (its
modules, ``install``, classes, signatures and docstrings) and, for each
function a step lists under ``implement``, the body replaced by one line:

    raise NotImplementedError("Step 1.2: ... (lessons/01_routing/index.md#...)")

Everything else (install, constants, SQL, templates) is given, so the app
starts and each missing body fails only the tests of its own step. Making
the starter from the reference means it can never drift from it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from lessons.build.steps import REPO_ROOT, Lesson, Step

REFERENCE = REPO_ROOT / "reference_app"
MARKER = "# --8<--"  # the docs' section markers: noise in a learner's file


def stubbed_source(source: str, stubs: dict[str, Step], where: str) -> str:
    """``source`` with the body of each function named in ``stubs`` replaced.

    ``stubs`` maps qualified names (``MemoryStore.list_articles``) to steps.
    Lines are cut by their numbers in the syntax tree, so every comment and
    blank line outside a replaced body stays exactly as the reference has it.
    """
    lines = source.splitlines(keepends=True)
    found = {}
    for qualname, node in functions(ast.parse(source)):
        if qualname in stubs:
            found[qualname] = node
    missing = set(stubs) - set(found)
    if missing:
        raise ValueError(f"{where} has no function {', '.join(sorted(missing))}")
    # From the bottom up, so earlier line numbers stay valid.
    for qualname, node in sorted(found.items(), key=lambda item: -item[1].lineno):
        first = node.body[0]
        if first.lineno == node.lineno:
            raise ValueError(f"{where}: {qualname} is on one line; give it a body of its own")
        has_docstring = (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                         and isinstance(first.value.value, str))
        # Line numbers count from 1: keep the docstring, cut the rest of the body.
        start = first.end_lineno if has_docstring else first.lineno - 1
        step = stubs[qualname]
        message = f"Step {step.id}: {step.title} ({qualname})"
        lines[start:node.end_lineno] = [
            " " * first.col_offset + f"raise NotImplementedError({message!r})\n"]
    text = "".join(line for line in lines if MARKER not in line)
    ast.parse(text)  # a starter must always be valid Python
    return text


def functions(tree: ast.Module, prefix: str = ""):
    """(qualified name, node) for every function and method, outermost first."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node
        elif isinstance(node, ast.ClassDef):
            yield from functions(node, prefix + node.name + ".")


def write_starter(lesson: Lesson, target: Path, done: tuple[str, ...] = ()) -> dict[Path, str]:
    """Lesson's starter as {path under ``target``: text}, to write there.

    Python modules are stubbed; templates, SQL and data files are copied as they
    are. ``done`` names steps to leave as the reference wrote them: the
    maintainers' walk uses it to play a learner who has finished those steps.
    """
    source_dir = REFERENCE / lesson.package
    by_module: dict[str, dict[str, Step]] = {}
    for name, step in lesson.stubs().items():
        if step.id in done:
            continue
        module, _, qualname = name.partition(":")
        by_module.setdefault(module, {})[qualname] = step
    unknown = set(by_module) - {p.relative_to(source_dir).as_posix()
                                for p in source_dir.rglob("*.py")}
    if unknown:
        raise ValueError(f"lesson {lesson.number}'s steps name missing modules: {unknown}")
    written = {}
    for path in sorted(source_dir.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(source_dir)
        if path.suffix == ".py":
            text = stubbed_source(path.read_text(encoding="utf-8"),
                                 by_module.get(relative.as_posix(), {}),
                                 f"{lesson.package}/{relative}")
        else:
            text = None
        destination = target / relative
        written[destination] = text if text is not None else path.read_text(encoding="utf-8")
    return written


def copy_reference(package: str, target: Path) -> dict[Path, str]:
    """The reference package itself, for a lesson the learner chooses to skip."""
    source_dir = REFERENCE / package
    return {target / path.relative_to(source_dir): path.read_text(encoding="utf-8")
            for path in sorted(source_dir.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts}

