"""The lab's pytest wiring: the ``target`` fixture, and the report the checker reads.

Every test in an exercise takes ``target``, the module under test. By default each
test runs twice, against ``vulnerable.py`` and against ``fixed.py``. With
``--mine`` it runs once, against ``vulnerable.py`` after a learner has fixed it.

Tests are of two kinds, told apart by name:

- ``test_exploit_*`` carries out an attack and reports whether it worked with
  ``target.assert_exploit(worked=...)``. That assertion expects the attack to
  work against ``vulnerable.py`` and to fail against ``fixed.py`` (or ``--mine``).
- ``test_legit_*`` is ordinary use of the feature, and must pass on every target,
  so that a "fix" which breaks the feature is caught.
"""

import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

LAB_DIR = Path(__file__).resolve().parent


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("security lab")
    group.addoption(
        "--mine",
        action="store_true",
        help="test your fix: run against vulnerable.py, expecting every exploit to fail",
    )
    group.addoption("--lab-report", metavar="PATH", help="write each test's outcome as JSON")


@dataclass
class Target:
    """One module under test, and whether the exploit should work against it."""

    name: str  # "vulnerable", "fixed" or "mine"
    module: ModuleType
    exploitable: bool
    exploit_checked: bool = False

    @property
    def filename(self) -> str:
        return "fixed.py" if self.name == "fixed" else "vulnerable.py"

    def assert_exploit(self, worked: bool) -> None:
        """Assert that the attack worked if, and only if, this target is the vulnerable one."""
        self.exploit_checked = True
        if self.exploitable:
            assert worked, f"the exploit did not work against {self.filename}: it proves nothing"
        else:
            assert not worked, f"the exploit still works against {self.filename}"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "target" in metafunc.fixturenames:
        # getoption's default covers a run that did not load this file as an
        # initial conftest, such as a bare `pytest` from the repository root.
        mine = metafunc.config.getoption("mine", default=False)
        metafunc.parametrize("target", ["mine"] if mine else ["vulnerable", "fixed"], indirect=True)


@pytest.fixture
def target(request: pytest.FixtureRequest) -> Target:
    exercise = Path(request.node.path).parent.name
    filename = "fixed" if request.param == "fixed" else "vulnerable"
    module = importlib.import_module(f"{__package__ or LAB_DIR.name}.{exercise}.{filename}")
    return Target(request.param, module, exploitable=request.param == "vulnerable")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    result = yield  # a test that failed has failed; nothing to add
    # An exploit test that returns without calling assert_exploit would pass
    # whatever the code does, so it fails instead.
    target = getattr(item, "funcargs", {}).get("target")
    unchecked = isinstance(target, Target) and not target.exploit_checked
    if item.name.startswith("test_exploit") and unchecked:
        pytest.fail("this exploit test never called target.assert_exploit()")
    return result


# The report: one record per test, read by the checker (security_checks/checker.py).

_outcomes: dict[str, dict] = {}
_rootpath = LAB_DIR  # where node ids start from; set for real in pytest_configure


def pytest_configure(config: pytest.Config) -> None:
    global _rootpath
    _rootpath = config.rootpath


def _exercise_of(path: Path) -> str:
    try:
        return path.resolve().relative_to(LAB_DIR).parts[0]
    except ValueError:
        return ""


def _headline(message: str) -> str:
    """The line of an error message that says what went wrong: the first unindented one.

    For an assertion that is its message; for a SyntaxError, the line after the
    quoted source.
    """
    lines = [line for line in message.splitlines() if line.strip()]
    return next((line for line in lines if not line[0].isspace()), lines[0] if lines else "")


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        _outcomes[report.nodeid] = {
            "exercise": _exercise_of(_rootpath / report.nodeid.split("::")[0]),
            "test": "(collection)",
            "target": None,
            "outcome": "error",
            # The last line of the report, minus pytest's "E   " margin.
            "message": str(report.longrepr).splitlines()[-1].removeprefix("E").strip(),
        }


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    record = _outcomes.setdefault(report.nodeid, {"outcome": "not run", "message": ""})
    if report.failed:
        # A failing test body is "failed"; a failing fixture (setup or teardown) is "error".
        record["outcome"] = "failed" if report.when == "call" else "error"
        crash = getattr(report.longrepr, "reprcrash", None)
        record["message"] = _headline(crash.message if crash else str(report.longrepr))
    elif report.when == "call" and record["outcome"] == "not run":
        record["outcome"] = "skipped" if report.skipped else "passed"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        _outcomes[item.nodeid] = {
            "exercise": _exercise_of(item.path),
            "test": getattr(item, "originalname", item.name),
            "target": callspec.params.get("target") if callspec else None,
            "outcome": "not run",
            "message": "",
        }


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("lab_report", default=None)
    if path:
        Path(path).write_text(json.dumps(list(_outcomes.values()), indent=1))
