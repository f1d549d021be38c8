"""Solution: sse_format."""

import re

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def one_line(name: str, value) -> str:
    text = str(value)
    if LINE_BREAK.search(text):  # a line break would start a field of the attacker's choosing
        raise ValueError(f"{name} must be one line: {text!r}")
    return text


def format_event(data: str, *, event: str | None = None, id: int | str | None = None,
                 retry: int | None = None) -> str:
    """One event, ready to write to the stream, blank line included."""
    lines = []
    if event is not None:
        lines.append(f"event: {one_line('event', event)}")
    if id is not None:
        lines.append(f"id: {one_line('id', id)}")
    if retry is not None:
        if not isinstance(retry, int) or isinstance(retry, bool) or retry < 0:
            raise ValueError(f"retry must be whole milliseconds, not {retry!r}")
        lines.append(f"retry: {retry}")
    lines += [f"data: {line}" for line in LINE_BREAK.split(data)]
    return "\n".join(lines) + "\n\n"


def comment(text: str = "") -> str:
    """A comment line: EventSource ignores it, so it serves as a heartbeat."""
    return f": {one_line('comment', text)}\n\n"


def missed(history: list[tuple[int, str]], last_event_id: str | None) -> list[tuple[int, str]]:
    """The events of ``history`` (oldest first) that came after ``last_event_id``."""
    # fullmatch, not isdigit(): "²".isdigit() is True, and int("²") raises.
    if last_event_id is None or not re.fullmatch(r"[0-9]+", last_event_id):
        return []
    last = int(last_event_id)
    return [(number, data) for number, data in history if number > last]
