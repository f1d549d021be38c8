"""Issue and read the app's login tokens: JWTs signed with HS256."""

import datetime as dt

import jwt


def signing_key() -> str:
    """Return the key that signs and verifies every token."""
    # Hard-coded, so it is in every copy of the repository, and a dictionary
    # word, so one real token and a wordlist are enough to find it offline.
    jwt_secret = "secret"  # expect: B105
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
