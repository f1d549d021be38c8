"""Lesson 4: accounts, passwords, tokens and sessions."""

import dataclasses
import re
import stat
import time
from pathlib import Path

import jwt
import pytest
from conftest import post_form, register_on_pages
from seams import (
    OFF_SITE,
    SITE,
    database,
    racing_write,
    row,
    user_id_of,
    value,
    where_a_browser_goes,
)

from reference_app import Settings
from reference_app.seed import DEMO_PASSWORD

pytestmark = pytest.mark.stage(4)

# A signing key the test knows, given to the app through settings, so that a
# test can forge tokens just like the app's own, or almost.
SECRET = "test-only-signing-key-0123456789abcdefghij"


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


# A name is ASCII letters, digits and . _ - (and starts with a letter or digit):
# the Cyrillic "а" of "аda" looks just like the Latin "a" of "ada", and a name
# "." or ".." would read as a step up the path in /profile/<name>.
@pytest.mark.parametrize("username", ["\u0430da", "ad\u00e1", "..", ".hidden", "-x"])
def test_usernames_are_ascii_letters_digits_dot_dash_underscore(client, username):
    response = register(client, username, "lookalike@example.com", status=422)
    assert response.json == {"errors": {"username": ["is invalid"]}}


@pytest.mark.parametrize("password, message", [
    ("12345678", "is too common"),
    ("Password1", "is too common"),
    ("alice.smith", "can't be your username or email"),
    ("ALICE.SMITH@example.com", "can't be your username or email"),
])
def test_register_with_a_common_or_personal_password_is_422(client, password, message):
    response = register(client, "alice.smith", password=password, status=422)
    assert response.json == {"errors": {"password": [message]}}


def test_a_name_that_differs_only_in_case_is_taken(client):
    register(client, "Zoe")
    response = register(client, "zoe", "zoe2@example.com", status=409)
    assert response.json == {"errors": {"username": ["has already been taken"]}}
    register(client, "ADA", status=409)  # the seeded "ada" too


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


@pytest.fixture
def signed(client_with):
    """A client of an app that signs its tokens with SECRET."""
    return client_with(jwt_secret=SECRET)


@pytest.fixture
def alice_claims(signed) -> dict:
    """Register alice on the ``signed`` app; the claims of the token she gets. A
    test copies them, whatever they are, and changes one thing."""
    token = register(signed).json["user"]["token"]
    return jwt.decode(token, options={"verify_signature": False})


@pytest.fixture
def alice_id(alice_claims) -> str:
    """Her user id, as her token names it."""
    return alice_claims["sub"]


def status_with(client, claims, key=SECRET, algorithm="HS256") -> int:
    """The status of GET /api/user with a token of these claims, signed with ``key``."""
    token = jwt.encode(claims, key, algorithm=algorithm)
    return client.get("/api/user", headers=token_header(token), expect_errors=True).status_int


def in_a_minute() -> int:
    return int(time.time()) + 60


# Each test first shows that a token forged with SECRET works, then that the one
# thing it changes is enough to get a 401.
def test_expired_token_is_rejected(signed, alice_claims):
    now = int(time.time())
    assert status_with(signed, {**alice_claims, "iat": now, "exp": in_a_minute()}) == 200
    assert status_with(signed, {**alice_claims, "iat": now - 100, "exp": now - 10}) == 401


def test_token_without_exp_is_rejected(signed, alice_claims):
    assert status_with(signed, alice_claims) == 200
    assert status_with(signed, {k: v for k, v in alice_claims.items() if k != "exp"}) == 401


def test_token_signed_with_another_key_is_rejected(signed, alice_claims):
    assert status_with(signed, alice_claims) == 200
    assert status_with(signed, alice_claims, key="x" * 32) == 401


def test_alg_none_token_is_rejected(signed, alice_claims):
    assert status_with(signed, alice_claims) == 200
    assert status_with(signed, alice_claims, key=None, algorithm="none") == 401


def test_a_user_id_too_big_for_the_database_is_401_not_500(signed, alice_claims):
    assert status_with(signed, {**alice_claims, "sub": "9" * 18}) == 401  # nobody
    assert status_with(signed, {**alice_claims, "sub": "9" * 20}) == 401  # over 2**63


