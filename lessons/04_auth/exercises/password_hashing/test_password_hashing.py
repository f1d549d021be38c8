"""Tests for password_hashing. Run via `python -m lessons check password_hashing`."""

import pytest
from argon2 import PasswordHasher


@pytest.fixture
def hash_password(exercise):
    return exercise.get("hash_password")


@pytest.fixture
def verify_password(exercise):
    return exercise.get("verify_password")


def test_2_the_hash_is_argon2id(hash_password):
    assert hash_password("correct horse battery staple").startswith("$argon2id$")


def test_2_the_hash_does_not_contain_the_password(hash_password):
    assert "staple" not in hash_password("correct horse battery staple")


def test_2_equal_passwords_get_different_hashes_thanks_to_the_salt(hash_password):
    assert hash_password("same password") != hash_password("same password")


def test_2_a_blank_password_is_refused(hash_password):
    with pytest.raises(ValueError):
        hash_password("")


def test_3_the_right_password_verifies(hash_password, verify_password):
    assert verify_password(hash_password("s3cret!"), "s3cret!") is True


def test_3_a_wrong_password_is_false_not_an_exception(hash_password, verify_password):
    assert verify_password(hash_password("s3cret!"), "S3cret!") is False


@pytest.mark.parametrize("garbage", ["", "not-a-hash", "$argon2id$v=19$broken"])
def test_3_a_malformed_hash_is_false_not_an_exception(verify_password, garbage):
    assert verify_password(garbage, "anything") is False


def test_4_an_old_weak_hash_needs_rehashing(exercise):
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("pw")
    assert exercise.get("needs_rehash")(weak) is True


def test_4_a_fresh_hash_does_not(exercise, hash_password):
    assert exercise.get("needs_rehash")(hash_password("pw")) is False
