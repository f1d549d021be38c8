"""Lesson 4: passwords and tokens: the two secrets an account rests on.

- Passwords are stored as Argon2id hashes (argon2-cffi): slow on purpose, so a
  stolen database is expensive to crack.
- Tokens are JWTs (PyJWT) signed with HS256 and nothing else. Each carries
  the user id (``sub``), an expiry (``exp``), whom it is for (``aud``: the API
  or the pages' session cookie, never both) and the user's session key
  (``key``), all required. The key is random, kept with the user's row, and
  replaced at logout and at a password change: that ends every token that
  carries the old one (see plugin.py), and a token from an earlier database
  names a key that no row has.
- The signing key comes from the environment, or is generated once into the
  instance folder, readable by this user only. It is never in the repository.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

import jwt
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from ..core.settings import SettingsError

# The shortest signing key we accept: HS256's key should be as long as its hash.
MIN_SECRET_BYTES = 32
# Whom a token is for, its "aud" claim. A session cookie is not an API token,
# nor the other way round: each is refused where the other belongs.
API, PAGES = "api", "pages"
# A user id SQLite can hold: up to 18 digits is always below 2**63. A longer
# one passes int() and then overflows the query, a 500 instead of a 401.
USER_ID = re.compile(r"[1-9][0-9]{0,17}")


# --8<-- [start:credentials]
def password_hasher(settings) -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
        type=Type.ID,
    )


class Credentials:
    """Password hashing and tokens, configured once per app from settings."""

    def __init__(self, settings):
        self.hasher = password_hasher(settings)
        self.ttl = settings.token_ttl_seconds
        self._secret = load_secret(settings)
        self._dummy_hash = None

    def __repr__(self):  # never let the secret reach a log line or a traceback
        return "<Credentials>"

    def hash_password(self, password: str) -> str:
        return self.hasher.hash(password)

    def check_password(self, user: dict | None, password: str) -> bool:
        """Does ``password`` match ``user``'s hash? Takes as long when there is no user,
        so response times do not reveal which emails have accounts."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_hex(16))
        stored = user["password_hash"] if user and user["password_hash"] else None
        try:
            return self.hasher.verify(stored or self._dummy_hash, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def token_for(self, user: dict, audience: str = API) -> str:
        """A token for ``user`` (their row), for the API or for the pages' cookie."""
        now = int(time.time())
        claims = {"sub": str(user["id"]), "key": user["session_key"], "aud": audience,
                  "iat": now, "exp": now + self.ttl}
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def read_token(self, token: str, audience: str) -> tuple[int, str] | None:
        """(user id, session key) from a valid token for ``audience``; None for a
        forged, expired, malformed or misdirected one."""
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], audience=audience,
                                options={"require": ["exp", "sub", "aud", "key"]})
        except jwt.InvalidTokenError:
            return None
        sub, key = claims["sub"], claims["key"]
        if not (isinstance(sub, str) and USER_ID.fullmatch(sub) and isinstance(key, str)):
            return None  # PyJWT before 2.10 lets a "sub" that is no string through
        return int(sub), key
# --8<-- [end:credentials]


def new_session_key() -> str:
    """A fresh random session key: giving a user one ends all their sessions."""
    return secrets.token_hex(16)


def check_secret_length(secret: str) -> None:
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise SettingsError(f"STAGECRAFT_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes")


def load_secret(settings) -> str:
    """The signing key: from settings (the environment), or generated once into
    the instance folder, readable by this user only. Never from the repo."""
    if settings.jwt_secret:
        check_secret_length(settings.jwt_secret)
        return settings.jwt_secret
    path = Path(settings.instance_path) / "jwt_secret"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # private, as the key
        # Write a private temporary file, then link it into place: another
        # process starting at the same moment either wins or reads ours, whole.
        temporary = path.with_name(f".jwt_secret.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()
