"""The raw-socket server, tested by sending real bytes over loopback."""

import errno
import socket

import pytest
from socket_server import build_response, parse_request, start_in_thread


@pytest.fixture
def server():
    handle = start_in_thread()
    yield handle
    handle.stop()


def exchange(port: int, *pieces: bytes) -> bytes:
    """Send the request (maybe in several pieces) and read until the server closes."""
    with socket.create_connection(("127.0.0.1", port)) as conn:
        for piece in pieces:
            conn.sendall(piece)
        received = b""
        while chunk := conn.recv(4096):
            received += chunk
    return received


def split_response(raw: bytes) -> tuple[str, dict[str, str], bytes]:
    head, body = raw.split(b"\r\n\r\n", 1)
    status_line, *lines = head.decode("iso-8859-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return status_line, headers, body


def test_get_root_is_200_with_exact_content_length(server):
    raw = exchange(server.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    status, headers, body = split_response(raw)
    assert status == "HTTP/1.1 200 OK"
    assert body == b"Hello from a raw socket!\n"
    assert int(headers["Content-Length"]) == len(body)
    assert headers["Connection"] == "close"


def test_unknown_path_is_404(server):
    status, _, body = split_response(exchange(server.port, b"GET /nope HTTP/1.1\r\n\r\n"))
    assert status == "HTTP/1.1 404 Not Found"
    assert b"/nope" in body


def test_post_to_a_page_is_405(server):
    status, _, _ = split_response(exchange(server.port, b"POST / HTTP/1.1\r\n\r\n"))
    assert status == "HTTP/1.1 405 Method Not Allowed"


def test_query_string_does_not_change_the_page(server):
    status, _, _ = split_response(exchange(server.port, b"GET /about?x=1 HTTP/1.1\r\n\r\n"))
    assert status == "HTTP/1.1 200 OK"


def test_a_head_split_across_sends_is_still_read_whole(server):
    raw = exchange(server.port, b"GET /ab", b"out HTTP/1.1\r\nHo", b"st: x\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 200 OK\r\n")


def test_garbage_is_400_not_a_crash(server):
    status, _, _ = split_response(exchange(server.port, b"HELLO\r\n\r\n"))
    assert status == "HTTP/1.1 400 Bad Request"
    # and the server still answers the next client
    assert exchange(server.port, b"GET / HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 200")


def test_a_client_that_hangs_up_early_does_not_stop_the_server(server):
    with socket.create_connection(("127.0.0.1", server.port)) as conn:
        conn.sendall(b"GET / HTT")  # then hang up mid-request
    assert exchange(server.port, b"GET / HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 200")


def test_server_listens_on_loopback_only(server):
    assert server.host == "127.0.0.1"


def test_a_second_server_on_the_same_port_fails_with_address_in_use(server):
    with pytest.raises(OSError) as caught:
        start_in_thread(port=server.port)
    assert caught.value.errno == errno.EADDRINUSE


def test_stop_closes_the_port():
    handle = start_in_thread()
    handle.stop()
    assert not handle.thread.is_alive()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", handle.port))


def test_content_length_counts_bytes_not_characters():
    response = build_response(200, "café")
    head, body = response.split(b"\r\n\r\n", 1)
    assert body == "café".encode()
    assert b"Content-Length: 5\r\n" in head


def test_parse_request_lowercases_header_names_and_keeps_colons_in_values():
    request = parse_request(b"GET /x HTTP/1.1\r\nHOST: localhost:8000\r\nAccept:  */*")
    assert (request.method, request.target, request.version) == ("GET", "/x", "HTTP/1.1")
    assert request.headers == {"host": "localhost:8000", "accept": "*/*"}


@pytest.mark.parametrize("head", [
    b"GET /x", b"GET /x HTTP/1.1 extra", b"GET /x HTTP/1.1\r\nNoColon",
])
def test_parse_request_rejects_malformed_heads(head):
    with pytest.raises(ValueError):
        parse_request(head)
