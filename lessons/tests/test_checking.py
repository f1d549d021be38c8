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
    results, _ = checking.Run([mixed, broken, fine], "solution").wait()
    assert results["mixed"] == checking.Result(passed=1, failed=3)  # the skipped one is neither
    assert results["broken"] == checking.Result(passed=0, failed=1)
    assert results["fine"] == checking.Result(passed=1, failed=0) and results["fine"].ok


def test_no_report_means_no_results(tmp_path):
    assert checking.read_junit(tmp_path / "missing.xml") == []
    (tmp_path / "empty.xml").write_text("")  # pytest was killed before writing it
    assert checking.read_junit(tmp_path / "empty.xml") == []


def test_each_failure_keeps_its_message_and_what_it_wrote_to_stderr(root):
    source = ('import sys\n\n'
              'def test_2_writes_then_fails():\n'
              '    print("Traceback: the app wrote this", file=sys.stderr)\n'
              '    assert 1 + 1 == 3, "arithmetic"\n')
    exercise = exercise_with_tests(root, "noisy", source)
    [failure] = checking.Run([exercise], "solution").wait()[0]["noisy"].failures
    assert failure.name == "test_2_writes_then_fails" and failure.step == 2
    assert failure.message.startswith("AssertionError: arithmetic\nassert (1 + 1) == 3")
    assert "Traceback: the app wrote this" in failure.stderr
    assert checking.failing_line(failure).endswith(
        'test_noisy.py:5: assert 1 + 1 == 3, "arithmetic"')


@pytest.mark.parametrize(("name", "step"), [
    ("test_3_no_transaction_is_left_open", 3), ("test_1_2_valid_values", 1),
    ("test_12_late_step[param]", 12), ("test_works_over_a_socket", None),
])
def test_a_tests_step_is_the_number_after_test(name, step):
    assert checking.Failure(file="f.py", name=name, message="").step == step


@pytest.mark.parametrize(("raw", "clean"), [
    ('failed on setup with "Failed: x.py has no `f`."', "x.py has no `f`."),
    ("AssertionError: assert 1 == 2\n  \n  Use -v to get more diff",
     "AssertionError: assert 1 == 2"),
])
def test_messages_lose_pytests_wrappers(raw, clean):
    assert checking.clean_message(raw) == clean


BOTTLE_500 = '''Traceback (most recent call last):
  File "/venv/lib/python3.12/site-packages/bottle.py", line 996, in _handle
    out = route.call(**args)
          ^^^^^^^^^^^^^^^^^^
  File "{mine}", line 28, in list_articles
    limit, offset, errors = parse_pagination(bottle.request.query)
  File "{mine}", line 17, in parse_pagination
    offset = int(offset_text)
             ^^^^^^^^^^^^^^^^
ValueError: invalid literal for int() with base 10: '²'
'''


def test_the_learners_traceback_keeps_only_their_own_frames(tmp_path):
    mine = tmp_path / "paginate_articles.py"
    trace = checking.learner_traceback(BOTTLE_500.format(mine=mine), mine)
    assert trace.splitlines() == [
        f"{mine}, line 28, in list_articles",
        "  limit, offset, errors = parse_pagination(bottle.request.query)",
        f"{mine}, line 17, in parse_pagination",
        "  offset = int(offset_text)",
        "ValueError: invalid literal for int() with base 10: '²'"]
    assert checking.learner_traceback(BOTTLE_500.format(mine=mine), tmp_path / "other.py") == ""
