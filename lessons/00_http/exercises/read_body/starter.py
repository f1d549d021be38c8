"""Exercise read_body: read exactly Content-Length bytes of a request body.

The head of a request ends at the blank line; the body comes after it, and
only Content-Length tells you how long it is. TCP hands you bytes in chunks
of any size, so one recv() is never enough.
"""

MAX_BODY_BYTES = 1_000_000


def read_body(sock, headers: dict[str, str], already_read: bytes = b"",
              max_bytes: int = MAX_BODY_BYTES) -> bytes:
    """Return the request body: exactly Content-Length bytes.

    `headers` has lower-case names. `already_read` holds the bytes that came
    after the blank line in the recv() that ended the head. Raise ValueError
    for a bad or too large Content-Length, and ConnectionError if the client
    hangs up before sending the whole body.
    """
    # TODO 1: no "content-length" header means no body: return b"".
    # TODO 2: it must be all digits (no sign, no spaces), else ValueError;
    #         more than max_bytes is a ValueError too, before reading anything.
    # TODO 3: start from already_read and call sock.recv() until you have
    #         enough; an empty chunk means the client hung up: ConnectionError.
    # TODO 4: return exactly Content-Length bytes, never more.
    raise NotImplementedError("read_body: follow the TODOs in your file")
