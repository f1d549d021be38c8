"""The seed's long tail: Zipf weights, and the follows, favourites and comments drawn with them.

Rank ``r`` of ``n`` weighs ``1/r`` (Zipf, s = 1), so the first rank gets about
``1/ln(n)`` of everything and the last almost nothing. ``seed.py`` says which
rows are ranked how, and in what proportions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import accumulate

from tqdm import tqdm

from .database.connection import iso, write_transaction

# On average, before the caps: following at most half the users, favourited by
# at most half the readers, and MOST_COMMENTS. After them, with 1,000 users and
# 100,000 articles: 9 follows per reader, 1.5 favourites and 0.36 comments per article.
FOLLOWS_PER_READER = 10
FAVOURITES_PER_ARTICLE = 2
COMMENTS_PER_ARTICLE = 0.5
MOST_COMMENTS = 100  # on one article: a thread, not a flood
COMMENTS = ["Thanks, this helped.", "I measured the same on my machine.",
            "Could you say more about the trade-off?", "This saved me an afternoon.",
            "What changes at ten times the data?", "Bookmarked for the next project."]
BATCH = 1000


def zipf(n: int) -> list[float]:
    """Cumulative Zipf weights for ranks 1 to ``n``: rank r weighs 1/r."""
    return list(accumulate(1 / rank for rank in range(1, n + 1)))


def share(total: float, rank: int, cum: list[float], rng) -> int:
    """Rank ``rank``'s part of ``total``, rounded up or down at random (so the sum holds)."""
    exact = total / (rank * cum[-1])
    return int(exact) + (rng.random() < exact % 1)


def pick(rng, population: list, cum: list[float], k: int) -> list:
    """``k`` distinct members of ``population``, the heavy ones most likely.

    Keep ``k`` to half the population or less: the last light members take
    many draws to find.
    """
    chosen: dict = {}  # a dict, not a set: it keeps the order, so the result is reproducible
    while len(chosen) < min(k, len(population)):
        for member in rng.choices(population, cum_weights=cum, k=k - len(chosen)):
            chosen[member] = None
    return list(chosen)[:k]


def seed_follows(db, rng, users: list[int], readers: list[int], new_from: int) -> None:
    """Each new reader follows a few users; the most active follow hundreds.

    ``users`` is in popularity order (the first is the most followed); ``readers``
    in activity order. Nobody follows themselves, and nobody twice.
    """
    user_cum, reader_cum = zipf(len(users)), zipf(len(readers))
    most = max(1, (len(users) - 1) // 2)
    rows = []
    for rank, reader in enumerate(readers, 1):
        wanted = min(most, max(1, share(FOLLOWS_PER_READER * len(readers), rank, reader_cum, rng)))
        followed = [u for u in pick(rng, users, user_cum, wanted + 1) if u != reader][:wanted]
        if reader >= new_from:  # only around the rows this run made: a second run adds nothing
            rows += [(reader, user) for user in followed]
    with write_transaction(db):
        db.conn.executemany("insert or ignore into follows values (?, ?)", rows)


def seed_reactions(db, rng, articles: list[tuple[int, datetime]], readers: list[int],
                   new_from: int, progress=False) -> None:
    """Favourites and comments on the generated articles, the popular ones first.

    ``articles`` holds ``(id, created_at)`` in popularity order; ``readers`` is in
    activity order, and the active readers react most. At most half the readers
    favourite one article, and it gets at most ``MOST_COMMENTS`` comments.
    """
    if not readers:
        return
    article_cum, reader_cum = zipf(len(articles)), zipf(len(readers))
    favourites = FAVOURITES_PER_ARTICLE * len(articles)
    comments = COMMENTS_PER_ARTICLE * len(articles)
    most_favourites = max(1, len(readers) // 2)
    bar = tqdm(total=len(articles), unit=" articles", desc="favourites and comments",
               disable=not progress)
    for start in range(0, len(articles), BATCH):
        liked, said = [], []
        for rank, (article, created) in enumerate(articles[start:start + BATCH], start + 1):
            fans = pick(rng, readers, reader_cum,
                        min(most_favourites, share(favourites, rank, article_cum, rng)))
            voices = rng.choices(readers, cum_weights=reader_cum,
                                 k=min(MOST_COMMENTS, share(comments, rank, article_cum, rng)))
            if article < new_from:
                continue  # seeded by an earlier run: a second run adds nothing
            liked += [(reader, article) for reader in fans]
            for turn, author in enumerate(voices, 1):
                when = iso(created + timedelta(minutes=7 * turn))
                said.append((article, author, COMMENTS[(article + turn) % len(COMMENTS)],
                             when, when))
        with write_transaction(db):
            db.conn.executemany("insert or ignore into favorites values (?, ?)", liked)
            db.conn.executemany("insert into comments (article_id, author_id, body, created_at,"
                                " updated_at) values (?, ?, ?, ?, ?)", said)
        bar.update(len(articles[start:start + BATCH]))
    bar.close()
