"""Solution: login_throttle."""

import math
import time


class LoginThrottle:
    def __init__(self, max_failures: int = 5, window_seconds: float = 300.0,
                 clock=time.monotonic):
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self.clock = clock  # injected, so tests move time without sleeping
        self.failures: dict[str, list[float]] = {}

    def _recent(self, key: str) -> list[float]:
        """The key's failures inside the window, oldest first; older ones are dropped."""
        now = self.clock()
        recent = [t for t in self.failures.get(key, []) if now - t < self.window_seconds]
        if recent:
            self.failures[key] = recent
        else:
            self.failures.pop(key, None)  # do not keep empty lists for every key ever seen
        return recent

    def record_failure(self, key: str) -> None:
        self.failures.setdefault(key, []).append(self.clock())

    def is_blocked(self, key: str) -> bool:
        return len(self._recent(key)) >= self.max_failures

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` may try again (0 if not blocked)."""
        if not self.is_blocked(key):
            return 0
        oldest = self._recent(key)[0]
        return math.ceil(oldest + self.window_seconds - self.clock())

    def reset(self, key: str) -> None:
        """Forget `key`'s failures (call it after a successful login)."""
        self.failures.pop(key, None)
