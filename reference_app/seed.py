"""Deterministic demo data: the same command always writes the same rows.

The demo world from ``demo_data.json`` comes first, then generated users and
articles up to the requested totals. Nothing here is random, so a class can
compare numbers, and a test can rely on them.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from tqdm import tqdm

from .auth.credentials import password_hasher
from .database.connection import connect, create_schema, iso, write_transaction
from .routing.store import load_demo_data

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

    Running it twice changes nothing: every insert is "insert or ignore".
    ``progress`` shows a progress bar (tqdm, on standard error) as articles are written.
    """
    create_schema(path)
    data = load_demo_data()
    # Every demo user gets the same password, so hash it once: Argon2id is
    # slow on purpose, and a thousand demo users would take a minute.
    password_hash = password_hasher(settings).hash(DEMO_PASSWORD)
    db = connect(path, settings.busy_timeout_ms)
    try:
        with write_transaction(db):
            names = seed_users(db, data, users, password_hash)
            seed_demo_articles(db, data)
        seed_generated_articles(db, names, len(data["articles"]) + 1, articles, progress)
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


def generated_article(n: int, authors: list[int]) -> tuple:
    when = iso(GENERATED_START + timedelta(minutes=n))
    return (f"generated-article-{n}", f"Generated article {n}",
            f"Demo article number {n}.", f"This is the body of generated article {n}.\n\n"
            "It exists so that lists have pages and load tests have something to read.",
            authors[n % len(authors)], when, when)


def seed_generated_articles(db, usernames, first, last, progress=False):
    """Generate articles number ``first`` to ``last``, one transaction per batch."""
    authors = [user_id(db, name) for name in usernames]
    bar = tqdm(total=max(0, last - first + 1), unit=" articles", disable=not progress)
    for start in range(first, last + 1, BATCH):
        numbers = range(start, min(start + BATCH, last + 1))
        with write_transaction(db):
            db.conn.executemany(
                "insert or ignore into articles (slug, title, description, body,"
                " author_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)",
                [generated_article(n, authors) for n in numbers])
            link_tags(db, [(article_id(db, f"generated-article-{n}"),
                            [TAGS[n % len(TAGS)], TAGS[(n * 7 + 3) % len(TAGS)]])
                           for n in numbers])
        bar.update(len(numbers))
    bar.close()


def reset(path: str) -> None:
    """Delete the database file and its WAL companions, then create an empty schema."""
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)
    create_schema(path)
