"""Read the logged-in user out of a JWT sent by the client."""

import jwt


def read_token(token: str, key: str) -> str:
    """Return the username (the "sub" claim) of an acceptable token.

    Raises jwt.InvalidTokenError if the token is not acceptable.
    """
    # Verify the HMAC with our key, accept only the one algorithm we issue,
    # and require the claims we rely on: a token with no "exp" is refused
    # rather than trusted forever, and an expired one is refused by default.
    claims = jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    return claims["sub"]
