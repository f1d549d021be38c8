"""Solution: event_broker."""

import queue
import threading


class Broker:
    def __init__(self, max_queued: int = 100):
        self.max_queued = max_queued
        self.topics: dict[str, set[queue.Queue]] = {}
        self.lock = threading.Lock()

    def subscribe(self, topic: str) -> queue.Queue:
        """A new listener on ``topic``: its queue, which receives every later event."""
        listener: queue.Queue = queue.Queue(maxsize=self.max_queued)
        with self.lock:
            self.topics.setdefault(topic, set()).add(listener)
        return listener

    def publish(self, topic: str, event) -> int:
        """Give ``event`` to every listener on ``topic``; return how many got it."""
        with self.lock:  # a copy: streams may subscribe or leave while we deliver
            listeners = list(self.topics.get(topic, ()))
        delivered = 0
        for listener in listeners:
            try:
                listener.put_nowait(event)
                delivered += 1
            except queue.Full:  # a listener that cannot keep up misses it; the poster never waits
                pass
        return delivered

    def unsubscribe(self, topic: str, listener: queue.Queue) -> None:
        """Forget a listener; a topic with none left is forgotten too. Safe twice."""
        with self.lock:
            listeners = self.topics.get(topic)
            if listeners is None:
                return
            listeners.discard(listener)
            if not listeners:
                del self.topics[topic]

    def count(self, topic: str | None = None) -> int:
        """Listeners on ``topic``, or on every topic."""
        with self.lock:
            if topic is not None:
                return len(self.topics.get(topic, ()))
            return sum(len(listeners) for listeners in self.topics.values())
