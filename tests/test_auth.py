"""Lesson 4: accounts, passwords, tokens and sessions."""

import os
import stat
import time

import jwt
import pytest
from conftest import post_form, register_on_pages

from reference_app import Settings, create_app
from reference_app.auth.credentials import Credentials, load_secret
from reference_app.core.settings import SettingsError
from reference_app.seed import DEMO_PASSWORD

pytestmark = pytest.mark.stage(4)


def register(client, username="alice", email=None, password="correct horse", **kwargs):  # noqa: S107
    user = {"username": username, "email": email or f"{username}@example.com",
            "password": password}
    return client.post_json("/api/users", {"user": user}, **kwargs)


def token_header(token):
    return {"Authorization": f"Token {token}"}


def test_register_is_201_with_user_and_token(client):
    response = register(client)
    assert response.status_int == 201
    user = response.json["user"]
    assert user["username"] == "alice" and user["email"] == "alice@example.com"
    assert user["bio"] is None and user["image"] is None
    assert isinstance(user["token"], str) and user["token"]


def test_login_returns_the_user_with_a_token(client):
    register(client)
    response = client.post_json("/api/users/login", {"user": {
        "email": "alice@example.com", "password": "correct horse"}})
    assert response.json["user"]["username"] == "alice"
    me = client.get("/api/user", headers=token_header(response.json["user"]["token"]))
    assert me.json["user"]["email"] == "alice@example.com"


def test_the_seeded_demo_login_works(client):
    response = client.post_json("/api/users/login", {"user": {
        "email": "demo@stagecraft.dev", "password": DEMO_PASSWORD}})
    assert response.json["user"]["username"] == "demo"


@pytest.mark.parametrize("password", ["wrong password", "correct horse "])
def test_wrong_password_is_401_credentials_invalid(client, password):
    register(client)
    response = client.post_json("/api/users/login", {"user": {
        "email": "alice@example.com", "password": password}}, status=401)
    assert response.json == {"errors": {"credentials": ["invalid"]}}


def test_unknown_email_is_the_same_401(client):
    response = client.post_json("/api/users/login", {"user": {
        "email": "nobody@example.com", "password": "whatever1"}}, status=401)
    assert response.json == {"errors": {"credentials": ["invalid"]}}


@pytest.mark.parametrize("field", ["email", "password"])
def test_login_with_blank_field_is_422(client, field):
    user = {"email": "a@example.com", "password": "secret123", field: ""}
    response = client.post_json("/api/users/login", {"user": user}, status=422)
    assert response.json == {"errors": {field: ["can't be blank"]}}


@pytest.mark.parametrize("field", ["username", "email", "password"])
@pytest.mark.parametrize("blank", ["", None])
def test_register_with_blank_field_is_422(client, field, blank):
    user = {"username": "bob", "email": "bob@example.com", "password": "secret123", field: blank}
    response = client.post_json("/api/users", {"user": user}, status=422)
    assert response.json == {"errors": {field: ["can't be blank"]}}


@pytest.mark.parametrize("field", ["username", "email"])
def test_duplicate_username_or_email_is_409(client, field):
    register(client, "alice", "alice@example.com")
    clash = {"username": "alice2", "email": "alice2@example.com", "password": "secret123"}
    clash[field] = {"username": "alice", "email": "ALICE@example.com"}[field]
    response = client.post_json("/api/users", {"user": clash}, status=409)
    assert response.json == {"errors": {field: ["has already been taken"]}}


@pytest.mark.parametrize("username", ["has space", "slash/y", "x" * 41])
def test_usernames_that_would_break_urls_are_422(client, username):
    response = register(client, username, "weird@example.com", status=422)
    assert response.json == {"errors": {"username": ["is invalid"]}}


def test_register_with_short_password_is_422(client):
    response = register(client, password="short", status=422)
    assert response.json == {"errors": {"password": ["is too short (minimum is 8 characters)"]}}


def test_get_user_without_token_is_401_token_missing(client):
    response = client.get("/api/user", status=401)
    assert response.json == {"errors": {"token": ["is missing"]}}


@pytest.mark.parametrize("header", [
    "Token not.a.jwt", "Bearer {good}", "Token", "Token {good}x", "{good}",
])
def test_bad_token_is_401_in_the_same_shape(client, header):
    good = register(client).json["user"]["token"]
    response = client.get("/api/user", headers={"Authorization": header.format(good=good)},
                          status=401)
    assert list(response.json["errors"]) == ["token"]


def test_a_bad_token_on_an_optional_route_is_401_too(client):
    client.get("/api/articles", headers={"Authorization": "Token forged"}, status=401)


