"""Lesson 8: every comment written is also published, whichever route wrote it.

The seam is the one lesson 2 left and lesson 6 used: ``app.config["store.class"]``
makes each request's store. Lesson 8 wraps whatever it makes, so the API's
``POST /api/articles/<slug>/comments`` and the page's comment form publish
alike, and no earlier lesson's code changes.
"""

from __future__ import annotations

import json


def channel(article_id: int) -> str:
    """The channel of one article's comments. By id: a slug changes with its title."""
    return f"stagecraft:comments:{article_id}"


def comment_message(comment: dict) -> str:
    """The JSON text that streams send on: ``{"event": "comment", "id": ..., "comment": ...}``."""
    # "following" is the writer's view of themselves; a listener is someone else.
    public = {**comment, "author": {**comment["author"], "following": False}}
    return json.dumps({"event": "comment", "id": comment["id"], "comment": public})


# --8<-- [start:publishing_store]
class PublishingStore:
    """A store that publishes each comment it writes, after the write committed.

    It wraps another store and hands it every other call unchanged.
    """

    def __init__(self, store, broker):
        self.store, self.broker = store, broker

    def __getattr__(self, name):  # everything it does not override
        return getattr(self.store, name)

    def add_comment(self, article_id, author_id, body, viewer_id):
        comment = self.store.add_comment(article_id, author_id, body, viewer_id)
        self.broker.publish(channel(article_id), comment_message(comment))
        return comment

    def delete_comment(self, comment_id):
        article_id = self.store.value("select article_id from comments where id = ?",
                                      [comment_id])
        self.store.delete_comment(comment_id)
        if article_id is not None:
            self.broker.publish(channel(article_id),
                                json.dumps({"event": "comment-deleted", "id": comment_id}))


def publishing(make_store, broker):
    """What ``store.class`` becomes: each store ``make_store`` makes, wrapped."""
    return lambda open_db: PublishingStore(make_store(open_db), broker)
# --8<-- [end:publishing_store]
