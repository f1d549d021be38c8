"""Lesson 4's validation: what a username, an email, a password, a bio and an
image may be. The OpenAPI document (openapi.py) quotes these very limits."""

from __future__ import annotations

import re

# Spelled out rather than with \s, which means different things in Python and
# in JSON Schema (the OpenAPI document quotes these patterns).
USERNAME = re.compile(r"[\w.-]{1,40}")  # letters, digits, _ . - : safe in a URL path
EMAIL = re.compile(r"[^@\x00-\x20\x7f]{1,64}@[^@\x00-\x20\x7f]{1,255}")
PASSWORD_MIN, PASSWORD_MAX = 8, 128


# --8<-- [start:validation]
def clean_account(data: dict, *, creating: bool) -> tuple[dict, dict]:
    """(changes, errors) for a registration (every field) or a profile edit (some)."""
    changes, errors = {}, {}
    for field, pattern in (("username", USERNAME), ("email", EMAIL)):
        if field not in data and not creating:
            continue
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            errors[field] = ["can't be blank"]
        elif not pattern.fullmatch(value):
            errors[field] = ["is invalid"]
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
        else:
            changes["password"] = password
    for field in ("bio", "image"):
        if field in data and data[field] is not None and not isinstance(data[field], str):
            errors[field] = ["must be a string"]
        elif field in data:
            changes[field] = data[field] or None  # "" means "clear it"
    if changes.get("image") and not changes["image"].startswith(("https://", "http://")):
        errors["image"] = ["must be an http(s) URL"]
    return changes, errors
# --8<-- [end:validation]
