"""Solution: jwt_tokens."""

import datetime as dt

import jwt

ALGORITHM = "HS256"


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
    return int(claims["sub"])


def token_from_header(value: str | None) -> str | None:
    """`Authorization: Token <jwt>` -> the jwt; anything else -> None."""
    scheme, _, token = (value or "").partition(" ")
    return token if scheme == "Token" and token else None
