"""Tests for jwt_tokens. Run via `python -m lessons check jwt_tokens`."""

import datetime as dt

import jwt
import pytest

# 64 bytes or more, so that PyJWT does not warn even for the HS512 forgery below.
SECRET = "test-secret-" + "0123456789abcdef" * 4
OTHER = "other-secret-" + "fedcba9876543210" * 4


@pytest.fixture
def make_token(exercise):
    return exercise.get("make_token")


@pytest.fixture
def read_token(exercise):
    return exercise.get("read_token")


def forge(claims: dict, key: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def in_an_hour() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)


def test_a_token_round_trips_to_the_user_id(make_token, read_token):
    assert read_token(make_token(42, SECRET), SECRET) == 42


def test_the_token_is_signed_with_hs256(make_token):
    assert jwt.get_unverified_header(make_token(42, SECRET))["alg"] == "HS256"


def test_1_the_token_expires_after_its_ttl(make_token):
    claims = jwt.decode(make_token(42, SECRET, dt.timedelta(minutes=5)), SECRET,
                        algorithms=["HS256"], options={"verify_exp": False})
    assert "exp" in claims, "add an exp claim"
    assert claims["exp"] - claims["iat"] == 300


def test_2_a_token_signed_with_another_secret_is_rejected(read_token):
    assert read_token(forge({"sub": "1", "exp": in_an_hour()}, key=OTHER), SECRET) is None


def test_2_an_unsigned_alg_none_token_is_rejected(read_token):
    assert read_token(forge({"sub": "1", "exp": in_an_hour()}, key=None, algorithm="none"),
                      SECRET) is None


def test_2_another_algorithm_is_rejected_even_with_the_right_secret(read_token):
    assert read_token(forge({"sub": "1", "exp": in_an_hour()}, algorithm="HS512"), SECRET) is None


def test_2_a_token_without_exp_is_rejected(read_token):
    assert read_token(forge({"sub": "1"}), SECRET) is None


def test_3_an_expired_token_is_rejected(make_token, read_token):
    assert read_token(make_token(42, SECRET, dt.timedelta(seconds=-1)), SECRET) is None


def test_3_garbage_is_rejected(read_token):
    assert read_token("not.a.token", SECRET) is None


@pytest.mark.parametrize("sub", ["abc", "", "²", " 7", "-1", "1e3"])
def test_3_a_signed_token_whose_sub_is_not_a_user_id_is_rejected(read_token, sub):
    # Correctly signed and not expired: only the sub is wrong. None, not a ValueError.
    assert read_token(forge({"sub": sub, "exp": in_an_hour()}), SECRET) is None


@pytest.mark.parametrize(("header", "expected"), [
    ("Token abc.def.ghi", "abc.def.ghi"),
    ("Bearer abc.def.ghi", None),
    ("abc.def.ghi", None),
    ("Token ", None),
    ("", None),
    (None, None),
])
def test_4_only_the_token_scheme_is_accepted(exercise, header, expected):
    assert exercise.get("token_from_header")(header) == expected
