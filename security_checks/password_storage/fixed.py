"""Store and check user passwords."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Argon2id, argon2-cffi's default type, with its default cost: 3 passes over
# 64 MiB, 4 lanes (RFC 9106's second recommended option). Every hash gets
# its own random salt, and the hash string records the parameters used.
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Return the string to store in the database for this password."""
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Return True if password is the one that stored was made from."""
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
