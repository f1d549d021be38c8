"""What an exercise promises: its Bandit markers, its files, its public interface.

A line of vulnerable.py that Bandit should flag ends with a marker comment naming
the test IDs, for example ``# expect: B608`` or ``# expect: B404, B602``.
"""

import ast
import io
import re
import tokenize
from pathlib import Path

LAB_DIR = Path(__file__).resolve().parent
REQUIRED_FILES = ("vulnerable.py", "fixed.py", "test_exploit.py", "README.md")
MARKER = re.compile(r"#\s*expect:\s*(?P<ids>.*)$")
TEST_ID = re.compile(r"B\d{3}")

Finding = tuple[str, int]  # (Bandit test ID, line number)


def exercise_names() -> list[str]:
    """Return the exercises, in alphabetical order: every folder here with a vulnerable.py."""
    return sorted(path.parent.name for path in LAB_DIR.glob("*/vulnerable.py"))


def expected_findings(path: Path) -> tuple[set[Finding], list[str]]:
    """Return the (test ID, line) pairs marked in path, and any problems with the markers."""
    expected: set[Finding] = set()
    problems = []
    source = path.read_text(encoding="utf-8")
    # tokenize, not a text search, so that "# expect:" inside a string is not a marker.
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT or not (match := MARKER.match(token.string)):
            continue
        line = token.start[0]
        for test_id in (part.strip() for part in match["ids"].split(",")):
            if TEST_ID.fullmatch(test_id):
                expected.add((test_id, line))
            else:
                problems.append(f"{path.name}:{line}: {test_id!r} is not a Bandit test ID")
    return expected, problems


def listed_bandit_ids(name: str) -> set[str] | None:
    """Return the Bandit IDs in the lab README's table row for an exercise; None if no row."""
    for line in (LAB_DIR / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > 3 and cells[1].startswith(f"[`{name}`]"):
            return set(TEST_ID.findall(cells[3]))
    return None


def missing_files(folder: Path) -> list[str]:
    return [name for name in REQUIRED_FILES if not (folder / name).is_file()]


def public_interface(path: Path) -> dict[str, str]:
    """Return the public functions and classes of a module, each with its signature.

    Constants are left out, so that fixed.py may add an allowlist or a limit.
    """
    interface = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            interface[node.name] = f"({ast.unparse(node.args)})"
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            methods = [item.name for item in node.body if isinstance(item, ast.FunctionDef)]
            interface[node.name] = f"class with {', '.join(methods)}"
    return interface


def uses_nosec(path: Path) -> list[int]:
    """Return the lines that contain a nosec comment, which would hide findings from Bandit."""
    source = path.read_text(encoding="utf-8")
    return [
        token.start[0]
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT and "nosec" in token.string.lower()
    ]
