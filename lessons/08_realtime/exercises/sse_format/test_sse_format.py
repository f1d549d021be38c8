"""Tests for sse_format. Run via `python -m lessons check sse_format`.

The tests read what you write the way a browser does: `parse` below follows
the WHATWG HTML standard's algorithm for event streams, cut down to what
EventSource keeps (data, event type, last event id, reconnection time).
"""

import re

import pytest


def parse(stream: str) -> tuple[list[dict], dict]:
    """(the events EventSource would fire, its state: last id and retry)."""
    events, state = [], {"last_id": "", "retry": None}
    data, kind = [], ""
    for line in re.split(r"\r\n|\r|\n", stream):
        if line == "":  # a blank line dispatches the event, if it has data
            if data:
                events.append({"type": kind or "message", "data": "\n".join(data),
                               "last_id": state["last_id"]})
            data, kind = [], ""
            continue
        if line.startswith(":"):
            continue  # a comment
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            data.append(value)
        elif name == "event":
            kind = value
        elif name == "id" and "\0" not in value:
            state["last_id"] = value
        elif name == "retry" and value.isascii() and value.isdigit():
            state["retry"] = int(value)
    return events, state


def test_1_one_line_of_data_is_one_event(exercise):
    text = exercise.get("format_event")("hello")
    assert text.endswith("\n\n"), "an event ends with a blank line"
    events, _ = parse(text)
    assert events == [{"type": "message", "data": "hello", "last_id": ""}]


def test_1_two_events_in_a_row_stay_two(exercise):
    format_event = exercise.get("format_event")
    events, _ = parse(format_event("one") + format_event("two"))
    assert [e["data"] for e in events] == ["one", "two"]


def test_1_every_line_break_of_the_data_is_kept(exercise):
    data = "a comment\nwith lines\r\nof all\rkinds"
    events, _ = parse(exercise.get("format_event")(data))
    assert [e["data"] for e in events] == ["a comment\nwith lines\nof all\nkinds"]


def test_1_a_blank_line_in_the_data_does_not_cut_the_event(exercise):
    events, _ = parse(exercise.get("format_event")('{"body": "one\\n"}\n\nnot an event'))
    assert len(events) == 1
    assert events[0]["data"] == '{"body": "one\\n"}\n\nnot an event'


def test_2_event_and_id(exercise):
    events, state = parse(exercise.get("format_event")("{}", event="comment", id=42))
    assert events == [{"type": "comment", "data": "{}", "last_id": "42"}]
    assert state["last_id"] == "42"


@pytest.mark.parametrize("field", ["event", "id"])
def test_2_a_line_break_in_event_or_id_is_refused(exercise, field):
    # Or a value from a user could add fields of its own, or a whole event.
    with pytest.raises(ValueError):
        exercise.get("format_event")("x", **{field: "comment\ndata: forged"})


def test_3_retry_sets_the_reconnection_time(exercise):
    _, state = parse(exercise.get("format_event")("x", retry=3000))
    assert state["retry"] == 3000


@pytest.mark.parametrize("retry", [-1, 2.5, "3000"])
def test_3_retry_is_whole_milliseconds(exercise, retry):
    with pytest.raises(ValueError):
        exercise.get("format_event")("x", retry=retry)


def test_4_a_comment_fires_no_event(exercise):
    comment, format_event = exercise.get("comment"), exercise.get("format_event")
    text = comment("keep-alive")
    assert text.startswith(":") and text.endswith("\n\n")
    events, _ = parse(text + format_event("after") + comment())
    assert [e["data"] for e in events] == ["after"]


def test_4_a_line_break_in_a_comment_is_refused(exercise):
    with pytest.raises(ValueError):
        exercise.get("comment")("tick\ndata: forged")


HISTORY = [(7, "seven"), (8, "eight"), (9, "nine")]


def test_5_replay_what_came_after_the_last_id(exercise):
    assert exercise.get("missed")(HISTORY, "7") == [(8, "eight"), (9, "nine")]
    assert exercise.get("missed")(HISTORY, "9") == []


def test_5_an_id_older_than_the_history_replays_all_of_it(exercise):
    assert exercise.get("missed")(HISTORY, "2") == HISTORY


@pytest.mark.parametrize("header", [None, "", "seven", "-1", "²", " 7"])
def test_5_no_id_or_a_bad_one_replays_nothing(exercise, header):
    assert exercise.get("missed")(HISTORY, header) == []
