"""Tests for event_broker. Run via `python -m lessons check event_broker`."""

import queue
import threading

import pytest


@pytest.fixture
def broker(exercise):
    return exercise.get("Broker")(max_queued=2)


def test_1_a_listener_gets_a_queue_of_its_own(broker):
    first, second = broker.subscribe("how-to-train"), broker.subscribe("how-to-train")
    assert isinstance(first, queue.Queue) and first is not second
    assert first.maxsize == 2, "a queue without a bound grows for as long as its client stalls"


def test_2_every_listener_on_the_topic_gets_the_event(broker):
    listeners = [broker.subscribe("how-to-train") for _ in range(3)]
    assert broker.publish("how-to-train", {"id": 1}) == 3
    assert [listener.get_nowait() for listener in listeners] == [{"id": 1}] * 3


def test_2_other_topics_get_nothing(broker):
    here, elsewhere = broker.subscribe("how-to-train"), broker.subscribe("other-article")
    broker.publish("how-to-train", "new comment")
    assert here.get_nowait() == "new comment"
    assert elsewhere.empty()


def test_2_a_topic_nobody_listens_to_is_fine(broker):
    assert broker.publish("nobody-here", "new comment") == 0


def test_2_events_arrive_in_order(broker):
    listener = broker.subscribe("how-to-train")
    broker.publish("how-to-train", 1)
    broker.publish("how-to-train", 2)
    assert [listener.get_nowait(), listener.get_nowait()] == [1, 2]


def test_3_a_full_queue_never_holds_up_the_publisher(broker):
    slow, quick = broker.subscribe("how-to-train"), broker.subscribe("how-to-train")
    for n in range(2):
        broker.publish("how-to-train", n)
    quick.get_nowait(), quick.get_nowait()
    done = threading.Event()

    def post():
        broker.publish("how-to-train", 2)
        done.set()

    threading.Thread(target=post, daemon=True).start()
    assert done.wait(5), "publish() waited for a listener whose queue was full"
    assert quick.get_nowait() == 2, "the listener with room still gets the event"
    assert [slow.get_nowait(), slow.get_nowait()] == [0, 1] and slow.empty()


def test_3_the_count_says_who_got_it(broker):
    slow, _quick = broker.subscribe("how-to-train"), broker.subscribe("how-to-train")
    slow.put_nowait("a"), slow.put_nowait("b")
    assert broker.publish("how-to-train", "c") == 1


def test_4_a_listener_that_leaves_gets_nothing_more(broker):
    listener = broker.subscribe("how-to-train")
    broker.unsubscribe("how-to-train", listener)
    assert broker.publish("how-to-train", "after") == 0
    assert listener.empty()


def test_4_count_follows_subscribe_and_unsubscribe(broker):
    a, b = broker.subscribe("how-to-train"), broker.subscribe("how-to-train")
    c = broker.subscribe("other-article")
    assert (broker.count(), broker.count("how-to-train"), broker.count("nobody")) == (3, 2, 0)
    broker.unsubscribe("how-to-train", a)
    broker.unsubscribe("other-article", c)
    assert (broker.count(), broker.count("how-to-train")) == (1, 1)
    broker.unsubscribe("how-to-train", b)
    assert broker.count() == 0


def test_4_nothing_is_left_once_everyone_has_left(broker):
    listeners = [broker.subscribe(f"article-{n}") for n in range(50)]
    for n, listener in enumerate(listeners):
        broker.unsubscribe(f"article-{n}", listener)
    assert broker.topics == {}, "every topic ever listened to stays in memory"


def test_4_leaving_twice_is_harmless(broker):
    listener = broker.subscribe("how-to-train")
    broker.unsubscribe("how-to-train", listener)
    broker.unsubscribe("how-to-train", listener)
    broker.unsubscribe("never-seen", listener)
    assert broker.count() == 0
