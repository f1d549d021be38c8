"""Tests for login_throttle. Run via `python -m lessons check login_throttle`."""

import pytest


class FakeClock:
    """Time that moves only when the test says so: no sleeping."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def throttle(exercise, clock):
    return exercise.get("LoginThrottle")(max_failures=3, window_seconds=60, clock=clock)


def fail(throttle, key="ada|10.0.0.1", times=1):
    for _ in range(times):
        throttle.record_failure(key)


def test_fewer_failures_than_the_limit_do_not_block(throttle):
    fail(throttle, times=2)
    assert throttle.is_blocked("ada|10.0.0.1") is False


def test_reaching_the_limit_blocks(throttle):
    fail(throttle, times=3)
    assert throttle.is_blocked("ada|10.0.0.1") is True


def test_keys_are_independent(throttle):
    fail(throttle, times=3)
    assert throttle.is_blocked("grace|10.0.0.2") is False


def test_1_2_failures_older_than_the_window_no_longer_count(throttle, clock):
    fail(throttle, times=3)
    clock.now += 61
    assert throttle.is_blocked("ada|10.0.0.1") is False


def test_2_only_recent_failures_count(throttle, clock):
    fail(throttle, times=2)
    clock.now += 50
    fail(throttle)  # 3 failures in total, but only the last is recent after 20 more seconds
    clock.now += 20
    assert throttle.is_blocked("ada|10.0.0.1") is False


def test_2_old_failures_are_forgotten_so_memory_does_not_grow(throttle, clock):
    fail(throttle, times=3)
    clock.now += 61
    fail(throttle)
    throttle.is_blocked("ada|10.0.0.1")
    stored = throttle.failures["ada|10.0.0.1"]
    assert len(stored) == 1, "drop failures that left the window"


def test_3_retry_after_counts_down_to_the_oldest_failure_leaving(throttle, clock):
    fail(throttle, times=3)  # all at t=1000: free again at t=1060
    clock.now += 10.5
    assert throttle.retry_after("ada|10.0.0.1") == 50  # 49.5 rounded up


def test_3_retry_after_is_zero_when_not_blocked(throttle):
    fail(throttle)
    assert throttle.retry_after("ada|10.0.0.1") == 0


def test_4_reset_forgets_the_failures(throttle):
    fail(throttle, times=3)
    throttle.reset("ada|10.0.0.1")
    assert throttle.is_blocked("ada|10.0.0.1") is False
    assert throttle.retry_after("ada|10.0.0.1") == 0