def forge(settings, claims, key=None, algorithm="HS256"):
    key = key or load_secret(settings)
    return jwt.encode(claims, key, algorithm=algorithm)


def test_expired_token_is_rejected(client, settings):
    user_id = register(client)  # makes user 4
    assert user_id.status_int == 201
    now = int(time.time())
    token = forge(settings, {"sub": "4", "iat": now - 100, "exp": now - 10})
    client.get("/api/user", headers=token_header(token), status=401)


def test_token_without_exp_is_rejected(client, settings):
    register(client)
    token = forge(settings, {"sub": "4"})
    client.get("/api/user", headers=token_header(token), status=401)


def test_token_signed_with_another_key_is_rejected(client, settings):
    register(client)
    token = forge(settings, {"sub": "4", "exp": int(time.time()) + 60}, key="x" * 32)
    client.get("/api/user", headers=token_header(token), status=401)


def test_alg_none_token_is_rejected(client):
    register(client)
    token = jwt.encode({"sub": "4", "exp": int(time.time()) + 60}, None, algorithm="none")
    client.get("/api/user", headers=token_header(token), status=401)


def test_token_of_a_deleted_user_is_rejected(client, settings):
    token = register(client).json["user"]["token"]
    from reference_app.database.connection import connect

    connect(settings.database).execute("delete from users where username = 'alice'")
    client.get("/api/user", headers=token_header(token), status=401)


def test_update_user_changes_fields_and_keeps_the_rest(client):
    token = register(client).json["user"]["token"]
    user = client.put_json("/api/user", {"user": {"bio": "Hello", "image": "https://x.io/a.png"}},
                           headers=token_header(token)).json["user"]
    assert (user["bio"], user["image"], user["username"]) == ("Hello", "https://x.io/a.png",
                                                              "alice")
    again = client.get("/api/user", headers=token_header(token)).json["user"]
    assert again["bio"] == "Hello"


@pytest.mark.parametrize("empty", ["", None])
def test_empty_bio_and_image_are_stored_as_null(client, empty):
    token = register(client).json["user"]["token"]
    client.put_json("/api/user", {"user": {"bio": "x", "image": "https://x.io/i.png"}},
                    headers=token_header(token))
    user = client.put_json("/api/user", {"user": {"bio": empty, "image": empty}},
                           headers=token_header(token)).json["user"]
    assert user["bio"] is None and user["image"] is None


@pytest.mark.parametrize("field", ["username", "email"])
@pytest.mark.parametrize("blank", ["", None])
def test_update_with_blank_username_or_email_is_422(client, field, blank):
    token = register(client).json["user"]["token"]
    response = client.put_json("/api/user", {"user": {field: blank}},
                               headers=token_header(token), status=422)
    assert response.json == {"errors": {field: ["can't be blank"]}}


@pytest.mark.parametrize("length, status", [(7, 422), (8, 200), (64, 200), (128, 200),
                                            (129, 422)])
def test_update_password_length_rules(client, length, status):
    token = register(client).json["user"]["token"]
    client.put_json("/api/user", {"user": {"password": "p" * length}},
                    headers=token_header(token), status=status)
    if status == 200:  # and the new password really works, untruncated
        client.post_json("/api/users/login", {"user": {"email": "alice@example.com",
                                                       "password": "p" * length}})
        client.post_json("/api/users/login", {"user": {"email": "alice@example.com",
                                                       "password": "p" * (length - 1)}},
                         status=401)


def test_update_username_and_email_then_log_in_with_the_new_email(client):
    token = register(client).json["user"]["token"]
    user = client.put_json("/api/user", {"user": {"username": "alice2",
                                                  "email": "alice2@example.com"}},
                           headers=token_header(token)).json["user"]
    assert user["username"] == "alice2"
    client.get("/api/user", headers=token_header(user["token"]))
    client.post_json("/api/users/login", {"user": {"email": "alice2@example.com",
                                                   "password": "correct horse"}})


def test_update_to_a_taken_username_is_409(client):
    token = register(client).json["user"]["token"]
    response = client.put_json("/api/user", {"user": {"username": "ada"}},
                               headers=token_header(token), status=409)
    assert response.json == {"errors": {"username": ["has already been taken"]}}


def test_image_must_be_a_web_url(client):
    token = register(client).json["user"]["token"]
    client.put_json("/api/user", {"user": {"image": "javascript:alert(1)"}},
                    headers=token_header(token), status=422)


