"""Store and check user passwords."""

import hashlib


def hash_password(password: str) -> str:
    """Return the string to store in the database for this password."""
    # MD5 is fast and unsalted. The same password always gives the same hash,
    # so one precomputed table cracks every user at once, and a single graphics
    # card tries billions of guesses a second.
    return hashlib.md5(password.encode()).hexdigest()  # expect: B324


def verify_password(stored: str, password: str) -> bool:
    """Return True if password is the one that stored was made from."""
    return hash_password(password) == stored
