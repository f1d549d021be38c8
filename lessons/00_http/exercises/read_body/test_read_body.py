"""Tests for read_body. They run against your copy via `python -m lessons check read_body`."""

import socket

import pytest


class FakeSocket:
    """Hands out the given chunks one recv() at a time, like a slow network."""

    def __init__(self, *chunks: bytes):
        self.chunks = list(chunks)
        self.calls = 0

    def recv(self, size: int) -> bytes:
        self.calls += 1
        assert size > 0, "recv() needs a positive size"
        assert self.chunks, "read_body called recv() after the body was complete"
        chunk = self.chunks.pop(0)
        assert len(chunk) <= size, "this test's chunk is larger than the size you asked for"
        return chunk


@pytest.fixture
def read_body(exercise):
    return exercise.get("read_body")


def test_1_no_content_length_means_an_empty_body_and_no_reading(read_body):
    sock = FakeSocket()
    assert read_body(sock, {}) == b""
    assert sock.calls == 0


def test_2_a_non_numeric_content_length_is_a_value_error(read_body):
    with pytest.raises(ValueError):
        read_body(FakeSocket(), {"content-length": "ten"})


def test_2_a_negative_content_length_is_a_value_error(read_body):
    with pytest.raises(ValueError):
        read_body(FakeSocket(), {"content-length": "-5"})


def test_2_a_too_large_body_is_refused_before_reading(read_body):
    sock = FakeSocket(b"x" * 10)
    with pytest.raises(ValueError):
        read_body(sock, {"content-length": "11"}, max_bytes=10)
    assert sock.calls == 0


def test_3_reads_a_body_that_arrives_in_several_chunks(read_body):
    sock = FakeSocket(b"hel", b"lo ", b"world")
    assert read_body(sock, {"content-length": "11"}) == b"hello world"


def test_3_starts_from_the_bytes_already_read(read_body):
    sock = FakeSocket(b" world")
    assert read_body(sock, {"content-length": "11"}, already_read=b"hello") == b"hello world"


def test_3_a_client_hanging_up_early_is_a_connection_error(read_body):
    with pytest.raises(ConnectionError):
        read_body(FakeSocket(b"hel", b""), {"content-length": "10"})


def test_4_never_returns_more_than_content_length(read_body):
    sock = FakeSocket()  # no recv() needed: everything is already read
    assert read_body(sock, {"content-length": "5"}, already_read=b"helloEXTRA") == b"hello"


def test_works_over_a_real_socket_pair(read_body):
    client, server = socket.socketpair()
    with client, server:
        client.sendall("¡olé!".encode())  # 7 bytes, 5 characters
        assert read_body(server, {"content-length": "7"}).decode() == "¡olé!"