def test_passwords_are_stored_as_argon2id_hashes(client, settings):
    register(client, password="correct horse")
    from reference_app.database.connection import connect

    stored = connect(settings.database).execute(
        "select password_hash from users where username = 'alice'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_production_argon2_defaults_meet_owasp_minimums(tmp_path):
    hasher = Credentials(Settings(instance_path=str(tmp_path))).hasher
    assert (hasher.memory_cost, hasher.time_cost, hasher.parallelism) >= (19456, 2, 1)
    assert hasher.type.name == "ID"
    assert hasher.hash("x").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_login_upgrades_a_hash_made_with_weaker_parameters(client, settings):
    register(client)  # hashed with the cheap test parameters
    stronger = Settings(database=settings.database, instance_path=settings.instance_path,
                        argon2_time_cost=2, argon2_memory_kib=16)
    from webtest import TestApp

    TestApp(create_app(4, stronger)).post_json("/api/users/login", {"user": {
        "email": "alice@example.com", "password": "correct horse"}})
    from reference_app.database.connection import connect

    stored = connect(settings.database).execute(
        "select password_hash from users where username = 'alice'").fetchone()[0]
    assert "m=16,t=2" in stored


def test_generated_secret_is_private_and_stable(settings):
    first = load_secret(settings)
    path = os.path.join(settings.instance_path, "jwt_secret")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(first) >= 32 and load_secret(settings) == first


def test_a_short_secret_is_refused(settings):
    import dataclasses

    with pytest.raises(SettingsError, match="at least 32 bytes"):
        load_secret(dataclasses.replace(settings, jwt_secret="short"))


def test_credentials_never_show_the_secret(settings):
    credentials = Credentials(settings)
    assert load_secret(settings) not in repr(credentials)


def test_audit_log_records_logins_without_secrets(client, caplog):
    register(client)
    caplog.set_level("INFO", logger="reference_app.audit")
    client.post_json("/api/users/login", {"user": {"email": "alice@example.com",
                                                   "password": "correct horse"}})
    client.post_json("/api/users/login", {"user": {"email": "alice@example.com",
                                                   "password": "wrong one"}}, status=401)
    assert "login ok" in caplog.text and "login failed" in caplog.text
    assert "correct horse" not in caplog.text and "wrong one" not in caplog.text


# ---- Pages log in with a session cookie ------------------------------------
def test_page_login_sets_an_httponly_samesite_cookie(client):
    register(client)
    response = post_form(client, "/login", {"email": "alice@example.com",
                                      "password": "correct horse", "next": "/editor"})
    assert response.status_int == 303 and response.location.endswith("/editor")
    cookie = response.headers["Set-Cookie"]
    assert "session=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert "alice" in client.get("/").text


def test_page_login_never_redirects_off_site(client):
    register(client)
    response = post_form(client, "/login", {"email": "alice@example.com",
                                      "password": "correct horse", "next": "//evil.example"})
    assert response.location.endswith("://localhost:80/") or response.location == "/"


def test_page_login_failure_keeps_the_email_and_says_why(client):
    response = post_form(client, "/login", {"email": "alice@example.com", "password": "nope"},
                           status=401)
    assert 'value="alice@example.com"' in response.text and "credentials invalid" in response.text


def test_register_page_creates_an_account_and_logs_in(client):
    response = post_form(client, "/register", {"username": "carol", "email": "carol@example.com",
                                         "password": "long enough"})
    assert response.status_int == 303
    assert "carol" in client.get("/").text


def test_register_page_shows_errors_and_keeps_input_but_not_the_password(client):
    response = post_form(client, "/register", {"username": "ada", "email": "x@example.com",
                                         "password": "secret-password"}, status=422)
    assert "username has already been taken" in response.text
    assert 'value="x@example.com"' in response.text
    assert "secret-password" not in response.text
    response = post_form(client, "/register", {"username": "", "email": "", "password": "x"},
                           status=422)
    assert "can&#039;t be blank" in response.text


def test_pages_that_need_a_login_redirect_to_it(client):
    response = client.get("/editor")
    assert response.status_int == 303 and "/login?next=/editor" in response.location


def test_logout_clears_the_cookie(client):
    register_on_pages(client)
    post_form(client, "/logout")
    assert "Sign in" in client.get("/").text


def test_a_forged_session_cookie_is_ignored(client):
    client.set_cookie("session", "forged.token.value")
    assert "Sign in" in client.get("/").text
    assert client.get("/editor").status_int == 303


def test_the_api_ignores_the_session_cookie(client):
    # Only pages read the cookie; the API wants the header. So a cookie alone,
    # which a browser attaches to any request, can never act through the API.
    register_on_pages(client)
    client.post_json("/api/articles", {"article": {"title": "t", "description": "d",
                                                   "body": "b"}}, status=401)
