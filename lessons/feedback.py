"""What `check` tells a learner after a failing run, and which hint it shows.

Only the first failing test, since fixing it often fixes the next ones: its
name, the step it checks, its line and its assertion. Then the exception the
learner's own code raised, trimmed to their file (for a web exercise that
answered 500, the traceback Bottle wrote), and the hint for the step that
failed: tests are named ``test_N_...`` after the instructions' step N, and
hints.md's ``## Hint N`` helps with step N. A test without a step number gets
the next hint not yet seen.
"""

from __future__ import annotations

import textwrap

from lessons import progress
from lessons.catalog import Exercise
from lessons.checking import Failure, failing_line, last_exception, learner_traceback

MESSAGE_LINES = 15  # a long assertion diff is cut: the start says what differs


def show_failure(exercise: Exercise, failure: Failure, target: str = "workspace") -> None:
    step = f"  (step {failure.step})" if failure.step else ""
    print(f"{failure.name}{step}")
    message = failure.message or "\n".join(failure.details.strip().splitlines()[-MESSAGE_LINES:])
    where = failing_line(failure)
    if where and not message.startswith(failure.file):
        print(indent(where))
    lines = message.splitlines()
    print(indent("\n".join(lines[:MESSAGE_LINES])))
    if len(lines) > MESSAGE_LINES:
        print(indent(f"... ({len(lines) - MESSAGE_LINES} more lines)"))
    cause = exception_behind(failure, exercise.target_file(target))
    if cause:
        print(f"\n{cause}")


def exception_behind(failure: Failure, learner_file) -> str:
    """The learner's own exception behind a failure, with a line to say what it is."""
    after_500 = "500" in failure.message
    label = "Behind the 500, your code raised:" if after_500 else "Your code raised:"
    for text in (failure.stderr, failure.details):
        trace = learner_traceback(text, learner_file)
        if trace:
            return f"{label}\n{indent(trace)}"
    if after_500 and last_exception(failure.stderr):
        # No frame of the learner's: Bottle itself failed on what the route did or returned.
        return f"Behind the 500:\n{indent(last_exception(failure.stderr))}"
    return ""


def hint_for(exercise: Exercise, failure: Failure | None) -> int:
    """The hint for the failing test's step when hints.md has one, else the next unseen."""
    if failure is not None and failure.step and failure.step <= len(exercise.hints()):
        return failure.step
    return next_unseen_hint(exercise)


def next_unseen_hint(exercise: Exercise) -> int:
    count = len(exercise.hints())
    seen = progress.hints_seen(exercise.name)
    return next((n for n in range(1, count + 1) if n not in seen), count)


def show_hint(exercise: Exercise, number: int, step: int | None = None) -> None:
    hints = exercise.hints()
    if not hints:
        return
    number = max(1, min(number, len(hints)))
    progress.mark_hint_seen(exercise.name, number)
    for_step = f", for step {step}" if step == number else ""
    print(f"Hint {number} of {len(hints)} for {exercise.name}{for_step}:\n\n"
          f"{hints[number - 1]}\n")
    seen = progress.hints_seen(exercise.name)
    if any(n not in seen for n in range(1, len(hints) + 1)):
        print(f"Still stuck? `python -m lessons hint {exercise.name}` shows another one.")
    else:
        print("That was the last hint. If you are truly stuck: "
              f"`python -m lessons solution {exercise.name} --force`.")


def indent(text: str) -> str:
    return textwrap.indent(text, "  ")
