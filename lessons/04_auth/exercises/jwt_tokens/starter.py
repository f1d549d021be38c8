"""Exercise jwt_tokens: issue and read JSON Web Tokens safely.

A JWT is three base64 parts: header.claims.signature. Anyone can read the
claims. The signature only proves they were not changed, and only if you
check it, with the algorithm you chose. The starter has a classic bug.
"""

import datetime as dt

import jwt

ALGORITHM = "HS256"


def make_token(user_id: int, secret: str, ttl: dt.timedelta = dt.timedelta(hours=1)) -> str:
    """Return a token for `user_id`, valid for `ttl`."""
    now = dt.datetime.now(dt.timezone.utc)
    # TODO 1: add "exp" (now + ttl): a token that never expires is a key
    #         that works forever once stolen.
    claims = {"sub": str(user_id), "iat": now}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(token: str, secret: str) -> int | None:
    """Return the user id from a valid token, or None for any bad token."""
    # TODO 2: verify the signature! Decode with algorithms=[ALGORITHM] only,
    #         and require the "exp" and "sub" claims.
    # TODO 3: any jwt.InvalidTokenError (bad signature, expired, garbage,
    #         missing claim, another algorithm) means None, and so does a
    #         sub that is not a user id, such as "abc".
    claims = jwt.decode(token, options={"verify_signature": False})
    return int(claims["sub"])


def token_from_header(value: str | None) -> str | None:
    """`Authorization: Token <jwt>` -> the jwt; anything else -> None."""
    # TODO 4: only the "Token" scheme (RealWorld's), with a non-empty token.
    return value.split(" ")[-1] if value else None
