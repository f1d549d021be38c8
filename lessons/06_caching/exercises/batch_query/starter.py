"""Exercise batch_query: remove an N+1 query.

The starter runs one query for the articles, then one more query PER
ARTICLE for its author: 1 + N queries. With 20 articles that is 21 round
trips; with 500, 501. It is the most common performance bug in web apps,
and it hides well because each single query is fast.
"""

import sqlite_utils


def articles_with_authors(db: sqlite_utils.Database) -> list[dict]:
    """Every article as {"id", "title", "author"} (the author's username), by id."""
    articles = list(db.query("SELECT id, title, author_id FROM articles ORDER BY id"))
    # TODO 1: collect the distinct author_ids and fetch all those users in ONE
    #         query: SELECT id, username FROM users WHERE id IN (?, ?, ...).
    # TODO 2: build a dict id -> username from that one result.
    # TODO 3: with no articles, run no second query at all ("IN ()" is a syntax error).
    result = []
    for article in articles:
        author = next(db.query("SELECT username FROM users WHERE id = ?",
                               [article["author_id"]]))
        result.append({"id": article["id"], "title": article["title"],
                       "author": author["username"]})
    return result
