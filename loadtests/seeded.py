"""What a seeded database holds: the cast a load test plays, and the shape of the data.

``cast(path)`` reads the database that ``reference-app seed`` wrote, before the
app serves it, and says whom the simulated users play: the readers a
``Follower`` logs in as, the popular articles a ``Writer`` comments on, and the
most-followed authors. The runner writes it to a JSON file and hands the path
to Locust in ``LOAD_CAST``; without one, the scenarios take their data from
the API alone (``locustfile.py``), so they still run against other backends.

``distribution(path)`` measures the long tail that the seed drew, for the lab
page: ``python -m loadtests data`` writes it to ``results/data.md``.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from reference_app.seed_social import pick, zipf

# Accounts named loadtest-... are the ones a load test registers (locustfile.py):
# they come and go, so nobody plays them and nobody reads their articles.
FOLLOWERS = 200  # more than a run has logged-in users: the rest are spare
POPULAR = 100

# --8<-- [start:cast]
# Every reader who can log in and whose feed has something in it, the most
# active (the one who follows the most users) first.
FOLLOWERS_SQL = """
select u.username, count(distinct f.followed_id) as follows
from users u
join follows f on f.follower_id = u.id
where u.password_hash is not null
  and u.username not like 'loadtest-%'
  and exists (select 1 from articles a where a.author_id = f.followed_id)
group by u.id
order by follows desc, u.id
"""
# The most favourited articles, then the most commented, then the oldest.
POPULAR_SQL = """
with favourite_counts as (select article_id, count(*) as n from favorites group by article_id),
     comment_counts as (select article_id, count(*) as n from comments group by article_id)
