"""The learner's runner, `python -m lessons`, driven as a learner would."""

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from lessons import catalog, checking, cli


@pytest.fixture(autouse=True)
def workspace(tmp_path, monkeypatch):
    """Every test gets its own empty workspace (files and progress)."""
    monkeypatch.setenv(catalog.WORKSPACE_ENV, str(tmp_path / "workspace"))
    return tmp_path / "workspace"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_unknown_exercise_is_one_line_and_exit_2(capsys):
    code, out, err = run(capsys, "hint", "no_such_exercise")
    assert code == 2
    assert err.strip().splitlines() == ["error: No exercise called 'no_such_exercise'. "
                                        "Run `python -m lessons list` to see them all."]


def test_an_unknown_lesson_is_one_line_and_exit_2(capsys):
    code, _, err = run(capsys, "check", "--lesson", "42")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "No lesson '42'" in err


@pytest.mark.parametrize("arg", ["4", "04", "auth", "04_auth"])
def test_a_lesson_can_be_named_several_ways(arg):
    assert catalog.lesson_folder(arg) == "04_auth"


def test_list_shows_every_exercise_with_progress(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    exercises = catalog.load_manifest()[1]
    for exercise in exercises:
        assert f"[ ] {exercise.name}" in out
    assert f"0 of {len(exercises)} done" in out


def test_start_copies_the_starter_once(capsys, workspace):
    exercise = catalog.get("parse_query")
    run(capsys, "start", "parse_query")
    assert exercise.workspace_file.read_text() == exercise.starter.read_text()
    exercise.workspace_file.write_text("# my work\n")
    run(capsys, "start", "parse_query")
    assert exercise.workspace_file.read_text() == "# my work\n"  # never overwritten...
    run(capsys, "start", "parse_query", "--reset")
    assert exercise.workspace_file.read_text() == exercise.starter.read_text()  # ...unless asked


def test_each_hint_reveals_one_more_and_the_last_one_stays(capsys):
    hints = catalog.get("jwt_tokens").hints()
    outputs = [run(capsys, "hint", "jwt_tokens")[1] for _ in range(len(hints) + 1)]
    for number, (hint, out) in enumerate(zip(hints, outputs[:-1], strict=True), start=1):
        assert f"Hint {number} of {len(hints)}" in out and hint in out
    assert f"Hint {len(hints)} of {len(hints)}" in outputs[-1]
    assert "last hint" in outputs[-1]


def test_the_solution_is_locked_until_a_pass(capsys):
    code, out, _ = run(capsys, "solution", "parse_query")
    assert code == 1 and "unlocks" in out and "def parse_query" not in out


def test_force_shows_the_solution_with_a_warning(capsys):
    code, out, err = run(capsys, "solution", "parse_query", "--force")
    assert code == 0 and "def parse_query" in out and "WARNING" in err


def test_check_fails_on_the_starter_then_passes_and_unlocks_the_solution(capfd):
    exercise = catalog.get("parse_query")
    assert cli.main(["check", "parse_query"]) == 1  # creates the workspace copy from the starter
    out = capfd.readouterr().out
    assert "FAIL parse_query" in out and "Hint 1 of" in out
    assert out.count("(step ") == 1  # the first failure only
    shutil.copyfile(exercise.solution, exercise.workspace_file)  # the learner "solves" it
    assert cli.main(["check", "parse_query"]) == 0
    assert "PASS parse_query" in capfd.readouterr().out
    assert cli.main(["solution", "parse_query"]) == 0
    capfd.readouterr()
    cli.main(["list"])
    assert "[x] parse_query" in capfd.readouterr().out


def test_a_file_that_does_not_import_gets_a_friendly_message(capfd):
    exercise = catalog.get("parse_query")
    exercise.workspace_file.parent.mkdir(parents=True)
    exercise.workspace_file.write_text("def parse_query(query:\n")
    assert cli.main(["check", "parse_query"]) == 1
    out = capfd.readouterr().out
    assert "could not be imported: SyntaxError" in out
    assert "Traceback" not in out


def test_a_missing_function_gets_a_friendly_message(capfd):
    exercise = catalog.get("parse_query")
    exercise.workspace_file.parent.mkdir(parents=True)
    exercise.workspace_file.write_text("def parse_qs(query):\n    return {}\n")
    assert cli.main(["check", "parse_query"]) == 1
    assert "has no `parse_query`" in capfd.readouterr().out


def test_check_lesson_checks_started_exercises_and_lists_the_rest(capfd):
    exercise = catalog.get("read_body")
    exercise.workspace_file.parent.mkdir(parents=True)
    shutil.copyfile(exercise.solution, exercise.workspace_file)
    assert cli.main(["check", "--lesson", "0"]) == 1  # two are not started yet
    out = capfd.readouterr().out
    assert "PASS read_body" in out
    assert "NOT STARTED parse_query" in out and "NOT STARTED request_id_middleware" in out


def test_python_dash_m_lessons_works_and_a_bad_name_is_not_a_traceback():
    result = subprocess.run([sys.executable, "-m", "lessons", "check", "nope"],
                            cwd=catalog.REPO_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "No exercise called 'nope'" in result.stderr


def test_watch_without_watchfiles_is_one_line_and_exit_2(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "watchfiles", None)  # as if it were not installed
    code, _, err = run(capsys, "watch", "parse_query")
    assert code == 2
    assert err.strip() == "error: `watch` needs the watchfiles package: run `make setup`."


def test_watch_checks_at_once_again_on_every_save_and_stops_on_ctrl_c(workspace):
    exercise = catalog.get("parse_query")
    lines: queue.Queue[str] = queue.Queue()

    def wait_for(text: str, seconds: float) -> bool:
        try:
            while text not in lines.get(timeout=seconds):
                pass
            return True
        except queue.Empty:
            return False

    with subprocess.Popen(
            [sys.executable, "-m", "lessons", "watch", "parse_query"], cwd=catalog.REPO_ROOT,
            env={**os.environ, catalog.WORKSPACE_ENV: str(workspace), "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as watcher:

        def read_lines():  # in a thread, so that waiting for a line can time out
            for line in watcher.stdout:
                lines.put(line)

        reader = threading.Thread(target=read_lines)
        reader.start()
        try:
            assert wait_for("FAIL parse_query", 60)  # the first check, of a fresh starter
            assert wait_for("Still stuck?", 10)  # the check's last line: the watch begins next
            time.sleep(0.2)  # a save in the instant before the watch begins would be missed...
            for _ in range(5):  # ...so save again if no check starts
                # Save the solution as many editors do: a new file renamed over the old one.
                shutil.copyfile(exercise.solution, workspace / "saved.tmp")
                os.replace(workspace / "saved.tmp", exercise.workspace_file)
                if wait_for("PASS parse_query", 5):
                    break
            else:
                pytest.fail("saving the file did not start a check")
            watcher.send_signal(signal.SIGINT)  # Ctrl+C
            assert wait_for("Stopped watching.", 30)
            assert watcher.wait(timeout=30) == 0
        finally:
            if watcher.poll() is None:
                watcher.kill()
            reader.join(timeout=30)  # it ends with the output, before the pipe is closed


def sabotaged(name: str, old: str, new: str):
    """The exercise, with the learner's copy being its solution with one line changed."""
    exercise = catalog.get(name)
    source = exercise.solution.read_text()
    assert old in source, f"the {name} solution changed: update this test"
    exercise.workspace_file.parent.mkdir(parents=True, exist_ok=True)
    exercise.workspace_file.write_text(source.replace(old, new))
    return exercise


def test_check_shows_the_first_failure_the_exception_behind_its_500_and_its_steps_hint(capfd):
    # The isdigit() bug: ?offset=%B2 arrives as "²", and int("²") raises behind a 500.
    exercise = sabotaged("paginate_articles",
                         "offset = int(offset_text) if WHOLE_NUMBER.fullmatch(offset_text)",
                         "offset = int(offset_text) if offset_text.isdigit()")
    assert cli.main(["check", "paginate_articles"]) == 1
    out = capfd.readouterr().out
    assert "FAIL paginate_articles: 1 of" in out
    assert "test_2_an_offset_that_int_or_sqlite_refuses_is_a_422_not_a_500[%B2]  (step 2)" in out
    assert "Bad response: 500 Internal Server Error (not 422)" in out
    assert "Behind the 500, your code raised:" in out
    assert "offset = int(offset_text) if offset_text.isdigit()" in out  # the learner's line
    assert "ValueError: invalid literal for int() with base 10: '²'" in out
    hints = exercise.hints()
    assert f"Hint 2 of {len(hints)} for paginate_articles, for step 2:" in out
    assert hints[1] in out
    # None of pytest's own report, and nothing from outside the learner's file.
    assert "Traceback" not in out and "site-packages" not in out and "bottle.py" not in out
    assert "short test summary" not in out


def test_a_failure_without_a_step_gets_the_next_hint_not_yet_seen(capfd):
    exercise = sabotaged("jwt_tokens", '"sub": str(user_id)', '"sub": str(user_id) + "0"')
    hints = exercise.hints()
    for _ in range(2):
        cli.main(["hint", "jwt_tokens"])  # hints 1 and 2 are seen
    capfd.readouterr()
    assert cli.main(["check", "jwt_tokens"]) == 1
    out = capfd.readouterr().out
    assert "test_a_token_round_trips_to_the_user_id\n" in out  # no step number...
    assert "assert 420 == 42" in out
    assert f"Hint 3 of {len(hints)} for jwt_tokens:" in out  # ...so the next unseen hint
    assert "Your code raised" not in out  # the test's assertion failed, not the learner's code


def test_a_hint_for_a_step_does_not_hide_the_earlier_ones_from_hint(capfd):
    sabotaged("paginate_articles", 'if not WHOLE_NUMBER.fullmatch(offset_text):',
              "if False:")
    assert cli.main(["check", "paginate_articles"]) == 1
    assert "Hint 2 of" in capfd.readouterr().out
    cli.main(["hint", "paginate_articles"])
    assert "Hint 1 of" in capfd.readouterr().out  # the first one not seen yet


def test_check_lesson_names_each_exercises_first_failure(capfd):
    sabotaged("jwt_tokens", '"sub": str(user_id)', '"sub": str(user_id) + "0"')
    assert cli.main(["check", "--lesson", "4"]) == 1
    out = capfd.readouterr().out
    assert "FAIL jwt_tokens\n  first failure: test_a_token_round_trips_to_the_user_id: " in out
    assert "NOT STARTED password_hashing" in out


def test_progress_from_before_hint_numbers_were_kept_still_counts(workspace):
    from lessons import progress
    progress.save({"passed": {}, "hints": {"jwt_tokens": 2}})  # the old format: a count
    assert progress.hints_seen("jwt_tokens") == {1, 2}
    progress.mark_hint_seen("jwt_tokens", 4)
    assert progress.hints_seen("jwt_tokens") == {1, 2, 4}


def test_a_copy_that_never_returns_is_stopped_and_said_so(capfd, monkeypatch):
    monkeypatch.setattr(checking, "TIMEOUT_SECONDS", 3)
    exercise = catalog.get("parse_query")
    exercise.workspace_file.parent.mkdir(parents=True)
    exercise.workspace_file.write_text("while True:\n    pass\n")
    assert cli.main(["check", "parse_query"]) == 1
    out = capfd.readouterr().out
    assert "FAIL parse_query: no test finished" in out and "Timed out after 3 s." in out
