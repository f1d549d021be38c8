"""Exercise event_broker: fan one event out to every listener, in one process.

Each open stream is a listener with a queue of its own. A publisher (the
request that creates a comment) puts the event into every queue of its topic
(the article), and each stream's thread takes events from its own queue and
writes them to its client. The broker never writes to a socket itself, so a
slow or vanished client cannot hold up the request that posts a comment.
"""

import queue
import threading


class Broker:
    def __init__(self, max_queued: int = 100):
        self.max_queued = max_queued
        self.topics: dict[str, set[queue.Queue]] = {}  # topic -> its listeners' queues
        self.lock = threading.Lock()  # streams come and go on other threads

    def subscribe(self, topic: str) -> queue.Queue:
        """A new listener on ``topic``: its queue, which receives every later event."""
        # TODO 1: a queue.Queue holding at most max_queued events, added to
        #         the topic's set (under the lock), and returned.
        raise NotImplementedError("subscribe")

    def publish(self, topic: str, event) -> int:
        """Give ``event`` to every listener on ``topic``; return how many got it."""
        # TODO 2: put the event into every queue of the topic.
        # TODO 3: never wait for a full queue: that listener misses this event.
        raise NotImplementedError("publish")

    def unsubscribe(self, topic: str, listener: queue.Queue) -> None:
        """Forget a listener; a topic with none left is forgotten too. Safe twice."""
        # TODO 4: remove the queue, and the topic when its set is empty.

    def count(self, topic: str | None = None) -> int:
        """Listeners on ``topic``, or on every topic."""
        # TODO 4: count what subscribe added and unsubscribe has not removed.
        return 0
