"""Check exercises: Bandit against the expect markers, and the exploit tests in both directions.

Bandit runs once over all the files, with JSON output, and pytest runs once over
all the exercises; the two run side by side. Every Bandit finding counts, whatever
its severity or confidence, and ``--ignore-nosec`` means a ``# nosec`` hides nothing.
"""

import ast
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from security_checks.expectations import (
    LAB_DIR,
    Finding,
    expected_findings,
    listed_bandit_ids,
    missing_files,
    public_interface,
    uses_nosec,
)

TIMEOUT = 600  # seconds; only a hung exercise comes near it


@dataclass
class Verdict:
    exercise: str
    summary: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def check(names: list[str], mine: bool = False) -> list[Verdict]:
    """Check the named exercises. With mine, check a learner's fix of vulnerable.py."""
    files = [LAB_DIR / name / stem for name in names for stem in ("vulnerable.py", "fixed.py")]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        # No plugin autoloading: the lab needs none, and it keeps the run fast and
        # independent of whatever else is installed.
        env = os.environ | {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        pytest_run = subprocess.Popen(pytest_command(names, report, mine), **_pipes(), env=env)
        bandit_run = subprocess.Popen(bandit_command([f for f in files if f.is_file()]), **_pipes())
        bandit_output, bandit_errors = bandit_run.communicate(timeout=TIMEOUT)
        pytest_output, pytest_errors = pytest_run.communicate(timeout=TIMEOUT)
        tests = json.loads(report.read_text()) if report.exists() else None
    findings, scan_problems = parse_bandit(bandit_output, bandit_errors)
    verdicts = []
    for name in names:
        verdict = Verdict(name)
        verdict.problems += [p for at, p in scan_problems.items() if at in (None, LAB_DIR / name)]
        if tests is None:
            tail = (pytest_output + pytest_errors).strip()[-300:]
            verdict.problems.append(f"pytest did not run: {tail}")
        elif mine:
            judge_mine(verdict, findings, [t for t in tests if t["exercise"] == name])
        else:
            judge_exercise(verdict, findings, [t for t in tests if t["exercise"] == name])
        verdicts.append(verdict)
    return verdicts


def _pipes() -> dict:
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return pipes | {"text": True, "cwd": LAB_DIR.parent}


def pytest_command(names: list[str], report: Path, mine: bool) -> list[str]:
    # -c: the lab's own pytest.ini, whatever the repository's configuration says.
    command = [sys.executable, "-m", "pytest", "-c", str(LAB_DIR / "pytest.ini"), "-q"]
    command += ["-p", "no:cacheprovider", "--continue-on-collection-errors"]
    command += ["--lab-report", str(report), *(["--mine"] if mine else [])]
    return command + [str(LAB_DIR / name) for name in names]


def bandit_command(files: list[Path]) -> list[str]:
    return [sys.executable, "-m", "bandit", "-f", "json", "-q", "--ignore-nosec", *map(str, files)]


def parse_bandit(output: str, errors: str) -> tuple[dict[Path, set[Finding]], dict]:
    """Return the findings per file, and problems per exercise folder (None: every folder)."""
    try:
        data = json.loads(output)
    except json.JSONDecodeError:
        return {}, {None: f"bandit did not run: {(errors or output).strip()[-300:]}"}
    findings: dict[Path, set[Finding]] = {}
    for result in data["results"]:
        finding = (result["test_id"], result["line_number"])
        findings.setdefault(Path(result["filename"]).resolve(), set()).add(finding)
    problems = {}
    for error in data["errors"]:
        path = Path(error["filename"]).resolve()
        problems[path.parent] = f"bandit could not scan {path.name}: {error['reason']}"
    return findings, problems


def judge_exercise(verdict: Verdict, findings: dict[Path, set[Finding]], tests: list) -> None:
    """The maintainer's check: exploits work on vulnerable.py only, legit use works on both."""
    folder = LAB_DIR / verdict.exercise
    if missing := missing_files(folder):
        verdict.problems.append(f"missing {', '.join(missing)}")
        if "fixed.py" in missing:
            return
    judge_tests(verdict, tests, ["vulnerable", "fixed"])
    vulnerable, fixed = folder / "vulnerable.py", folder / "fixed.py"
    if unparsable := [problem for path in (vulnerable, fixed) if (problem := syntax_error(path))]:
        verdict.problems += unparsable
        return
    expected = judge_bandit(verdict, findings, vulnerable, fixed)
    ours, theirs = public_interface(vulnerable), public_interface(fixed)
    if differ := sorted(n for n in ours.keys() | theirs.keys() if ours.get(n) != theirs.get(n)):
        verdict.problems.append(f"vulnerable.py and fixed.py differ in: {', '.join(differ)}")
    judge_docs(verdict, folder / "README.md", {test_id for test_id, _ in expected})
    if verdict.passed:
        exploits, legits = count_tests(tests, ["vulnerable", "fixed"])
        marks = [f"{test_id}@{line}" for test_id, line in sorted(expected, key=_by_line)]
        bandit = ", ".join(marks) or "none"
        verdict.summary = f"exploit tests {exploits}, legit tests {legits}, bandit {bandit}"


def judge_bandit(verdict: Verdict, findings: dict, vulnerable: Path, fixed: Path) -> set[Finding]:
    """Hold vulnerable.py to exactly its marked findings, and fixed.py to none. Return the marks."""
    expected, marker_problems = expected_findings(vulnerable)
    verdict.problems += marker_problems
    found = findings.get(vulnerable, set())
    for test_id, line in sorted(expected - found, key=_by_line):
        verdict.problems.append(f"bandit does not report {test_id} at vulnerable.py:{line}")
    for test_id, line in sorted(found - expected, key=_by_line):
        verdict.problems.append(
            f"bandit reports {test_id} at vulnerable.py:{line}, which has no '# expect: {test_id}'"
        )
    for test_id, line in sorted(findings.get(fixed, set()), key=_by_line):
        verdict.problems.append(f"bandit reports {test_id} at fixed.py:{line}; it must be clean")
    if expected_findings(fixed)[0]:
        verdict.problems.append("fixed.py has expect markers, but it must have no findings")
    for path in (vulnerable, fixed):
        verdict.problems += [f"{path.name}:{line} has a nosec comment" for line in uses_nosec(path)]
    return expected


def judge_docs(verdict: Verdict, readme: Path, expected_ids: set[str]) -> None:
    """The exercise's README and the lab README's table must agree with the markers."""
    text = readme.read_text(encoding="utf-8") if readme.is_file() else None
    for word in ["ASVS", "Bandit", *sorted(expected_ids)]:
        if text is not None and word not in text:
            verdict.problems.append(f"README.md does not mention {word}")
    listed = listed_bandit_ids(verdict.exercise)
    if listed is None:
        verdict.problems.append("the lab README's table has no row for this exercise")
    elif listed != expected_ids:
        table, marks = (", ".join(sorted(ids)) or "none" for ids in (listed, expected_ids))
        verdict.problems.append(f"the lab README's table says Bandit {table}; markers say {marks}")


def judge_mine(verdict: Verdict, findings: dict[Path, set[Finding]], tests: list) -> None:
    """The learner's check: vulnerable.py, as they fixed it, now behaves like fixed.py."""
    vulnerable = LAB_DIR / verdict.exercise / "vulnerable.py"
    for test_id, line in sorted(findings.get(vulnerable, set()), key=_by_line):
        verdict.problems.append(f"bandit still reports {test_id} at vulnerable.py:{line}")
    judge_tests(verdict, tests, ["mine"])
    if verdict.passed:
        exploits, legits = count_tests(tests, ["mine"])
        verdict.summary = (
            f"your fix holds: {exploits} exploit(s) blocked, {legits} legit test(s) pass, "
            "bandit clean"
        )
    else:
        verdict.summary = "not fixed yet"


def judge_tests(verdict: Verdict, tests: list[dict], targets: list[str]) -> None:
    """Add a problem for each test that did not pass, and for a missing kind of test."""
    failures: dict[str, list[str]] = {}  # "outcome: message" -> the tests that ended so
    for test in tests:
        if test["outcome"] != "passed" or test["target"] not in targets:
            test_id = f"{test['test']}[{test['target']}]" if test["target"] else test["test"]
            failure = f"{test['outcome']}: {test['message']}".rstrip(": ")
            failures.setdefault(failure, []).append(test_id)
    for failure, test_ids in failures.items():
        # One broken import fails every test the same way: say it once.
        who = test_ids[0] if len(test_ids) == 1 else f"{len(test_ids)} tests"
        verdict.problems.append(f"{who} {failure}")
    names = {test["test"] for test in tests if test["target"] in targets}
    if odd := sorted(n for n in names if not n.startswith(("test_exploit_", "test_legit_"))):
        verdict.problems.append(f"name tests test_exploit_* or test_legit_*, not {', '.join(odd)}")
    if 0 in count_tests(tests, targets):
        verdict.problems.append("an exercise needs a test_exploit_* test and a test_legit_* test")


def count_tests(tests: list[dict], targets: list[str]) -> tuple[int, int]:
    """Return the number of exploit tests and of legit tests, counting each test once."""
    names = {test["test"] for test in tests if test["target"] in targets}
    exploits = sum(name.startswith("test_exploit_") for name in names)
    return exploits, sum(name.startswith("test_legit_") for name in names)


def syntax_error(path: Path) -> str:
    try:
        ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError as error:
        return f"{path.name}:{error.lineno}: syntax error: {error.msg}"
    return ""


def _by_line(finding: Finding) -> tuple[int, str]:
    return finding[1], finding[0]
