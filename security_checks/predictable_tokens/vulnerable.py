"""Password reset: email the user a one-time token, then accept it once."""

import random


def new_token() -> str:
    """Return a fresh reset token: 128 bits, as 32 hex digits."""
    # random is the Mersenne Twister: fine for simulations and games, but its
    # whole state can be rebuilt from 624 of its 32-bit outputs, which is 156 of
    # these tokens. After that, every "random" token it makes is predictable.
    return f"{random.getrandbits(128):032x}"  # expect: B311


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
