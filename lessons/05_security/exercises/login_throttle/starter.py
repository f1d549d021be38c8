"""Exercise login_throttle: slow down password guessing.

Without a limit, an attacker tries thousands of passwords a minute against
one account. A throttle counts recent failures per key (say, username plus
client IP) and refuses more attempts for a while. The clock is a parameter,
so tests can move time forward without sleeping.
"""

import time


class LoginThrottle:
    def __init__(self, max_failures: int = 5, window_seconds: float = 300.0,
                 clock=time.monotonic):
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self.clock = clock
        self.failures: dict[str, int] = {}
        # TODO 1: keep the TIME of each failure per key (a list of
        #         self.clock() values), not just a count.

    def record_failure(self, key: str) -> None:
        self.failures[key] = self.failures.get(key, 0) + 1

    def is_blocked(self, key: str) -> bool:
        # TODO 2: count only failures younger than window_seconds; blocked
        #         when there are max_failures or more. Forget older ones.
        return self.failures.get(key, 0) >= self.max_failures

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` may try again (0 if not blocked)."""
        # TODO 3: when blocked, the wait until the OLDEST recent failure
        #         leaves the window, rounded UP (for a Retry-After header).
        raise NotImplementedError("retry_after")

    def reset(self, key: str) -> None:
        """Forget `key`'s failures (call it after a successful login)."""
        # TODO 4: forget this key's failures.
