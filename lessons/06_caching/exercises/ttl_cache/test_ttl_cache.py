"""Tests for ttl_cache. Run via `python -m lessons check ttl_cache`."""

import pytest


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def cache(exercise, clock):
    return exercise.get("TTLCache")(ttl_seconds=10, max_entries=3, clock=clock)


def test_a_value_set_is_returned(cache):
    cache.set("a", 1)
    assert cache.get("a") == 1


def test_a_missing_key_returns_the_default(cache):
    assert cache.get("nope", "default") == "default"


def test_1_2_a_value_is_fresh_until_its_ttl(cache, clock):
    cache.set("a", 1)
    clock.now = 9.9
    assert cache.get("a") == 1


def test_1_2_an_expired_value_is_a_miss(cache, clock):
    cache.set("a", 1)
    clock.now = 10.0
    assert cache.get("a", "gone") == "gone"


def test_2_an_expired_entry_is_deleted(cache, clock):
    cache.set("a", 1)
    clock.now = 11
    cache.get("a")
    assert "a" not in cache.entries


def test_1_setting_again_restarts_the_ttl(cache, clock):
    cache.set("a", 1)
    clock.now = 8
    cache.set("a", 2)
    clock.now = 15
    assert cache.get("a") == 2


def test_3_the_oldest_entry_is_evicted_past_max_entries(cache):
    for key in "abcd":
        cache.set(key, key.upper())
    assert cache.get("a") is None
    assert [cache.get(k) for k in "bcd"] == ["B", "C", "D"]
    assert len(cache.entries) == 3


def test_4_get_or_compute_computes_once(cache):
    calls = []

    def compute():
        calls.append(1)
        return "value"

    assert cache.get_or_compute("k", compute) == "value"
    assert cache.get_or_compute("k", compute) == "value"
    assert len(calls) == 1


def test_4_a_cached_none_is_a_hit(cache):
    calls = []
    cache.get_or_compute("k", lambda: calls.append(1))  # append returns None
    cache.get_or_compute("k", lambda: calls.append(1))
    assert len(calls) == 1


def test_4_get_or_compute_recomputes_after_expiry(cache, clock):
    cache.get_or_compute("k", lambda: "old")
    clock.now = 10
    assert cache.get_or_compute("k", lambda: "new") == "new"
