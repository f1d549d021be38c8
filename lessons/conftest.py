"""pytest glue for the lessons.

Exercise tests never import the learner's file by name. They ask for the
``exercise`` fixture, which loads whichever file is under test:

* ``STAGECRAFT_EXERCISE_TARGET=workspace``: the learner's copy (what
  ``python -m lessons check`` uses);
* ``starter``: the pristine starter (the maintainer check expects a failure);
* ``solution``: the reference solution. This is the default, so a plain
  ``pytest lessons`` proves that every solution passes.

A missing file, a file that does not import, a missing function or a function
that still raises ``NotImplementedError`` becomes one friendly line instead of
a traceback, in the manner of exercism.

When a web exercise answers 500, Bottle writes the traceback to the WSGI error
stream. WebTest keeps that stream to itself (``response.errors``), so the
``wsgi_errors_to_stderr`` fixture writes it to stderr, where pytest
captures it for the runner: ``check`` shows the learner the exception behind
the 500.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
if str(_HERE.parent) not in sys.path:  # so `import lessons` works in any import mode
    sys.path.insert(0, str(_HERE.parent))

from lessons import catalog  # noqa: E402

TARGET_ENV = catalog.TARGET_ENV

# Lesson examples are plain scripts in folders whose names start with a digit,
# so they cannot be imported as packages. Put their folders on sys.path so that
# their tests can `import socket_server`, whatever import mode pytest uses.
for _examples in sorted(_HERE.glob("[0-9][0-9]_*/examples")):
    if str(_examples) not in sys.path:
        sys.path.insert(0, str(_examples))


class LearnerModule:
    """The module under test, with friendly failures for what is missing."""

    def __init__(self, module, path: Path):
        self.module = module
        self.path = path

    def get(self, name: str):
        if not hasattr(self.module, name):
            pytest.fail(f"{catalog.relative(self.path)} has no `{name}`. The tests need it: "
                        "check its spelling, and that it was not renamed or deleted.",
                        pytrace=False)
        return getattr(self.module, name)


_loaded: dict[Path, object] = {}


def _load(path: Path):
    """Import a file under a private name once per session; remember failures too."""
    if path not in _loaded:
        module_name = f"_stagecraft_{path.parent.name}_{path.stem}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module  # dataclasses look their module up here
        try:
            spec.loader.exec_module(module)
            _loaded[path] = module
        except Exception as err:  # any import-time error is the learner's to see, briefly
            del sys.modules[module_name]
            _loaded[path] = err
    return _loaded[path]


@pytest.fixture(autouse=True)
def wsgi_errors_to_stderr(monkeypatch):
    """Copy what each WebTest request wrote to ``wsgi.errors`` to stderr.

    WebTest checks the status in ``TestApp._check_status(status, response)``,
    which raises for a 500 the test did not expect: the response's ``errors``
    are written out just before that check.
    """
    webtest = sys.modules.get("webtest")  # only tests that use WebTest have imported it
    check_status = getattr(getattr(webtest, "TestApp", None), "_check_status", None)
    if check_status is None:
        return

    def check_status_after_writing_errors(self, status, response):
        if getattr(response, "errors", ""):
            sys.stderr.write(response.errors)
        return check_status(self, status, response)

    monkeypatch.setattr(webtest.TestApp, "_check_status", check_status_after_writing_errors)


@pytest.fixture
def exercise(request) -> LearnerModule:
    found = catalog.exercise_for_test(Path(str(request.node.path)))
    if found is None:
        pytest.fail("the `exercise` fixture only works inside an exercise folder", pytrace=False)
    target = os.environ.get(TARGET_ENV, "solution")
    if target not in catalog.TARGETS:
        pytest.fail(f"{TARGET_ENV} must be one of {', '.join(catalog.TARGETS)}", pytrace=False)
    path = found.target_file(target)
    if not path.exists():
        pytest.fail(f"{catalog.relative(path)} does not exist yet. "
                    f"Run `python -m lessons start {found.name}` to create it.", pytrace=False)
    module = _load(path)
    if isinstance(module, Exception):
        pytest.fail(f"{catalog.relative(path)} could not be imported: "
                    f"{type(module).__name__}: {module}", pytrace=False)
    return LearnerModule(module, path)


def pytest_report_header(config):
    return f"lesson exercises run against: {os.environ.get(TARGET_ENV, 'solution')}"


def _where(item, excinfo) -> str:
    """The line of the test that failed, as `path:line: source`."""
    for entry in reversed(excinfo.traceback):
        if Path(str(entry.path)) == Path(str(item.path)):
            source = str(entry.statement).strip().splitlines()[0]
            return f"{catalog.relative(Path(str(entry.path)))}:{entry.lineno + 1}: {source}\n"
    return ""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.failed or call.excinfo is None:
        return
    error = call.excinfo.value
    # A function still raising NotImplementedError is a TODO, not a crash.
    if isinstance(error, NotImplementedError):
        reason = str(error) or "a function still raises NotImplementedError"
        report.longrepr = f"{_where(item, call.excinfo)}Not done yet: {reason}"
    # WebTest's unexpected-status error carries the whole HTML error page: keep its first line.
    elif type(error).__name__ == "AppError":
        report.longrepr = f"{_where(item, call.excinfo)}{str(error).splitlines()[0]}"
