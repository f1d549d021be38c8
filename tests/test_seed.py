"""The seed: deterministic demo data with a long-tailed social graph (tooling, no stage)."""

import contextlib
import sqlite3

import pytest
from seams import database

from reference_app import Settings
from reference_app.cli import main
from reference_app.seed import seed

SOCIAL = ("follows", "favorites", "comments")
EVERY_ROW = {
    "articles": "select id, slug, author_id, created_at from articles",
    "article_tags": "select article_id, tag_id, position from article_tags",
    "follows": "select follower_id, followed_id from follows",
    "favorites": "select user_id, article_id from favorites",
    "comments": "select id, article_id, author_id, body, created_at from comments",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One database of 200 users and 5,000 articles, shared by the read-only tests."""
    folder = tmp_path_factory.mktemp("seeded")
    settings = Settings(database=str(folder / "seeded.db"), instance_path=str(folder),
                        argon2_time_cost=1, argon2_memory_kib=8, argon2_parallelism=1)
    counts = seed(settings.database, settings, users=200, articles=5000)
    with contextlib.closing(sqlite3.connect(settings.database)) as db:
        yield counts, db


def rows(path):
    with contextlib.closing(sqlite3.connect(path)) as db:
        return {table: sorted(db.execute(sql).fetchall()) for table, sql in EVERY_ROW.items()}


def counts_per(db, sql):
    """The second column's counts, largest first: how many rows each key has."""
    return sorted((count for _, count in db.execute(sql)), reverse=True)


def test_two_seeds_with_the_same_arguments_write_the_same_rows(settings, tmp_path):
    other = str(tmp_path / "other.db")
    seed(settings.database, settings, users=30, articles=300)
    seed(other, settings, users=30, articles=300)
    assert rows(settings.database) == rows(other)
    assert all(rows(other)[table] for table in ("follows", "favorites", "comments"))


def test_other_arguments_make_another_social_graph(settings, tmp_path):
    other = str(tmp_path / "other.db")
    seed(settings.database, settings, users=30, articles=300)
    seed(other, settings, users=31, articles=300)
    assert rows(settings.database)["favorites"] != rows(other)["favorites"]


def test_seeding_again_adds_nothing(settings):
    first = seed(settings.database, settings, users=30, articles=300)
    before = rows(settings.database)
    assert seed(settings.database, settings, users=30, articles=300) == first
    assert rows(settings.database) == before


def test_the_demo_world_alone_has_only_its_own_social_rows(settings):
    counts = seed(settings.database, settings, users=3, articles=5)
    assert (counts["follows"], counts["favorites"], counts["comments"]) == (1, 3, 2)


def test_the_demo_world_is_unchanged_under_generated_data(settings):
    seed(settings.database, settings, users=100, articles=1000)
    demo = ("select count(*) from {} where {} in"
            " (select id from users where username in ('demo', 'ada', 'grace'))")
    with database(settings) as db:
        assert db.execute(demo.format("follows", "follower_id")).fetchone()[0] == 1
        assert db.execute(demo.format("favorites", "user_id")).fetchone()[0] == 3
        assert db.execute(demo.format("comments", "author_id")).fetchone()[0] == 2
        on_demo_articles = ("select count(*) from favorites where article_id in"
                            " (select id from articles where slug not like 'generated-%')")
        assert db.execute(on_demo_articles).fetchone()[0] == 3


def test_social_counts_scale_with_the_arguments(settings, tmp_path):
    small = seed(settings.database, settings, users=50, articles=500)
    big = seed(str(tmp_path / "big.db"), settings, users=100, articles=5000)
    assert 1.5 * small["follows"] < big["follows"]  # with the readers
    assert 5 * small["favorites"] < big["favorites"]  # with the articles
    assert 5 * small["comments"] < big["comments"]


def test_proportions_per_article_and_per_reader(seeded):
    counts, _ = seeded
    readers = counts["users"] - 3
    assert 1 < counts["favorites"] / counts["articles"] < 2.5
    assert 0.2 < counts["comments"] / counts["articles"] < 0.6
    assert 3 < counts["follows"] / readers < 12


def test_the_top_1_percent_of_articles_hold_a_large_share_of_favourites(seeded):
    _, db = seeded
    per_article = counts_per(db, "select article_id, count(*) from favorites group by 1")
    top = sum(per_article[:50])  # 1% of 5,000 articles
    assert top > 0.25 * sum(per_article)  # 25 times their share if it were even
    assert 5000 - len(per_article) > 1500  # and many have none at all


def test_a_few_tags_and_authors_get_most_of_the_articles(seeded):
    _, db = seeded
    per_tag = counts_per(db, "select tag_id, count(*) from article_tags group by 1")
    assert sum(per_tag[:3]) > 0.4 * sum(per_tag) and per_tag[0] > 10 * per_tag[-1]
    per_author = counts_per(db, "select author_id, count(*) from articles group by 1")
    assert sum(per_author[:10]) > 0.4 * 5000


def test_some_readers_follow_many_and_most_few(seeded):
    _, db = seeded
    per_reader = counts_per(db, "select follower_id, count(*) from follows group by 1")
    median = per_reader[len(per_reader) // 2]
    assert len(per_reader) == 197 + 1  # every reader follows somebody, and demo follows grace
    assert median <= 4 and per_reader[0] >= 50
    most_followed = counts_per(db, "select followed_id, count(*) from follows group by 1")
    assert most_followed[0] > 10 * median


def test_nobody_follows_themselves(seeded):
    _, db = seeded
    assert db.execute("select count(*) from follows where follower_id = followed_id"
                      ).fetchone() == (0,)


@pytest.mark.parametrize("table, key", [
    ("follows", "follower_id, followed_id"), ("favorites", "user_id, article_id"),
    ("article_tags", "article_id, tag_id")])
def test_no_pair_is_written_twice(seeded, table, key):
    _, db = seeded
    assert db.execute(f"select count(*) from (select distinct {key} from {table})"  # noqa: S608
                      ).fetchone() == db.execute(f"select count(*) from {table}").fetchone()  # noqa: S608


def test_comments_cluster_on_popular_articles_and_stay_a_thread(seeded):
    _, db = seeded
    per_article = counts_per(db, "select article_id, count(*) from comments group by 1")
    assert per_article[0] <= 100
    assert sum(per_article[:50]) > 0.25 * sum(per_article)


def test_every_comment_comes_after_its_article(seeded):
    _, db = seeded
    assert db.execute("select count(*) from comments c join articles a on a.id = c.article_id"
                      " where c.created_at <= a.created_at").fetchone() == (0,)


def test_seed_if_empty_leaves_a_seeded_database_alone(capsys, tmp_path):
    db = str(tmp_path / "x.db")
    assert main(["seed", "--db", db, "--users", "20", "--articles", "100"]) == 0
    before = rows(db)
    assert main(["seed", "--db", db, "--users", "40", "--articles", "300", "--if-empty"]) == 0
    assert "already has articles" in capsys.readouterr().err
    assert rows(db) == before
