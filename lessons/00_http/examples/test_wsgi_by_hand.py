"""The hand-written WSGI app: through WebTest (which also lints the WSGI
contract) and once through a real wsgiref server on loopback."""

import json
import threading
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import webtest
from wsgi_by_hand import app


@pytest.fixture
def client():
    return webtest.TestApp(app)  # wraps the app in wsgiref.validate: contract errors fail


def test_root_returns_json(client):
    response = client.get("/")
    assert response.status_int == 200
    assert response.content_type == "application/json"
    assert response.json == {"message": "Hello from a hand-written WSGI app"}


def test_hello_reads_the_query_string_decoding_percent_escapes(client):
    assert client.get("/hello?name=Ada%20L").json == {"greeting": "Hello, Ada L!"}


def test_hello_without_a_name_greets_the_world(client):
    assert client.get("/hello").json == {"greeting": "Hello, world!"}


def test_unknown_path_is_404_in_json(client):
    response = client.get("/nowhere", status=404)
    assert response.json == {"errors": {"path": ["no route for /nowhere"]}}


def test_wrong_method_is_405_with_allow_header(client):
    response = client.post("/hello", status=405)
    assert response.headers["Allow"] == "GET"
    assert response.json["errors"] == {"method": ["not allowed"]}


def test_content_length_matches_the_body(client):
    response = client.get("/hello?name=%C3%A9")  # é: two bytes in UTF-8
    assert int(response.headers["Content-Length"]) == len(response.body)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


def test_served_by_wsgiref_over_a_real_socket():
    with make_server("127.0.0.1", 0, app, handler_class=QuietHandler) as server:
        # handle_request() serves exactly one request: no polling, no sleep.
        thread = threading.Thread(target=server.handle_request)
        thread.start()
        url = f"http://127.0.0.1:{server.server_port}/hello?name=Bottle"
        no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, direct
        with no_proxy.open(url) as response:
            assert json.load(response) == {"greeting": "Hello, Bottle!"}
        thread.join()