def test_a_token_from_an_earlier_database_is_refused(client_with, settings):
    # The same signing key on both sides of a reset, as in production, where it
    # comes from the environment.
    token = register(client_with(jwt_secret=SECRET)).json["user"]["token"]
    for suffix in ("", "-wal", "-shm"):  # what `reference-app reset` does
        Path(settings.database + suffix).unlink(missing_ok=True)
    fresh = client_with(jwt_secret=SECRET)  # the app started again, on a new database
    for number in range(10):  # new people sign up, until one has alice's old id
        newcomer = register(fresh, f"newcomer{number}").json["user"]["token"]
        if user_id_of(newcomer) == user_id_of(token):
            break
    else:
        pytest.fail("nobody got alice's old id")
    fresh.get("/api/user", headers=token_header(newcomer))
    fresh.get("/api/user", headers=token_header(token), status=401)


def test_token_of_a_deleted_user_is_rejected(client, settings):
    token = register(client).json["user"]["token"]
    client.get("/api/user", headers=token_header(token))
    with database(settings) as db:
        db.execute("delete from users where id = ?", [user_id_of(token)])
    client.get("/api/user", headers=token_header(token), status=401)


def test_the_apps_own_credentials_make_tokens_it_accepts(signed, settings, alice_id):
    alice = row(settings, "select * from users where id = ?", alice_id)
    token = signed.app.config["auth.credentials"].token_for(alice)
    assert signed.get("/api/user", headers=token_header(token)).json["user"]["username"] == \
        "alice"


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


# ---- Two requests at once ---------------------------------------------------
# racing_write lets another connection write at the moment the request starts
# its own write: what a second request, a moment earlier, would have done.
def test_renaming_to_a_name_taken_at_that_moment_is_409_not_500(app, client, settings):
    token = register(client).json["user"]["token"]
    with racing_write(app, settings, "update users set username = 'zed' where username = 'ada'"):
        response = client.put_json("/api/user", {"user": {"username": "zed"}},
                                   headers=token_header(token), status=409)
    assert response.json == {"errors": {"username": ["has already been taken"]}}


def test_registering_a_name_taken_at_that_moment_is_409_not_500(app, client, settings):
    with racing_write(app, settings, "update users set username = 'alice' where username = 'ada'"):
        response = register(client, "alice", status=409)
    assert response.json == {"errors": {"username": ["has already been taken"]}}


def test_the_register_page_shows_a_name_taken_at_that_moment_beside_the_field(app, client,
                                                                              settings):
    with racing_write(app, settings, "update users set username = 'carol' where username = 'ada'"):
        response = register_on_pages(client, status=422)
    assert "Username has already been taken" in response.text


def test_an_edit_of_the_image_keeps_a_concurrent_edit_of_the_bio(app, client, settings):
    token = register(client).json["user"]["token"]
    with racing_write(app, settings, "update users set bio = 'Written meanwhile' where id = ?",
                      user_id_of(token)):
        client.put_json("/api/user", {"user": {"image": "https://x.io/a.png"}},
                        headers=token_header(token))
    user = client.get("/api/user", headers=token_header(token)).json["user"]
    assert (user["bio"], user["image"]) == ("Written meanwhile", "https://x.io/a.png")


def test_a_password_change_takes_and_keeps_a_concurrent_edit(app, client, settings):
    token = register(client, password="the old password").json["user"]["token"]
    with racing_write(app, settings, "update users set bio = 'Written meanwhile' where id = ?",
                      user_id_of(token)):
        client.put_json("/api/user", {"user": {"password": "the new password"}},
                        headers=token_header(token))
    login = {"email": "alice@example.com", "password": "the new password"}
    user = client.post_json("/api/users/login", {"user": login}).json["user"]
    assert user["bio"] == "Written meanwhile"
    client.post_json("/api/users/login", {"user": {**login, "password": "the old password"}},
                     status=401)


def test_image_must_be_a_web_url(client):
    token = register(client).json["user"]["token"]
    client.put_json("/api/user", {"user": {"image": "javascript:alert(1)"}},
                    headers=token_header(token), status=422)


# Every article in a list repeats its author's bio and image: unbounded, one
# profile made every list megabytes long.
@pytest.mark.parametrize("field, longest, value", [
    ("bio", 1000, "b"), ("image", 2000, "https://x.io/" + "i" * 1987)])
