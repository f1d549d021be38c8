"""Deterministic demo data with a long tail: the same command always writes the same rows.

The demo world from ``demo_data.json`` comes first, exactly as the file says.
Then come generated users (``reader1``...) and articles up to the requested
totals, and a social graph among them. Real data is long-tailed: a few
authors, articles and tags get most of the attention, and most get little.
So every choice below is drawn with Zipf weights (rank r weighs 1/r, see
``seed_social``) from a ``random.Random`` seeded with the arguments. A class
can compare numbers, and a test can rely on them.

- **Authors.** Users are ranked by id: demo, ada, grace, reader1... With
  1,000 users, demo writes 13% of the generated articles, ada half as many,
  and the last reader a thousandth as many.
- **Tags.** One to three per article, two on average, ranked as in ``TAGS``:
  python is on about half of the articles, routing on about 3%.
- **Follows.** Readers are ranked by activity in a shuffled order. A reader
  follows about 9 users on average: the most active follow hundreds (at most
  half of all users), the median reader 3, everybody at least one. Whom they
  follow is ranked like the authors, so demo, ada and grace have the most
  followers. Nobody follows themselves.
- **Favourites.** Articles are ranked by popularity in a shuffled order, so
  popular ones are spread over time. About 2 per article before the cap: no
  article is favourited by more than half the readers. Active readers
  favourite most: with 1,000 users, the median reader 1 in 1,500 articles,
  the most active 1 in 10.
- **Comments.** About one for every three articles, on the popular ones (at
  most 100 on one article), by the active readers.

With 1,000 users and 100,000 articles that makes about 149,000 favourites,
of which the top 1% of articles hold half and most articles have none,
36,000 comments and 9,000 follows.

Only generated readers follow, favourite and comment, and only generated
articles get favourites and comments: the demo world stays as the file has it.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tqdm import tqdm

from .auth.credentials import password_hasher
from .database.connection import connect, create_schema, iso, write_transaction
from .routing.store import load_demo_data
from .seed_social import pick, seed_follows, seed_reactions, zipf

# Every demo user's password: demo data, in the demo data file, named in the README.
DEMO_PASSWORD = load_demo_data()["demo_password"]
# Twenty tags in all, the demo world's seven among them.
TAGS = ["python", "http", "sql", "testing", "security", "caching", "deployment", "bottle",
        "sqlite", "api", "auth", "performance", "logging", "design", "basics", "history",
        "debugging", "databases", "web", "routing"]
GENERATED_START = datetime(2025, 1, 1, tzinfo=timezone.utc)
BATCH = 1000


def seed(path: str, settings, users: int = 10, articles: int = 50, progress=False) -> dict:
    """Write the demo world plus generated rows; return the table counts.

    Running it twice changes nothing: every insert is "insert or ignore", and
    tags, follows, favourites and comments go only with the rows this run made.
    ``progress`` shows a progress bar (tqdm, on standard error) as articles are written.
    """
    create_schema(path)
    data = load_demo_data()
    # Every demo user gets the same password, so hash it once: Argon2id is
    # slow on purpose, and a thousand demo users would take a minute.
    password_hash = password_hasher(settings).hash(DEMO_PASSWORD)
    # Demo data, not a secret: the ordinary generator, seeded, so a run can be repeated.
    arguments = f"stagecraft seed: {users} users, {articles} articles"
    rng = random.Random(arguments)  # noqa: S311  # nosec B311
    db = connect(path, settings.busy_timeout_ms)
    try:
        # Rows this run makes get these ids or more: the social rows go only with them.
        new_user = db.execute("select coalesce(max(id), 0) + 1 from users").fetchone()[0]
        new_article = db.execute("select coalesce(max(id), 0) + 1 from articles").fetchone()[0]
        with write_transaction(db):
            names = seed_users(db, data, users, password_hash)
            seed_demo_articles(db, data)
        ids = [user_id(db, name) for name in names]
        generated = seed_generated_articles(db, rng, ids, len(data["articles"]) + 1, articles,
                                            new_article, progress)
        readers = rng.sample(ids[len(data["users"]):], len(ids) - len(data["users"]))
        seed_follows(db, rng, ids, readers, new_user)
        seed_reactions(db, rng, rng.sample(generated, len(generated)), readers, new_article,
                       progress)
        return {table: db[table].count for table in
                ("users", "articles", "tags", "comments", "follows", "favorites")}
    finally:
        db.close()


def seed_users(db, data, total, password_hash) -> list[str]:
    people = [(u["username"], u["email"], u["bio"], u["image"]) for u in data["users"]]
    people += [(f"reader{n}", f"reader{n}@stagecraft.dev", None, None)
               for n in range(1, total - len(people) + 1)]
    for username, email, bio, image in people:
        db.execute("insert or ignore into users (username, email, bio, image, created_at)"
                   " values (?, ?, ?, ?, ?)", [username, email, bio, image, iso(GENERATED_START)])
        # The demo author may exist already, made by lesson 3 without a password.
        db.execute("update users set password_hash = ?"
                   " where username = ? and password_hash is null", [password_hash, username])
    return [username for username, *_ in people]


def user_id(db, username):
    return db.execute("select id from users where username = ?", [username]).fetchone()[0]


def article_id(db, slug):
    return db.execute("select id from articles where slug = ?", [slug]).fetchone()[0]


def seed_demo_articles(db, data):
    for a in data["articles"]:
        db.execute(
            "insert or ignore into articles (slug, title, description, body, author_id,"
            " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)",
            [a["slug"], a["title"], a["description"], a["body"], user_id(db, a["author"]),
             a["created_at"], a["created_at"]])
        link_tags(db, [(article_id(db, a["slug"]), a["tags"])])
    for c in data["comments"]:
        if not db.execute("select 1 from comments where body = ?", [c["body"]]).fetchone():
            db.execute("insert into comments (article_id, author_id, body, created_at,"
                       " updated_at) values (?, ?, ?, ?, ?)",
                       [article_id(db, c["article"]), user_id(db, c["author"]), c["body"],
                        c["created_at"], c["created_at"]])
    for f in data["follows"]:
        db.execute("insert or ignore into follows values (?, ?)",
                   [user_id(db, f["follower"]), user_id(db, f["followed"])])
    for f in data["favorites"]:
        db.execute("insert or ignore into favorites values (?, ?)",
                   [user_id(db, f["user"]), article_id(db, f["article"])])


def link_tags(db, articles_tags):
    for name in {tag for _, tags in articles_tags for tag in tags}:
        db.execute("insert or ignore into tags (name) values (?)", [name])
    tag_ids = {row["name"]: row["id"] for row in db.query("select id, name from tags")}
    db.conn.executemany(
        "insert or ignore into article_tags (article_id, tag_id, position) values (?, ?, ?)",
        [(aid, tag_ids[tag], position) for aid, tags in articles_tags
         for position, tag in enumerate(tags)])


def created(n: int) -> datetime:
    return GENERATED_START + timedelta(minutes=n)


def generated_article(n: int, author: int) -> tuple:
    when = iso(created(n))
    return (f"generated-article-{n}", f"Generated article {n}",
            f"Demo article number {n}.", f"This is the body of generated article {n}.\n\n"
            "It exists so that lists have pages and load tests have something to read.",
            author, when, when)


def seed_generated_articles(db, rng, authors, first, last, new_from, progress=False):
    """Generate articles number ``first`` to ``last``, one transaction per batch.

    ``authors`` are user ids, the most prolific first. Returns ``(id, created_at)``
    for every generated article, in number order.
    """
    author_cum, tag_cum = zipf(len(authors)), zipf(len(TAGS))
    generated = []
    bar = tqdm(total=max(0, last - first + 1), unit=" articles", disable=not progress)
    for start in range(first, last + 1, BATCH):
        numbers = range(start, min(start + BATCH, last + 1))
        written = rng.choices(authors, cum_weights=author_cum, k=len(numbers))
        tagged = [pick(rng, TAGS, tag_cum, rng.choice((1, 2, 2, 3))) for _ in numbers]
        with write_transaction(db):
            db.conn.executemany(
                "insert or ignore into articles (slug, title, description, body,"
                " author_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)",
                [generated_article(n, author) for n, author in zip(numbers, written, strict=True)])
            ids = [article_id(db, f"generated-article-{n}") for n in numbers]
            # An article from an earlier run keeps its tags: a second run adds none.
            link_tags(db, [(i, tags) for i, tags in zip(ids, tagged, strict=True) if i >= new_from])
        generated += [(i, created(n)) for i, n in zip(ids, numbers, strict=True)]
        bar.update(len(numbers))
    bar.close()
    return generated


def reset(path: str) -> None:
    """Delete the database file and its WAL companions, then create an empty schema."""
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)
    create_schema(path)
