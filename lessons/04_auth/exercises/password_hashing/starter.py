"""Exercise password_hashing: store passwords so that a stolen database
does not give away the passwords.

The starter uses SHA-256. It is fast, and that is the problem: an attacker
with a GPU tries billions of guesses a second. Argon2id is slow and needs a
lot of memory on purpose, and it salts each hash, so that equal passwords
get different hashes.
"""

import hashlib

from argon2 import PasswordHasher  # noqa: F401  (you will need it)
from argon2.exceptions import InvalidHashError, VerificationError  # noqa: F401

# TODO 1: make one PasswordHasher() here, at module level. Its defaults are
#         Argon2id with the parameters RFC 9106 recommends.


def hash_password(password: str) -> str:
    """Return a hash to store. A blank password is a ValueError."""
    # TODO 2: refuse "" with ValueError; hash with Argon2id instead of SHA-256.
    return hashlib.sha256(password.encode()).hexdigest()


def verify_password(stored_hash: str, password: str) -> bool:
    """True if `password` matches; False if not, or if the hash is garbage."""
    # TODO 3: use the hasher's verify(); it raises on a mismatch and on a
    #         malformed hash: turn both into False. Never let them escape.
    return hashlib.sha256(password.encode()).hexdigest() == stored_hash


def needs_rehash(stored_hash: str) -> bool:
    """True if the hash was made with weaker parameters than today's."""
    # TODO 4: ask the hasher (check_needs_rehash).
    raise NotImplementedError("needs_rehash")
