"""Solution: read_body."""

import re

MAX_BODY_BYTES = 1_000_000


def read_body(sock, headers: dict[str, str], already_read: bytes = b"",
              max_bytes: int = MAX_BODY_BYTES) -> bytes:
    """Return the request body: exactly Content-Length bytes."""
    raw = headers.get("content-length")
    if raw is None:
        return b""
    if not re.fullmatch(r"[0-9]+", raw):  # rejects "-5", "+5", " 5", "ten" and "²" alike
        raise ValueError(f"bad Content-Length: {raw!r}")
    length = int(raw)
    if length > max_bytes:  # check before reading: refuse, don't buffer
        raise ValueError(f"body too large: {length} > {max_bytes} bytes")
    body = already_read
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            raise ConnectionError(f"client hung up after {len(body)} of {length} bytes")
        body += chunk
    return body[:length]  # anything after belongs to the next request