select a.slug, u.username
from articles a
join users u on u.id = a.author_id
left join favourite_counts f on f.article_id = a.id
left join comment_counts c on c.article_id = a.id
where u.username not like 'loadtest-%'
order by coalesce(f.n, 0) desc, coalesce(c.n, 0) desc, a.id
limit ?
"""
AUTHORS_SQL = """
select u.username from users u join follows f on f.followed_id = u.id
where u.username not like 'loadtest-%'
group by u.id order by count(*) desc, u.id limit ?
"""
# --8<-- [end:cast]


def connect(path: str | Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)


def online_order(ranked: list[str], most: int) -> list[str]:
    """Who is online, in order: up to ``most`` readers drawn as the seed draws
    (rank r weighs 1/r), no one twice, from a generator with a fixed seed.

    The most active readers are the likeliest to be using the site, but a run
    with a dozen followers also meets some who follow only two or three users.
    """
    rng = random.Random("stagecraft load-test cast")  # noqa: S311  # a draw, not a secret
    return pick(rng, ranked, zipf(len(ranked)), min(most, max(1, len(ranked) // 2)))


def cast(path: str | Path, followers: int = FOLLOWERS, popular: int = POPULAR) -> dict:
    """{"followers": usernames, in the order simulated followers take them;
    "popular": [slug, author] pairs, most favourited first; "authors": most followed first}.

    The same database always gives the same cast.
    """
    with closing(connect(path)) as db:
        ranked = [name for name, _ in db.execute(FOLLOWERS_SQL)]
        articles = [[slug, author] for slug, author, *_ in db.execute(POPULAR_SQL, [popular])]
        authors = [name for (name,) in db.execute(AUTHORS_SQL, [popular])]
    return {"followers": online_order(ranked, followers) if ranked else [],
            "popular": articles, "authors": authors}


def write_cast(database: str | Path, out: Path) -> Path:
    out.write_text(json.dumps(cast(database), indent=1))
    return out


# ---- The long tail, measured -------------------------------------------------
# One query per figure, each over the whole seeded file. "Top 1%" is the 1% of
# articles with the most favourites (or comments), at least one article.
FIGURES = {
    "users": "select count(*) from users",
    "articles": "select count(*) from articles",
    "top_author": """select u.username, 100.0 * count(*) / (select count(*) from articles)
                     from articles a join users u on u.id = a.author_id
                     group by u.id order by count(*) desc limit 1""",
    "tags_per_article": """select 1.0 * count(*) / (select count(*) from articles)
                           from article_tags""",
    "tag_shares": """select t.name, 100.0 * count(*) / (select count(*) from articles)
                     from article_tags at join tags t on t.id = at.tag_id
                     group by t.id order by count(*) desc""",
    "follows": "select count(*) from follows",
    "per_follower": "select count(*) from follows group by follower_id order by 1",
    "most_followed": """select u.username, count(*) from follows f
                        join users u on u.id = f.followed_id
                        group by u.id order by count(*) desc limit 1""",
}
TAIL = """select count(*) from {table} group by article_id order by 1 desc"""


def median(values: list[int]) -> int:
    return sorted(values)[len(values) // 2] if values else 0


def tail(db: sqlite3.Connection, table: str, articles: int) -> str:
    """"N: none on x% of articles, the top 1% hold y%, at most M on one"."""
    counts = [n for (n,) in db.execute(TAIL.format(table=table))]  # table: ours, not input
    total, top = sum(counts), max(1, articles // 100)
    if not total:
        return "none"
    return (f"{total:,}, {total / articles:.2f} per article: none on "
            f"{100 * (articles - len(counts)) / articles:.0f}% of articles, the top 1% "
            f"hold {100 * sum(counts[:top]) / total:.0f}%, at most {counts[0]} on one")


def distribution(path: str | Path) -> dict[str, str]:
    """{row: what the seeded database at ``path`` holds}, in words and numbers."""
    with closing(connect(path)) as db:
        one = {name: db.execute(sql).fetchall() for name, sql in FIGURES.items()}
        articles = one["articles"][0][0]
        (author, share), = one["top_author"]
        tags = one["tag_shares"]
        per = [n for (n,) in one["per_follower"]]
        (star, fans), = one["most_followed"]
        return {
            "Authors of articles": f"{author} writes {share:.1f}% of the articles",
            "Tags": f"{one['tags_per_article'][0][0]:.1f} per article: {tags[0][0]} on "
                    f"{tags[0][1]:.0f}% of articles, {tags[-1][0]} on {tags[-1][1]:.1f}%",
            "Follows": f"{one['follows'][0][0]:,}, by {len(per)} users: the median follows "
                       f"{median(per)}, the most active {per[-1] if per else 0}; {star} has "
                       f"the most followers, {fans}",
            "Favourites": tail(db, "favorites", articles),
            "Comments": tail(db, "comments", articles),
        }


# The worlds the lab loads: `make load`'s default, and experiment 2's.
WORLDS = ((50, 500), (1_000, 100_000))
# What the seed ranks each kind of row by (seed.py says the rules in full).
RANKED_BY = {
    "Authors of articles": "user id: demo, ada, grace, reader1...",
    "Tags": "their order in `seed.py`: python, http, sql...",
    "Follows": "readers by activity (shuffled); whom, like the authors",
    "Favourites": "articles by popularity (shuffled, so spread over time)",
    "Comments": "the same popularity",
}


def data_page(seeder: Path, results: Path, workdir: Path) -> str:
    """Seed each of WORLDS with ``seeder`` (reference-app) and write their table to ``results``."""
    columns = []
    for users, articles in WORLDS:
        database = workdir / f"seed-{users}-{articles}.db"
        subprocess.run([seeder, "seed", "--db", database, "--users", str(users),  # noqa: S603
                        "--articles", str(articles)], check=True, capture_output=True)
        columns.append((f"{users:,} users, {articles:,} articles", distribution(database)))
    lines = ["<!-- Written by `make lab-data`. Do not edit: run it again. -->", "",
             "| What | Ranked by | " + " | ".join(name for name, _ in columns) + " |",
             "|---|---|" + "---|" * len(columns)]
    lines += [f"| {row} | {how} | " + " | ".join(figures[row] for _, figures in columns) + " |"
              for row, how in RANKED_BY.items()]
    text = "\n".join(lines) + "\n"
    results.write_text(text)
    return text
