"""Lesson 5: where the throttle keeps its counts, where every worker sees them.

A count per key: how many attempts, and when the latest was. A key left alone
for its window is forgotten. Counts in a worker's memory would fail twice
under gunicorn: each worker would count alone, so an attacker gets a try per
worker, and a worker that gunicorn replaces (one stalled by a slow client,
say) starts again from zero. So there are two places, with one interface:

- ``DatabaseCounts``: a table in the app's own SQLite file (throttle.sql);
- ``RedisCounts``: Redis, when REDIS_URL is set (lesson 6's cache uses it too).

Both are shared by every worker and survive a restart.
"""

from __future__ import annotations

import logging
from pathlib import Path

import redis

from ..database.connection import connect, write_transaction

log = logging.getLogger("reference_app.throttle")
TABLE = (Path(__file__).parent / "throttle.sql").read_text(encoding="utf-8")


# --8<-- [start:database_counts]
# One more attempt for a key: a new row, or the old one counted up; a count
# whose window has passed starts again at 1.
COUNT_UP = """
insert into throttle_counts (key, attempts, last_at, expires_at)
values (:key, 1, :now, :now + :window)
on conflict (key) do update set
    attempts = case when expires_at <= :now then 1 else attempts + 1 end,
    last_at = :now, expires_at = :now + :window
"""


class DatabaseCounts:
    """Counts in the app's database."""

    def __init__(self, settings):
        self.path, self.busy_timeout_ms = settings.database, settings.busy_timeout_ms
        db = connect(self.path, self.busy_timeout_ms)
        try:
            db.conn.executescript(TABLE)  # safe to run at every start
        finally:
            db.close()

    def get(self, key: str, now: float) -> tuple[int, float]:
        """(attempts, time of the latest) for ``key``; (0, 0.0) once forgotten."""
        db = connect(self.path, self.busy_timeout_ms)
        try:
            row = db.execute("select attempts, last_at from throttle_counts "
                             "where key = ? and expires_at > ?", [key, now]).fetchone()
        finally:
            db.close()
        return (row[0], row[1]) if row else (0, 0.0)

    def add(self, windows: dict[str, int], now: float) -> None:
        """One more attempt for each key, kept for its window (in seconds) from now.

        One transaction, and BEGIN IMMEDIATE (lesson 2): two workers counting
        the same key at once each add their one, and neither is lost.
        """
        db = connect(self.path, self.busy_timeout_ms)
        try:
            with write_transaction(db):
                for key, window in windows.items():
                    db.execute(COUNT_UP, {"key": key, "now": now, "window": window})
                # Forget what has expired, so the table holds only live counts.
                db.execute("delete from throttle_counts where expires_at <= ?", [now])
        finally:
            db.close()

    def forget(self, key: str) -> None:
        db = connect(self.path, self.busy_timeout_ms)
        try:
            db.execute("delete from throttle_counts where key = ?", [key])
        finally:
            db.close()
# --8<-- [end:database_counts]


# --8<-- [start:redis_counts]
class RedisCounts:
    """The same counts in Redis: a hash per key, which Redis itself deletes
    when its window passes (EXPIRE). If Redis is down, the throttle lets
    logins through and logs an error: a throttle must not lock everyone out."""

    PREFIX = "throttle:"

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5,
                                           decode_responses=True)
        self.errors = (redis.RedisError, OSError)

    def get(self, key: str, now: float) -> tuple[int, float]:
        try:
            attempts, last_at = self.client.hmget(self.PREFIX + key, "attempts", "last_at")
        except self.errors as error:
            log.error("throttle counts unreadable, not throttling: %s", error)
            return 0, 0.0
        return (int(attempts), float(last_at)) if attempts else (0, 0.0)

    def add(self, windows: dict[str, int], now: float) -> None:
        try:
            with self.client.pipeline() as pipe:  # MULTI ... EXEC: all of it, or none
                for key, window in windows.items():
                    pipe.hincrby(self.PREFIX + key, "attempts", 1)
                    pipe.hset(self.PREFIX + key, "last_at", now)
                    pipe.expire(self.PREFIX + key, window)
                pipe.execute()
        except self.errors as error:
            log.error("throttle counts not written: %s", error)

    def forget(self, key: str) -> None:
        try:
            self.client.delete(self.PREFIX + key)
        except self.errors as error:
            log.error("throttle count not forgotten: %s", error)
# --8<-- [end:redis_counts]


def make_counts(settings):
    """Redis if REDIS_URL is set, else the database: shared by every worker either way."""
    return RedisCounts(settings.redis_url) if settings.redis_url else DatabaseCounts(settings)
