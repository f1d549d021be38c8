"""The checker counts passed and failed tests per exercise, from pytest's JUnit report."""

from types import SimpleNamespace

import pytest

from lessons import checking

MIXED = '''
import pytest

def test_passes():
    pass

def test_fails():
    assert False

def test_is_skipped():
    pytest.skip("not today")

@pytest.fixture
def breaks_on_teardown():
    yield
    raise RuntimeError("teardown")

def test_fails_then_errors_in_teardown(breaks_on_teardown):
    assert False

@pytest.fixture
def breaks_on_setup():
    raise RuntimeError("setup")

def test_errors_in_setup(breaks_on_setup):
    pass
'''


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A stand-in repository root: pytest names test files relative to its rootdir."""
    args = [str(tmp_path) if a == str(checking.REPO_ROOT) else a for a in checking.PYTEST_ARGS]
    monkeypatch.setattr(checking, "PYTEST_ARGS", args)
    monkeypatch.setattr(checking, "REPO_ROOT", tmp_path)
    return tmp_path


def exercise_with_tests(root, name: str, source: str):
    """A stand-in exercise: a test file in an `exercises/<name>/` folder, as the checker expects."""
    test_file = root / "exercises" / name / f"test_{name}.py"
    test_file.parent.mkdir(parents=True)
    test_file.write_text(source)
    return SimpleNamespace(name=name, test_file=test_file)


def test_each_test_counts_once_per_exercise_and_a_file_that_does_not_collect_fails(root):
    mixed = exercise_with_tests(root, "mixed", MIXED)
    broken = exercise_with_tests(root, "broken", "import no_such_module_at_all\n")
    fine = exercise_with_tests(root, "fine", "def test_one():\n    pass\n")
    results, _ = checking.Run([mixed, broken, fine], "solution", capture=True).wait()
    assert results["mixed"] == checking.Result(passed=1, failed=3)  # the skipped one is neither
    assert results["broken"] == checking.Result(passed=0, failed=1)
    assert results["fine"] == checking.Result(passed=1, failed=0) and results["fine"].ok


def test_no_report_means_no_results(tmp_path):
    assert checking.read_junit(tmp_path / "missing.xml") == []
    (tmp_path / "empty.xml").write_text("")  # pytest was killed before writing it
    assert checking.read_junit(tmp_path / "empty.xml") == []
