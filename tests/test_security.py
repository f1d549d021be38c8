"""Lesson 5: security hardening. Each test names the attack it takes away."""

import dataclasses
import io
import json
import re
import time
from wsgiref.util import setup_testing_defaults

import pytest
from conftest import post_form, register_on_pages
from seams import cookie, crash, store_with
from webtest import TestApp

from reference_app.seed import DEMO_PASSWORD

pytestmark = pytest.mark.stage(5)

CSP = ("default-src 'self'; img-src 'self' https:; frame-ancestors 'none'; form-action 'self'; "
       "object-src 'none'; base-uri 'none'")
# In the throttle tests, a wait that no test outlives: 429s come at once, whatever the machine.
SLOW = {"login_backoff_seconds": 600}


def login(client, email="demo@stagecraft.dev", password=DEMO_PASSWORD, **kwargs):
    return client.post_json("/api/users/login", {"user": {"email": email, "password": password}},
                            **kwargs)


@pytest.mark.parametrize("path, status", [("/", 200), ("/api/articles", 200),
                                          ("/api/nope", 404), ("/nope", 404)])
def test_security_headers_on_every_response(client, path, status):
    response = client.get(path, status=status)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Content-Security-Policy"] == CSP
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: no HSTS


@pytest.mark.parametrize("path", ["/api/tags", "/"])
def test_security_headers_survive_a_crash(app, client, path):
    store_with(app, list_tags=crash)  # a bug: every request that lists tags fails
    response = client.get(path, status=500, expect_errors=True)  # the traceback is logged
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "a bug in the store" not in response.text


def test_avatars_from_https_sites_may_load(client):
    # A profile's image is a URL on another site: default-src 'self' alone blocks them all.
    policy = dict(directive.split(" ", 1)
                  for directive in client.get("/").headers["Content-Security-Policy"].split("; "))
    assert set(policy["img-src"].split()) == {"'self'", "https:"}


