"""A tiny HTTP/1.1 server on raw sockets: what every web framework sits on.

It reads a request's head, parses the request line and headers, picks a page
by path, and writes back a response with a correct Content-Length. It serves
one request per connection and then closes it (``Connection: close``), so it
needs no keep-alive bookkeeping. It is for learning, not for production.

Run it:      python lessons/00_http/examples/socket_server.py --port 8000
Try it:      curl -i http://127.0.0.1:8000/
From code:   handle = start_in_thread(); ...; handle.stop()
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus

HOST = "127.0.0.1"  # loopback only: nobody else on the network can reach a toy server
MAX_HEAD_BYTES = 8192  # refuse absurd heads rather than read them forever

PAGES = {
    "/": "Hello from a raw socket!\n",
    "/about": "A web server is a loop: accept, read, parse, answer, close.\n",
}


# --8<-- [start:read_head]
def read_head(conn: socket.socket) -> bytes:
    """Read from the connection until the blank line that ends the head.

    TCP delivers a stream of bytes, not messages: one recv() may return half
    a request line, or the head and part of the body. So we loop.
    """
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(1024)
        if not chunk:  # the client closed the connection before finishing
            raise ValueError("connection closed before the end of the head")
        data += chunk
        if len(data) > MAX_HEAD_BYTES:
            raise ValueError("request head too large")
    return data.split(b"\r\n\r\n", 1)[0]
# --8<-- [end:read_head]


# --8<-- [start:parse_request]
@dataclass
class Request:
    method: str
    target: str
    version: str
    headers: dict[str, str] = field(default_factory=dict)


def parse_request(head: bytes) -> Request:
    """Parse `GET /path HTTP/1.1` and the `Name: value` lines after it.

    The head is ASCII in practice; ISO-8859-1 decodes any byte, so a stray
    byte cannot crash us. Header names are case-insensitive: store them lower.
    """
    request_line, *header_lines = head.decode("iso-8859-1").split("\r\n")
    parts = request_line.split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise ValueError(f"bad request line: {request_line!r}")
    headers = {}
    for line in header_lines:
        name, colon, value = line.partition(":")
        if not colon:
            raise ValueError(f"bad header line: {line!r}")
        headers[name.strip().lower()] = value.strip()
    return Request(*parts, headers=headers)
# --8<-- [end:parse_request]


# --8<-- [start:build_response]
def build_response(status: int, body: str,
                   content_type: str = "text/plain; charset=utf-8") -> bytes:
    """Status line, headers, a blank line, then the body: all as bytes.

    Content-Length counts bytes, not characters: "é" is 2 bytes in UTF-8.
    """
    payload = body.encode("utf-8")
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(payload)}\r\n"
        "Connection: close\r\n"
        "\r\n"
    )
    return head.encode("iso-8859-1") + payload
# --8<-- [end:build_response]


# --8<-- [start:route]
def route(request: Request) -> bytes:
    """The application: from a parsed request to a response."""
    path = request.target.split("?", 1)[0]  # the query string does not pick the page
    if path not in PAGES:
        return build_response(404, f"No page at {path}\n")
    if request.method != "GET":
        return build_response(405, "Only GET is allowed here\n")
    return build_response(200, PAGES[path])
# --8<-- [end:route]


# --8<-- [start:handle_connection]
def handle_connection(conn: socket.socket) -> None:
    """Serve exactly one request on this connection, then close it."""
    with conn:
        try:
            response = route(parse_request(read_head(conn)))
        except ValueError as err:  # a malformed request is the client's fault: 400
            response = build_response(400, f"Bad request: {err}\n")
        conn.sendall(response)  # send() may write only part; sendall() loops for us
# --8<-- [end:handle_connection]


# --8<-- [start:accept_loop]
def serve(host: str = HOST, port: int = 8000, ready=None,
          stop: threading.Event | None = None) -> None:
    """Listen on (host, port) and serve connections one at a time until `stop` is set.

    Port 0 asks the OS for any free port; `ready(port)` is then told which.
    """
    stop = stop or threading.Event()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        # Let a restarted server reuse the port at once, instead of failing
        # with "Address already in use" while old connections linger in TIME_WAIT.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen()
        if ready is not None:
            ready(listener.getsockname()[1])
        while True:
            conn, _address = listener.accept()  # blocks until a client connects
            # Check the flag only here, after accept(): if we checked it before,
            # the listener could close while ServerHandle.stop()'s wake-up
            # connection is still queued, and that connection would be reset.
            if stop.is_set():
                conn.close()
                break
            try:
                handle_connection(conn)
            except OSError as err:  # the client vanished mid-request: serve the next one
                print(f"connection error: {err}", file=sys.stderr)
# --8<-- [end:accept_loop]


# --8<-- [start:start_in_thread]
@dataclass
class ServerHandle:
    host: str
    port: int
    thread: threading.Thread
    stop_event: threading.Event

    def stop(self) -> None:
        """Stop the server and wait for its thread to end."""
        self.stop_event.set()
        # accept() blocks until someone connects, so we connect once ourselves
        # to wake it; it then sees the stop flag and leaves the loop.
        with socket.create_connection((self.host, self.port)):
            pass
        self.thread.join()


def start_in_thread(host: str = HOST, port: int = 0) -> ServerHandle:
    """Start `serve` in a background thread; return once it is listening."""
    listening = threading.Event()
    bound = {}

    def ready(actual_port: int) -> None:
        bound["port"] = actual_port
        listening.set()

    def run() -> None:
        try:
            serve(host, port, ready, stop)
        except OSError as err:  # e.g. "Address already in use": tell the caller
            bound["error"] = err
            listening.set()

    stop = threading.Event()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    listening.wait()  # no sleep-and-hope: `ready` tells us the socket is listening
    if "error" in bound:
        raise bound["error"]
    return ServerHandle(host, bound["port"], thread, stop)
# --8<-- [end:start_in_thread]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    port = parser.parse_args().port
    try:
        serve(HOST, port, ready=lambda p: print(f"Serving on http://{HOST}:{p}/ (Ctrl+C to stop)"))
    except KeyboardInterrupt:
        print("\nStopped.")