def test_bio_and_image_have_length_limits(client, field, longest, value):
    token = register(client).json["user"]["token"]
    fits = value * longest if field == "bio" else value
    assert len(fits) == longest
    user = client.put_json("/api/user", {"user": {field: fits}},
                           headers=token_header(token)).json["user"]
    assert user[field] == fits
    response = client.put_json("/api/user", {"user": {field: fits + "x"}},
                               headers=token_header(token), status=422)
    assert response.json == {"errors": {field: [
        f"is too long (maximum is {longest} characters)"]}}


def test_a_new_password_that_is_your_own_username_is_422(client):
    token = register(client, "alice.smith").json["user"]["token"]
    for mine in ("alice.smith", "Alice.Smith@example.com"):
        response = client.put_json("/api/user", {"user": {"password": mine}},
                                   headers=token_header(token), status=422)
        assert response.json == {"errors": {"password": ["can't be your username or email"]}}


def test_a_password_change_ends_every_earlier_token(client):
    first = register(client, password="the old password").json["user"]["token"]
    login = {"email": "alice@example.com", "password": "the old password"}
    second = client.post_json("/api/users/login", {"user": login}).json["user"]["token"]
    client.put_json("/api/user", {"user": {"bio": "Other edits end nothing"}},
                    headers=token_header(first))
    changed = client.put_json("/api/user", {"user": {"password": "the new password"}},
                              headers=token_header(second)).json["user"]
    for old in (first, second):
        response = client.get("/api/user", headers=token_header(old), status=401)
        assert response.json == {"errors": {"token": ["is invalid"]}}
    client.get("/api/user", headers=token_header(changed["token"]))  # the answer's token works


