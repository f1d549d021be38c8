"""Issue and read the app's login tokens: JWTs signed with HS256."""

import datetime as dt
import os

import jwt


def signing_key() -> str:
    """Return the key that signs and verifies every token."""
    # From the environment, so it never enters the repository, and refused
    # unless it is long: make one with python -c "import secrets; print(secrets.token_urlsafe(32))".
    jwt_secret = os.environ.get("STAGECRAFT_JWT_SECRET", "")
    if len(jwt_secret) < 32:
        raise RuntimeError("set STAGECRAFT_JWT_SECRET to at least 32 random characters")
    return jwt_secret


def issue_token(username: str) -> str:
    """Return a token that proves, for 15 minutes, that the bearer is username."""
    claims = {"sub": username, "exp": dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=15)}
    return jwt.encode(claims, signing_key(), algorithm="HS256")


def read_token(token: str) -> str:
    """Return the username of a valid token; raise jwt.InvalidTokenError otherwise."""
    options = {"require": ["exp", "sub"]}
    claims = jwt.decode(token, signing_key(), algorithms=["HS256"], options=options)
    return claims["sub"]
