"""Solution: password_hashing."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# One hasher: Argon2id with the RFC 9106 "low memory" defaults of argon2-cffi.
hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Return a hash to store. A blank password is a ValueError."""
    if not password:
        raise ValueError("password can't be blank")
    return hasher.hash(password)  # the salt and parameters live in the string


def verify_password(stored_hash: str, password: str) -> bool:
    """True if `password` matches; False if not, or if the hash is garbage."""
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):  # mismatch, or not a hash at all
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True if the hash was made with weaker parameters than today's."""
    return hasher.check_needs_rehash(stored_hash)
