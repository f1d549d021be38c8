"""Exercise sse_format: write Server-Sent Events by hand.

An SSE stream is one long HTTP response (`Content-Type: text/event-stream`)
that the server keeps writing to. Each event is a few `field: value` lines,
and a blank line ends it. The browser's `EventSource` fires one event per
blank line, remembers the last `id:` it saw, and when the connection drops it
reconnects by itself, sending that id back in a `Last-Event-ID` header.
"""

import re  # noqa: F401  (you will need it)

# The three line endings the SSE format accepts: CRLF, LF and CR, nothing else.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def format_event(data: str, *, event: str | None = None, id: int | str | None = None,
                 retry: int | None = None) -> str:
    """One event, ready to write to the stream, blank line included."""
    # TODO 1: one "data: " line for each line of data, then a blank line.
    # TODO 2: "event: " and "id: " lines before the data, when given; a line
    #         break inside either is a ValueError.
    # TODO 3: a "retry: " line (whole milliseconds) when given; anything else
    #         than a whole number >= 0 is a ValueError.
    return f"data: {data}\n"


def comment(text: str = "") -> str:
    """A comment line: EventSource ignores it, so it serves as a heartbeat."""
    # TODO 4: ": " and the text, then a blank line; a line break is a ValueError.
    raise NotImplementedError("comment")


def missed(history: list[tuple[int, str]], last_event_id: str | None) -> list[tuple[int, str]]:
    """The events of ``history`` (oldest first) that came after ``last_event_id``."""
    # TODO 5: the header's value is text, or None when the browser sent none.
    #         Only digits make an id; anything else replays nothing.
    raise NotImplementedError("missed")
