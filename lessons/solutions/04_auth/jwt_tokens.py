"""Solution: jwt_tokens."""

import datetime as dt
import re

import jwt

ALGORITHM = "HS256"
USER_ID = re.compile(r"[0-9]{1,18}")  # what make_token writes: str(user_id)


def make_token(user_id: int, secret: str, ttl: dt.timedelta = dt.timedelta(hours=1)) -> str:
    """Return a token for `user_id`, valid for `ttl`."""
    now = dt.datetime.now(dt.timezone.utc)
    claims = {"sub": str(user_id), "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(token: str, secret: str) -> int | None:
    """Return the user id from a valid token, or None for any bad token."""
    try:
        # An allowlist of one: the token's own header must not pick the algorithm.
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub"]})
    except jwt.InvalidTokenError:
        return None
    # A correctly signed token may still carry a sub that is no user id ("abc"):
    # that is a bad token too, not a ValueError from int().
    sub = claims["sub"]
    return int(sub) if isinstance(sub, str) and USER_ID.fullmatch(sub) else None


def token_from_header(value: str | None) -> str | None:
    """`Authorization: Token <jwt>` -> the jwt; anything else -> None."""
    scheme, _, token = (value or "").partition(" ")
    return token if scheme == "Token" and token else None
