"""Password reset: email the user a one-time token, then accept it once."""

import secrets


def new_token() -> str:
    """Return a fresh reset token: 128 bits, as 32 hex digits."""
    # secrets draws from the operating system's cryptographically secure
    # generator (os.urandom): seeing any number of its outputs tells an
    # attacker nothing about the next one.
    return secrets.token_hex(16)


class PasswordResets:
    """Pending reset tokens. Each one is "emailed" into self.outbox[email]."""

    def __init__(self) -> None:
        self.outbox: dict[str, list[str]] = {}
        self._pending: dict[str, str] = {}  # token -> email

    def request(self, email: str) -> None:
        token = new_token()
        self._pending[token] = email
        self.outbox.setdefault(email, []).append(token)

    def redeem(self, token: str) -> str | None:
        """Return the email the token was sent to, the first time only; else None."""
        return self._pending.pop(token, None)
