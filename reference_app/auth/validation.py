"""Lesson 4's validation: what a username, an email, a password, a bio and an
image may be. The OpenAPI document (openapi.py) quotes these very limits."""

from __future__ import annotations

import re

# Spelled out rather than with \w or \s, which mean different things in Python
# and in JSON Schema (the OpenAPI document quotes these patterns). ASCII only:
# Python's \w takes the Cyrillic "а" of "аda", a name that looks like "ada".
# The first character is a letter or digit, so no name is "." or "..", which
# browsers read as a step up the path in /profile/<name>.
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")  # safe in a URL path
EMAIL = re.compile(r"[^@\x00-\x20\x7f]{1,64}@[^@\x00-\x20\x7f]{1,255}")
IMAGE = re.compile(r"https?://[^\x00-\x20\x7f]+")  # a web URL, without spaces or controls
PASSWORD_MIN, PASSWORD_MAX = 8, 128
# Every article in a list repeats its author's bio and image: unbounded, one
# 1 MB bio made every list of that author's articles megabytes long.
BIO_MAX, IMAGE_MAX = 1_000, 2_000
# A few of the passwords that every guessing script tries first. A short list
# shows the idea; a team checks new passwords against the hundreds of millions
# in Have I Been Pwned's Pwned Passwords (its range API is sent only the first
# five characters of a password's SHA-1), or scores them with zxcvbn.
COMMON_PASSWORDS = frozenset({
    "12345678", "123456789", "1234567890", "11111111", "00000000", "87654321",
    "password", "password1", "passw0rd", "iloveyou", "qwertyuiop", "qwerty123",
    "1q2w3e4r", "abc12345", "sunshine", "princess", "football", "superman",
})


# --8<-- [start:validation]
def clean_account(data: dict, *, creating: bool, current: dict | None = None) -> tuple[dict, dict]:
    """(changes, errors) for a registration (every field) or an edit of ``current``
    (only the fields sent)."""
    changes, errors = {}, {}
    # Each message reads after the field's label: "Email must look like name@example.com".
    for field, pattern, invalid in (("username", USERNAME, "is invalid"),
                                    ("email", EMAIL, "must look like name@example.com")):
        if field not in data and not creating:
            continue
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            errors[field] = ["can't be blank"]
        elif not pattern.fullmatch(value):
            errors[field] = [invalid]
        else:
            changes[field] = value
    if "password" in data or creating:
        password = data.get("password")
        if not isinstance(password, str) or not password:
            errors["password"] = ["can't be blank"]
        elif len(password) < PASSWORD_MIN:
            errors["password"] = [f"is too short (minimum is {PASSWORD_MIN} characters)"]
        elif len(password) > PASSWORD_MAX:  # refused, never silently cut short
            errors["password"] = [f"is too long (maximum is {PASSWORD_MAX} characters)"]
        elif password.lower() in COMMON_PASSWORDS:
            errors["password"] = ["is too common"]
        elif password.lower() in personal(data, current):
            errors["password"] = ["can't be your username or email"]
        else:
            changes["password"] = password
    for field, limit in (("bio", BIO_MAX), ("image", IMAGE_MAX)):
        if field in data and data[field] is not None and not isinstance(data[field], str):
            errors[field] = ["must be a string"]
        elif field in data and data[field] and len(data[field]) > limit:
            errors[field] = [f"is too long (maximum is {limit} characters)"]
        elif field in data:
            changes[field] = data[field] or None  # "" means "clear it"
    if changes.get("image") and not IMAGE.fullmatch(changes["image"]):
        errors["image"] = ["must be an http(s) URL"]
    return changes, errors
# --8<-- [end:validation]


def personal(data: dict, current: dict | None) -> set[str]:
    """The account's username and email as sent, or else as they are now, lowercased:
    the first guesses of anyone who knows whose account it is."""
    found = set()
    for field in ("username", "email"):
        value = data.get(field) or (current or {}).get(field)
        if isinstance(value, str):
            found.add(value.lower())
    return found