def test_hsts_over_https_or_behind_tls(client, client_with):
    response = client.get("/", extra_environ={"wsgi.url_scheme": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    behind = client_with(behind_tls=True)
    assert "Strict-Transport-Security" in behind.get("/").headers


# A Secure cookie travels over HTTPS only: behind TLS, a cookie without the flag
# would also be sent on any plain-HTTP request to the site, readable on the way.
@pytest.mark.parametrize("behind_tls", [True, False])
def test_session_cookie_is_secure_behind_tls(client_with, behind_tls):
    client = client_with(behind_tls=behind_tls)
    response = post_form(client, "/login", {"email": "demo@stagecraft.dev",
                                            "password": DEMO_PASSWORD},
                         extra_environ={"wsgi.url_scheme": "https" if behind_tls else "http"})
    session = cookie(response, "session")
    assert bool(session["secure"]) is behind_tls
    assert session["httponly"] and session["samesite"].lower() == "lax"


@pytest.mark.parametrize("behind_tls", [True, False])
def test_csrf_cookie_is_secure_behind_tls(client_with, behind_tls):
    csrf = cookie(client_with(behind_tls=behind_tls).get("/"), "csrf")
    assert bool(csrf["secure"]) is behind_tls


@pytest.mark.parametrize("request_", ["auth_header", "login", "user"])
def test_personal_responses_are_never_cached(client, request_):
    token = login(client).json["user"]["token"]
    response = {"auth_header": lambda: client.get("/api/articles",
                                                  headers={"Authorization": f"Token {token}"}),
                "login": lambda: login(client),
                "user": lambda: client.get("/api/user",
                                           headers={"Authorization": f"Token {token}"})}[request_]()
    assert response.headers["Cache-Control"] == "no-store"


# ---- CSRF -------------------------------------------------------------------
def test_every_state_changing_form_carries_a_csrf_token(client):
    post_form(client, "/login", {"email": "demo@stagecraft.dev", "password": DEMO_PASSWORD})
    pages = ["/", "/article/why-sqlite", "/editor", "/profile/ada",
             "/article/what-a-web-server-does"]
    for path in pages:
        html = client.get(path).text
        forms = re.findall(r'<form method="post".*?</form>', html, re.S)
        assert forms, path
        for form in forms:
            assert 'name="csrf_token"' in form, (path, form[:80])


@pytest.mark.parametrize("token", [None, "", "0" * 64])
def test_form_post_without_the_right_token_is_403(client, token):
    client.get("/login")  # gets the csrf cookie, as a browser would
    fields = {"email": "demo@stagecraft.dev", "password": DEMO_PASSWORD}
    if token is not None:
        fields["csrf_token"] = token
    response = client.post("/login", fields, status=403)
    assert "security token" in response.text
    assert "session=" not in response.headers.get("Set-Cookie", "")


def test_a_token_from_another_browser_is_refused(client, app):
    other = TestApp(app)
    stolen = re.search(r'name="csrf-token" content="([^"]+)"', other.get("/").text).group(1)
    client.get("/")  # this browser has its own csrf cookie
    client.post("/logout", {"csrf_token": stolen}, status=403)


# The CSRF check runs before the router: without a route, the honest answer is the router's.
@pytest.mark.parametrize("method, path, status", [("PUT", "/", 405),
                                                  ("DELETE", "/article/why-sqlite", 405),
                                                  ("POST", "/no-such-page", 404)])
def test_a_method_or_page_that_does_not_exist_is_not_a_csrf_403(client, method, path, status):
    client.get("/")  # a browser with its csrf cookie, posting no token
    getattr(client, method.lower())(path, status=status)


def test_the_api_needs_no_csrf_token(client):
    assert login(client).status_int == 200


def test_csrf_cookie_is_httponly(client):
    csrf = cookie(client.get("/"), "csrf")
    assert csrf["httponly"] and csrf["samesite"].lower() == "lax"


# ---- Login throttling -------------------------------------------------------
def test_repeated_failures_for_one_account_get_429_with_retry_after(client_with, settings,
                                                                     caplog):
    caplog.set_level("INFO", logger="reference_app.audit")
    client = client_with(**SLOW)
    for _ in range(settings.login_failures_before_backoff):
        login(client, password="wrong-password", status=401)
    response = login(client, status=429)  # from this address, even the right password waits
    assert response.json == {"errors": {"credentials": [
        "were wrong too often: try again later"]}}
    assert 0 < int(response.headers["Retry-After"]) <= settings.login_window_seconds
    assert "login throttled" in caplog.text
    assert "demo@stagecraft.dev" not in caplog.text and "wrong-password" not in caplog.text


def test_an_attackers_failures_do_not_lock_the_owner_out(client_with, settings):
    client = client_with(**SLOW)
    attacker, owner = {"REMOTE_ADDR": "198.51.100.7"}, {"REMOTE_ADDR": "203.0.113.5"}
    for _ in range(settings.login_failures_before_backoff):
        login(client, password="wrong-password", extra_environ=attacker, status=401)
    login(client, extra_environ=attacker, status=429)  # the attacker waits...
    assert login(client, extra_environ=owner).json["user"]["username"] == "demo"  # the owner not


def test_each_failure_past_the_limit_doubles_the_wait(client_with):
    client = client_with(login_failures_before_backoff=1, login_backoff_seconds=1)
    login(client, password="wrong-password", status=401)
    assert login(client, status=429).headers["Retry-After"] == "1"
    time.sleep(1.1)  # the wait is over: one more try, which fails too
    login(client, password="wrong-password", status=401)
    assert login(client, status=429).headers["Retry-After"] == "2"


def test_throttle_counts_are_shared_by_workers_and_survive_a_restart(client_with, settings):
    # Two app objects on one database: two gunicorn workers, as far as the app can tell.
    first, second = client_with(**SLOW), client_with(**SLOW)
    for n in range(settings.login_failures_before_backoff):
        login((first, second)[n % 2], password="wrong-password", status=401)
    login(second, status=429)
    restarted = client_with(**SLOW)  # a new process: nothing carried over in memory
    login(restarted, status=429)


def test_with_redis_every_instance_shares_the_counts(client_with, redis_url, settings, tmp_path):
    # Two instances with a database each and one Redis: the counts can only be in Redis.
    one = client_with(redis_url=redis_url, **SLOW)
    other = client_with(redis_url=redis_url, database=str(tmp_path / "other.db"), **SLOW)
    for _ in range(settings.login_failures_before_backoff):
        login(one, password="wrong-password", status=401)
    login(other, password="wrong-password", status=429)


def test_a_login_body_too_big_for_bottles_json_still_counts_for_its_account(client_with,
                                                                            settings):
    client = client_with(**SLOW)
    padding = "x" * 110_000  # over Bottle's MEMFILE_MAX (102,400 bytes), under max_body_bytes
    for _ in range(settings.login_failures_before_backoff):
        client.post_json("/api/users/login", {"user": {
            "email": "demo@stagecraft.dev", "password": "wrong-password", "padding": padding}},
            status=401)
    login(client, status=429)  # the same account and address, in a small body


def test_other_accounts_are_not_locked_by_one_accounts_failures(client_with, settings):
    client = client_with(**SLOW)
    for _ in range(settings.login_failures_before_backoff):
        login(client, password="wrong-password", status=401)
    login(client, email="ada@stagecraft.dev")


def test_one_address_trying_many_accounts_is_throttled(client_with):
    client = client_with(login_failures_per_address=3)
    for name in ("ada", "grace", "demo"):
        login(client, email=f"{name}@stagecraft.dev", password="wrong-password", status=401)
    login(client, email="reader9@stagecraft.dev", status=429)
    other = {"REMOTE_ADDR": "10.0.0.2"}
    login(client, email="ada@stagecraft.dev", extra_environ=other)


def test_forwarded_for_is_ignored_unless_behind_our_proxy(client_with):
    client = client_with(login_failures_per_address=2)
    for n in range(2):  # an attacker "changes address" with a header: no effect
        login(client, email=f"x{n}@example.com", password="wrong-password", status=401,
              headers={"X-Forwarded-For": f"10.9.9.{n}"})
    login(client, email="y@example.com", password="p", status=429,
          headers={"X-Forwarded-For": "10.9.9.9"})


def test_a_success_resets_the_accounts_count(client_with, settings):
    client = client_with(**SLOW)
    for _ in range(settings.login_failures_before_backoff - 1):
        login(client, password="wrong-password", status=401)
    login(client)
    for _ in range(settings.login_failures_before_backoff - 1):
        login(client, password="wrong-password", status=401)
    login(client)


def test_page_logins_are_throttled_too(client_with, settings):
    client = client_with(**SLOW)
    for _ in range(settings.login_failures_before_backoff):
        post_form(client, "/login", {"email": "demo@stagecraft.dev", "password": "nope"},
                  status=401)
    response = post_form(client, "/login", {"email": "demo@stagecraft.dev",
                                            "password": DEMO_PASSWORD}, status=429)
    assert response.headers["Retry-After"] and "try again later" in response.text


# ---- Sign-up throttling -----------------------------------------------------
def sign_up(client, name, email=None, **kwargs):
    return client.post_json("/api/users", {"user": {
        "username": name, "email": email or f"{name}@example.com", "password": "long enough"}},
        **kwargs)


def test_sign_ups_from_one_address_are_throttled(client_with):
    client = client_with(signups_per_address=2)
    sign_up(client, "ann", status=201)
    sign_up(client, "bob", email="ada@stagecraft.dev", status=409)  # a probe counts too
    response = sign_up(client, "cyd", status=429)
    assert response.json == {"errors": {"request": [
        "came too often from this address: try again later"]}}
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    sign_up(client, "cyd", extra_environ={"REMOTE_ADDR": "10.0.0.2"}, status=201)


def test_page_sign_ups_are_throttled_too(client_with):
    client = client_with(signups_per_address=1)
    register_on_pages(client, status=303)
    response = post_form(client, "/register", {"username": "dora", "email": "dora@example.com",
                                               "password": "long enough"}, status=429)
    assert response.headers["Retry-After"] and "try again later" in response.text


def test_no_sign_ups_while_the_address_is_throttled_for_logins(client_with):
    client = client_with(login_failures_per_address=2)
    for name in ("ada", "grace"):
        login(client, email=f"{name}@stagecraft.dev", password="wrong-password", status=401)
    sign_up(client, "eve", status=429)


def test_the_api_documents_the_throttles_429(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for path, ok in (("/api/users", "201"), ("/api/users/login", "200")):
        responses = paths[path]["post"]["responses"]
        assert {ok, "422", "429"} <= set(responses), path  # added to lesson 4's answers
        assert "Retry-After" in responses["429"]["headers"]
    with_bodies = [op for ops in paths.values() for op in ops.values() if "requestBody" in op]
    assert with_bodies and all({"413", "415"} <= set(op["responses"]) for op in with_bodies)


# ---- Bodies -----------------------------------------------------------------
def test_a_body_over_the_limit_is_413(client_with):
    client = client_with(max_body_bytes=100)
    response = client.post("/api/users/login", "x" * 101,
                           headers={"Content-Type": "application/json"}, status=413)
    assert response.json == {"errors": {"body": ["is too large (maximum is 100 bytes)"]}}


def post_chunked(app, path, body: bytes) -> tuple[int, dict]:
    """POST ``body`` in chunks (Transfer-Encoding: chunked, no Content-Length), as the
    development server lets any client do, and WebTest cannot: (status, JSON)."""
    chunks = [body[start:start + 100] for start in range(0, len(body), 100)]
    encoded = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "CONTENT_TYPE": "application/json",
               "HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(encoded)}
    setup_testing_defaults(environ)
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(int(status[:3]))

    result = app(environ, start_response)
    try:
        answer = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    return statuses[-1], json.loads(answer)


def login_body(password=DEMO_PASSWORD) -> bytes:
    return json.dumps({"user": {"email": "demo@stagecraft.dev", "password": password}}).encode()


def test_a_chunked_body_over_the_limit_is_413(client_with):
    app = client_with(max_body_bytes=300).app
    status, answer = post_chunked(app, "/api/users/login", login_body("x" * 400))
    assert (status, answer) == (413, {"errors": {"body": ["is too large (maximum is 300 bytes)"]}})


def test_a_chunked_body_under_the_limit_is_read(client_with):
    app = client_with(max_body_bytes=300).app
    status, answer = post_chunked(app, "/api/users/login", login_body())
    assert status == 200 and answer["user"]["username"] == "demo"


def test_a_json_endpoint_sent_form_data_is_415(client):
    response = client.post("/api/users/login", {"email": "a"}, status=415)
    assert list(response.json["errors"]) == ["body"]


def test_invalid_json_with_the_json_type_is_a_clear_422(client):
    response = client.post("/api/users/login", "{oops",
                           headers={"Content-Type": "application/json"}, status=422)
    assert response.json == {"errors": {"request": ["is not valid JSON"]}}


# ---- Secrets ----------------------------------------------------------------
@pytest.mark.parametrize("secret, message", [
    (None, "production needs STAGECRAFT_JWT_SECRET"),
    ("short", "too weak|at least 32 bytes"),  # lesson 4 refuses it first
    ("changeme" * 4, "too weak"),
    ("a" * 40, "too weak"),
])
def test_production_refuses_a_weak_or_missing_secret(stage, settings, create_app, secret,
                                                    message):
    with pytest.raises(ValueError, match=message):  # a SettingsError
        create_app(stage, dataclasses.replace(settings, production=True, jwt_secret=secret))


def test_production_starts_with_a_strong_secret(settings, stage, create_app):
    strong = dataclasses.replace(settings, production=True,
                                 jwt_secret="k7Qp2vX9mL4tR8wZ1nB6cF3hJ0sD5gY2")
    assert TestApp(create_app(stage, strong)).get("/api/tags").status_int == 200


def test_serve_refuses_in_one_line(tmp_path, app_module):
    import os
    import subprocess
    import sys

    env = {**os.environ, "STAGECRAFT_PRODUCTION": "true",
           "STAGECRAFT_INSTANCE_PATH": str(tmp_path)}
    env.pop("STAGECRAFT_JWT_SECRET", None)
    result = subprocess.run([sys.executable, "-m", "reference_app", "serve", "--stage", "5",
                             "--port", "0", "--db", str(tmp_path / "x.db"), "--app", app_module],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("reference-app: bad setting: production needs")
    assert len(result.stderr.strip().splitlines()) == 1


# ---- CORS -------------------------------------------------------------------
def test_cors_is_off_by_default(client):
    response = client.get("/api/tags", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    client.options("/api/articles", headers={"Origin": "https://evil.example"}, status=405)


def test_cors_allowlist_enables_a_front_end_origin(client_with):
    client = client_with(cors_origins=("http://localhost:4200",))
    response = client.get("/api/tags", headers={"Origin": "http://localhost:4200"})
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:4200"
    assert "Origin" in response.headers["Vary"]
    preflight = client.options("/api/articles", headers={
        "Origin": "http://localhost:4200", "Access-Control-Request-Method": "POST"}, status=204)
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    assert preflight.headers["Access-Control-Allow-Origin"] == "http://localhost:4200"
    stranger = client.get("/api/tags", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in stranger.headers


def test_security_txt(client):
    text = client.get("/.well-known/security.txt").text
    assert text.startswith("Contact: ") and "Expires: " in text


def test_error_bodies_are_json_for_the_api(client):
    body = client.post("/api/users", "[]", headers={"Content-Type": "application/json"},
                       status=422).json
    assert json.dumps(body).startswith('{"errors"')


def test_behind_our_proxy_the_last_forwarded_hop_is_the_client(client_with):
    client = client_with(login_failures_per_address=2, trust_proxy=True)
    # Our proxy appends the address it saw; anything before that, the client wrote.
    for n in range(2):
        login(client, email=f"x{n}@example.com", password="wrong-password", status=401,
              headers={"X-Forwarded-For": f"1.2.3.{n}, 203.0.113.7"})
    login(client, email="y@example.com", password="p", status=429,
          headers={"X-Forwarded-For": "9.9.9.9, 203.0.113.7"})
    login(client, email="ada@stagecraft.dev", headers={"X-Forwarded-For": "203.0.113.8"})