STORED_HASH = "select password_hash from users where username = 'alice'"
ARGON2ID = re.compile(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$")


def test_passwords_are_stored_as_argon2id_hashes(client, settings):
    register(client, password="correct horse")
    stored = value(settings, STORED_HASH)
    assert ARGON2ID.match(stored) and "correct horse" not in stored


def test_production_argon2_defaults_meet_owasp_minimums(client_with, settings):
    defaults = Settings()  # what a deployment gets without setting anything
    register(client_with(argon2_time_cost=defaults.argon2_time_cost,
                         argon2_memory_kib=defaults.argon2_memory_kib,
                         argon2_parallelism=defaults.argon2_parallelism))
    memory_kib, passes, lanes = map(int, ARGON2ID.match(value(settings, STORED_HASH)).groups())
    assert memory_kib >= 19456 and passes >= 2 and lanes >= 1  # OWASP's Argon2id minimums


def test_login_upgrades_a_hash_made_with_weaker_parameters(client, client_with, settings):
    register(client)  # hashed with the cheap test parameters
    assert "m=8,t=1" in value(settings, STORED_HASH)
    client_with(argon2_time_cost=2, argon2_memory_kib=16).post_json("/api/users/login", {
        "user": {"email": "alice@example.com", "password": "correct horse"}})
    assert "m=16,t=2" in value(settings, STORED_HASH)


def test_generated_secret_is_private_and_stable(client, client_with, settings):
    token = register(client).json["user"]["token"]  # signed with a secret the app made
    client_with().get("/api/user", headers=token_header(token))  # a new app, same settings
    made = list(Path(settings.instance_path).iterdir())
    assert made, "no secret was written to the instance folder"
    for path in made:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.stat().st_size >= 32


def test_a_short_secret_is_refused(stage, settings, create_app):
    with pytest.raises(ValueError, match="at least 32 bytes"):  # a SettingsError
        create_app(stage, dataclasses.replace(settings, jwt_secret="short"))


def test_credentials_never_show_the_secret(signed):
    assert SECRET not in repr(signed.app.config["auth.credentials"])


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


def log_in_on_pages(client, next_):
    return post_form(client, "/login", {"email": "alice@example.com",
                                        "password": "correct horse", "next": next_})


def test_page_login_follows_next_on_this_site(client):
    register(client)
    response = log_in_on_pages(client, "/article/why-sqlite")
    assert response.status_int == 303
    assert where_a_browser_goes(response) == SITE + "/article/why-sqlite"


@pytest.mark.parametrize("target", OFF_SITE)
def test_page_login_never_follows_next_off_site(client, target):
    register(client)
    response = log_in_on_pages(client, target)
    assert response.status_int == 303
    assert "evil.example" not in where_a_browser_goes(response)  # neither host nor path


def test_page_login_failure_keeps_the_email_and_says_why(client):
    response = post_form(client, "/login", {"email": "alice@example.com", "password": "nope"},
                           status=401)
    assert 'value="alice@example.com"' in response.text
    assert "Email or password is incorrect" in response.text


def test_register_page_creates_an_account_and_logs_in(client):
    response = post_form(client, "/register", {"username": "carol", "email": "carol@example.com",
                                         "password": "long enough"})
    assert response.status_int == 303
    assert "carol" in client.get("/").text


def test_register_page_shows_errors_and_keeps_input_but_not_the_password(client):
    response = post_form(client, "/register", {"username": "ada", "email": "x@example.com",
                                         "password": "secret-password"}, status=422)
    assert "Username has already been taken" in response.text
    assert 'value="x@example.com"' in response.text
    assert "secret-password" not in response.text
    response = post_form(client, "/register", {"username": "", "email": "", "password": "x"},
                           status=422)
    assert "can&#039;t be blank" in response.text
    response = post_form(client, "/register", {"username": "dan", "email": "dan.example.com",
                                               "password": "long enough"}, status=422)
    assert "Email must look like name@example.com" in response.text  # says what would pass


def test_pages_that_need_a_login_redirect_to_it(client):
    response = client.get("/editor")
    assert response.status_int == 303 and "/login?next=/editor" in response.location


def test_logout_clears_the_cookie(client):
    register_on_pages(client)
    post_form(client, "/logout")
    assert "Sign in" in client.get("/").text


def test_error_pages_know_who_is_signed_in(client):
    # No route answered a 404, so no plugin ran: the page still draws the right top bar.
    register_on_pages(client)
    missing = client.get("/no-such-page", status=404).text
    assert "Sign out" in missing and 'href="/login"' not in missing
    assert ">carol</a>" in missing
    post_form(client, "/logout")
    assert 'href="/login"' in client.get("/no-such-page", status=404).text


def test_a_forged_session_cookie_is_ignored(client):
    client.set_cookie("session", "forged.token.value")
    assert "Sign in" in client.get("/").text
    assert client.get("/editor").status_int == 303


def test_logout_ends_the_session_even_for_a_copy_of_the_cookie(client):
    register_on_pages(client)
    copy = client.cookies["session"]  # taken by someone who had the laptop a minute
    login = {"email": "carol@example.com", "password": "long enough"}
    api_token = client.post_json("/api/users/login", {"user": login}).json["user"]["token"]
    assert client.get("/editor").status_int == 200
    post_form(client, "/logout")
    client.set_cookie("session", copy)
    assert client.get("/editor").status_int == 303  # to the login page
    assert "Sign in" in client.get("/").text
    # One key per user: logging out ends every session of the user, the API's too.
    client.get("/api/user", headers=token_header(api_token), status=401)


def test_a_password_change_ends_the_page_sessions_too(client):
    register_on_pages(client)
    login = {"email": "carol@example.com", "password": "long enough"}
    token = client.post_json("/api/users/login", {"user": login}).json["user"]["token"]
    client.put_json("/api/user", {"user": {"password": "a new one, long enough"}},
                    headers=token_header(token))
    assert client.get("/editor").status_int == 303


def test_a_session_cookie_is_no_api_token_and_an_api_token_no_session_cookie(client):
    register_on_pages(client)
    cookie = client.cookies["session"]
    response = client.get("/api/user", headers=token_header(cookie), status=401)
    assert response.json == {"errors": {"token": ["is invalid"]}}
    token = register(client).json["user"]["token"]
    client.set_cookie("session", token)
    assert client.get("/editor").status_int == 303
    client.get("/api/user", headers=token_header(token))  # where it belongs, it works


def test_the_api_ignores_the_session_cookie(client):
    # Only pages read the cookie; the API wants the header. So a cookie alone,
    # which a browser attaches to any request, can never act through the API.
    register_on_pages(client)
    client.post_json("/api/articles", {"article": {"title": "t", "description": "d",
                                                   "body": "b"}}, status=401)
