"""Lesson 8: a broker carries each new comment to every stream that waits for it.

A stream is a request that stays open, held by one worker process. A comment
is posted through some request, maybe in another worker, maybe on another
machine. The broker joins them: the writer *publishes* a message on a
channel, and every stream *subscribed* to that channel receives it.

- LocalBroker: in this process's memory. Enough for one process (the
  development server); under gunicorn each worker would only hear its own.
- RedisBroker: Redis pub/sub, already the lab's shared cache (lesson 6).
  Every worker, on every machine, hears every message.

Both count the streams open in this process, and refuse one more than the
limit, so that streams never take every thread a worker has.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading

import redis

log = logging.getLogger("reference_app.realtime")

class TooManyStreams(Exception):
    """This process already holds as many open streams as it may."""


class StreamCount:
    """How many streams this process holds open, with a limit. ``watch`` is told
    each new count (lesson 8 shows it in /metrics)."""

    def __init__(self, max_streams: int, watch=None):
        self.max_streams, self.watch = max_streams, watch
        self.lock = threading.Lock()
        self.open_streams = 0

    def opened(self) -> None:
        with self.lock:
            if self.open_streams >= self.max_streams:
                raise TooManyStreams
            self.open_streams += 1
            self.tell()

    def closed(self) -> None:
        with self.lock:
            self.open_streams -= 1
            self.tell()

    def tell(self) -> None:
        if self.watch is not None:
            self.watch(self.open_streams)


# --8<-- [start:local_broker]
class LocalBroker(StreamCount):
    """Publish and subscribe inside one process: a queue per subscriber."""

    def __init__(self, max_streams: int, watch=None):
        super().__init__(max_streams, watch)
        self.subscribers: dict[str, set[LocalSubscription]] = {}

    def subscribe(self, channel: str) -> LocalSubscription:
        self.opened()
        subscription = LocalSubscription(self, channel)
        with self.lock:
            self.subscribers.setdefault(channel, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: LocalSubscription) -> None:
        with self.lock:
            subscribers = self.subscribers.get(subscription.channel, set())
            subscribers.discard(subscription)
            if not subscribers:
                self.subscribers.pop(subscription.channel, None)
        self.closed()

    def publish(self, channel: str, message: str) -> None:
        with self.lock:
            subscribers = list(self.subscribers.get(channel, ()))
        for subscription in subscribers:
            subscription.put(message)


class LocalSubscription:
    """One stream's queue. ``get`` waits for the next message, or None after ``timeout``."""

    LIMIT = 100  # messages a stream may fall behind before it is ended

    def __init__(self, broker: LocalBroker, channel: str):
        self.broker, self.channel = broker, channel
        self.messages: queue.Queue[str] = queue.Queue(self.LIMIT)
        self.behind = False  # it missed messages: end the stream, the client replays them

    def put(self, message: str) -> None:
        try:
            self.messages.put_nowait(message)
        except queue.Full:  # a client that stopped reading must not grow our memory
            self.behind = True

    def get(self, timeout: float) -> str | None:
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        if self.broker is not None:  # once only, however often the stream's ends call it
            self.broker.unsubscribe(self)
            self.broker = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
# --8<-- [end:local_broker]


# --8<-- [start:redis_broker]
class RedisBroker(StreamCount):
    """Publish and subscribe through Redis: every process hears every message.

    Each open stream subscribes on a Redis connection of its own, and gives it
    back when it ends; publishing borrows a pooled connection for one command.
    """

    def __init__(self, url: str, max_streams: int, watch=None):
        super().__init__(max_streams, watch)
        self.redis = redis.Redis.from_url(url, socket_timeout=10)

    def subscribe(self, channel: str) -> RedisSubscription:
        self.opened()
        try:
            return RedisSubscription(self, channel)
        except BaseException:
            self.closed()
            raise

    def publish(self, channel: str, message: str) -> None:
        try:
            self.redis.publish(channel, message)
        except redis.RedisError as error:  # the comment is saved: only its live delivery is lost
            log.warning("could not publish on %s: %s", channel, error)


class RedisSubscription:
    def __init__(self, broker: RedisBroker, channel: str):
        self.broker, self.behind = broker, False
        self.pubsub = broker.redis.pubsub()
        self.pubsub.subscribe(channel)
        # Wait for Redis to confirm: from then on, no message on the channel is missed.
        reply = self.pubsub.get_message(timeout=10)
        if reply is None or reply["type"] != "subscribe":
            self.pubsub.close()
            raise redis.TimeoutError("Redis did not confirm the subscription")

    def get(self, timeout: float) -> str | None:
        """The next message, or None when ``timeout`` passed (or Redis sent something else)."""
        reply = self.pubsub.get_message(timeout=timeout)
        if reply is None or reply["type"] != "message":
            return None
        return reply["data"].decode()

    def close(self) -> None:
        if self.pubsub is not None:
            with contextlib.suppress(redis.RedisError, OSError):
                self.pubsub.close()  # disconnects: the subscription ends with the connection
            self.pubsub = None
            self.broker.closed()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
# --8<-- [end:redis_broker]


def make_broker(settings, watch=None):
    """Redis when REDIS_URL is set, else this process's memory."""
    if settings.redis_url:
        return RedisBroker(settings.redis_url, settings.live_max_streams, watch)
    return LocalBroker(settings.live_max_streams, watch)
