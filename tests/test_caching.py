"""Lesson 6: fewer queries, indexes, a server-side cache and HTTP caching.

Nothing here is timed. Speed is measured by `make bench`; these tests count
SQL statements and check what the cache and the headers say.
"""

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import TEST_SECRET, http, make_article
from seams import database, traced
from webtest import TestApp

from reference_app.database.plugin import count_queries
from reference_app.seed import seed

pytestmark = pytest.mark.stage(6)


def selects(statements):
    return [s for s in statements if s.lstrip().lower().startswith("select")]


@pytest.mark.parametrize("limit", [1, 5, 20])
@pytest.mark.parametrize("query", ["", "&author=reader1", "&tag=python"])
def test_a_list_costs_three_queries_whatever_its_length(client_with, settings, limit, query):
    seed(settings.database, settings, users=5, articles=400)
    client = client_with(cache=False)  # no server cache: count the real queries
    with count_queries(client.app) as statements:
        articles = client.get(f"/api/articles?limit={limit}{query}").json["articles"]
    assert len(articles) == limit
    assert len(selects(statements)) == 3


def test_before_lesson_6_the_same_list_costs_a_query_per_article(settings, create_app):
    seed(settings.database, settings, users=5, articles=40)
    client = TestApp(create_app(5, settings))
    counts = {}
    for limit in (1, 20):
        with count_queries(client.app) as statements:
            client.get(f"/api/articles?limit={limit}")
        counts[limit] = len(selects(statements))
    assert counts[20] - counts[1] == 19 * (counts[1] - 2)  # N+1: grows with every article


def test_a_logged_in_list_is_three_queries_too(app, author):
    headers, _ = author
    with count_queries(app) as statements:
        TestApp(app).get("/api/articles?limit=20", headers=headers)
    # + 1 to look up the user behind the token
    assert len(selects(statements)) == 3 + 1


def test_tuned_answers_equal_the_plain_ones(client_with, settings, author, create_app):
    headers, _ = author
    client = client_with(cache=False)  # no server cache: the tuned SQL answers each time
    client.post("/api/profiles/grace/follow", headers=headers)
    client.post("/api/articles/why-sqlite/favorite", headers=headers)
    plain = TestApp(create_app(5, settings))
    for path in ("/api/articles", "/api/articles?tag=history", "/api/articles/why-sqlite",
                 "/api/articles/why-sqlite/comments", "/api/articles/feed"):
        assert client.get(path, headers=headers).json == plain.get(path, headers=headers).json


# ---- Indexes: what SQLite will do for each query the app runs ----------------
READS = ["/api/articles", "/api/articles?author=grace", "/api/articles?tag=sqlite",
         "/api/articles?favorited=ada", "/api/articles/feed", "/api/articles/why-sqlite",
         "/api/articles/why-sqlite/comments"]


def query_plans(client, settings, path, headers) -> list[tuple[str, list[str]]]:
    """(sql, EXPLAIN QUERY PLAN lines) for each select the app runs to answer ``path``."""
    with traced(client.app) as statements:
        client.get(path, headers=headers)
    with database(settings) as db:
        return [(sql, [row[3] for row in db.execute("explain query plan " + sql, params or ())])
                for sql, params in statements if sql.lstrip().lower().startswith("select")]


LIMIT = re.compile(r"\blimit\b", re.IGNORECASE)


def whole_tables(plan) -> list[str]:
    """Tables read from end to end, with no index: "SCAN articles"."""
    return [line for line in plan if re.fullmatch(r"SCAN \w+", line)]


def page_sorts(plans) -> list[str]:
    """Sorting done for a page (a query with LIMIT) after reading every match."""
    return [line for sql, plan in plans if LIMIT.search(sql)
            for line in plan if "TEMP B-TREE" in line]


@pytest.mark.parametrize("path", READS)
def test_no_read_goes_through_a_whole_table(client_with, settings, author, path):
    client = client_with(cache=False)  # no server cache: every read runs its SQL
    plans = query_plans(client, settings, path, author[0])
    assert plans
    assert {sql: whole_tables(plan) for sql, plan in plans} == {sql: [] for sql, _ in plans}


@pytest.mark.parametrize("path", ["/api/articles", "/api/articles?author=grace"])
def test_the_newest_articles_are_read_in_order_not_sorted(client_with, settings, path):
    plans = query_plans(client_with(cache=False), settings, path, {})
    assert any(LIMIT.search(sql) for sql, _ in plans)
    assert page_sorts(plans) == []


def test_before_lesson_6_a_list_reads_and_sorts_every_article(settings, create_app):
    seed(settings.database, settings, users=3, articles=5)
    plans = query_plans(TestApp(create_app(5, settings)), settings, "/api/articles", {})
    assert any(whole_tables(plan) for _, plan in plans) and page_sorts(plans)


def sidebar_tags(page: str) -> list[str]:
    """The tag names in the home page's sidebar (each article's own tags are elsewhere)."""
    sidebar = re.search(r'<aside class="sidebar">(.*?)</aside>', page, re.S).group(1)
    return re.findall(r'<a href="/\?tag=[^"]*">([^<]*)</a>', sidebar)


def test_the_tag_list_holds_only_the_most_used_tags(client_with, author):
    # 100 posts with new tags once made /api/tags 136 kB, and every page carries it.
    client = client_with(cache=False, popular_tags=3)
    for tags in (["hot", "warm", "mild"],) * 4 + (["hot", "rare"],):
        make_article(client, author[0], tagList=list(tags))
    assert client.get("/api/tags").json == {"tags": ["hot", "mild", "warm"]}  # by name
    assert sidebar_tags(client.get("/").text) == ["hot", "mild", "warm"]


# ---- The server-side cache --------------------------------------------------
def costs_queries(client, path: str) -> int:
    """How many SELECTs an anonymous GET of ``path`` ran: 0 when the cache answered."""
    with count_queries(client.app) as statements:
        client.get(path)
    return len(selects(statements))


def big_articles(client_with, author, *body_sizes) -> list[str]:
    """Slugs of new articles with bodies of these sizes. Written with the cache off:
    what is under test here is the cache's reads, not what writes forget."""
    writer = client_with(cache=False)
    articles = [make_article(writer, author[0], title=f"Big {n}", body="x" * size)
                for n, size in enumerate(body_sizes)]
    return [f"/api/articles/{article['slug']}" for article in articles]


def test_the_memory_cache_is_bounded_in_bytes_not_entries(client_with, author):
    # One list by an author with a 990 kB bio was 39.6 MB: counting entries bounds nothing.
    a, b, c, huge = big_articles(client_with, author, 3000, 3000, 3000, 20_000)
    client = client_with(cache_max_bytes=8_000)  # room for two of the 3 kB articles
    for path in (a, b, c):
        client.get(path)
    assert costs_queries(client, a) > 0  # a went to make room for c; now b goes for a
    assert costs_queries(client, c) == 0
    assert costs_queries(client, huge) > 0 and costs_queries(client, huge) > 0  # never kept
    assert costs_queries(client, a) == 0 and costs_queries(client, c) == 0  # and it evicted none


def test_expired_entries_are_dropped_before_live_ones(client_with, author, monkeypatch):
    a, b, c = big_articles(client_with, author, 3000, 3000, 3000)
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])  # the cache's clock
    client = client_with(cache_max_bytes=8_000)  # room for two; each lives 300 s
    client.get(a)                  # t = 0: a lives until 300
    now[0] += 200
    client.get(b)                  # t = 200: b until 500
    now[0] += 50
    client.get(a)                  # t = 250: a, from the cache, is the most recently used
    now[0] += 100                  # t = 350: a has expired, b has not
    client.get(c)                  # no room for three: the expired a goes, not b
    assert costs_queries(client, b) == 0


def test_a_cached_read_opens_no_connection(app, client):
    client.get("/api/tags")
    client.get("/api/articles")
    with count_queries(app) as statements:
        client.get("/api/tags")
        client.get("/api/articles")
        client.get("/api/articles/why-sqlite")
    client.get("/api/articles/why-sqlite")
    opened, open_db = [], app.config["database.open"]
    app.config["database.open"] = lambda: opened.append(1) or open_db()
    with count_queries(app) as again:
        client.get("/api/articles/why-sqlite")
    assert selects(again) == [] and opened == []
    assert len(selects(statements)) == 2  # only the article was not cached yet


def test_edits_are_seen_at_once(client, author, new_article):
    headers, _ = author
    slug = new_article(title="Before", tagList=["old"])["slug"]
    client.get(f"/api/articles/{slug}")
    client.get("/api/articles")
    client.get("/api/tags")
    updated = client.put_json(f"/api/articles/{slug}", {"article": {
        "title": "After", "tagList": ["new"]}}, headers=headers).json["article"]
    assert client.get(f"/api/articles/{updated['slug']}").json["article"]["title"] == "After"
    client.get(f"/api/articles/{slug}", status=404)
    assert client.get("/api/articles").json["articles"][0]["title"] == "After"
    tags = client.get("/api/tags").json["tags"]
    assert "new" in tags and "old" not in tags


def test_deleting_is_seen_at_once(client, author, new_article):
    slug = new_article(tagList=["only-here"])["slug"]
    client.get(f"/api/articles/{slug}")
    client.get("/api/tags")
    count = client.get("/api/articles").json["articlesCount"]
    client.delete(f"/api/articles/{slug}", headers=author[0])
    client.get(f"/api/articles/{slug}", status=404)
    assert client.get("/api/articles").json["articlesCount"] == count - 1
    assert "only-here" not in client.get("/api/tags").json["tags"]


def test_a_favorite_updates_the_anonymous_count(client, author):
    headers, _ = author
    before = client.get("/api/articles/why-sqlite").json["article"]["favoritesCount"]
    listed = {a["slug"]: a for a in client.get("/api/articles").json["articles"]}
    assert listed["why-sqlite"]["favoritesCount"] == before
    client.post("/api/articles/why-sqlite/favorite", headers=headers)
    assert client.get("/api/articles/why-sqlite").json["article"]["favoritesCount"] == before + 1
    listed = {a["slug"]: a for a in client.get("/api/articles").json["articles"]}
    assert listed["why-sqlite"]["favoritesCount"] == before + 1


def test_a_new_bio_shows_on_cached_articles(client, author, new_article):
    headers, username = author
    slug = new_article()["slug"]
    client.get(f"/api/articles/{slug}")
    client.get("/api/articles")
    client.put_json("/api/user", {"user": {"bio": "New bio"}}, headers=headers)
    assert client.get(f"/api/articles/{slug}").json["article"]["author"]["bio"] == "New bio"
    assert client.get("/api/articles").json["articles"][0]["author"]["bio"] == "New bio"


def test_an_article_read_before_it_exists_is_found_once_created(client, author):
    # The anonymous 404 was cached, and hid the new article for the TTL (300 s).
    client.get("/api/articles/not-yet", status=404)
    client.get("/article/not-yet", status=404)
    make_article(client, author[0], title="Not yet")
    assert client.get("/api/articles/not-yet").json["article"]["title"] == "Not yet"
    assert "Not yet" in client.get("/article/not-yet").text


def test_logged_in_answers_are_never_served_from_the_shared_cache(client, author):
    headers, _ = author
    client.get("/api/articles/why-sqlite")  # cached for anonymous readers
    client.post("/api/articles/why-sqlite/favorite", headers=headers)
    mine = client.get("/api/articles/why-sqlite", headers=headers).json["article"]
    anonymous = client.get("/api/articles/why-sqlite").json["article"]
    assert mine["favorited"] is True and anonymous["favorited"] is False


# ---- Several workers: why the cache must be shared --------------------------
def edit_in_one_worker_read_in_the_other(client_with, accounts, **changes):
    # Two app objects on one database: like two gunicorn workers, each with its own memory.
    worker_a, worker_b = client_with(**changes), client_with(**changes)
    headers = accounts.login_demo()
    worker_a.get("/api/articles/what-a-web-server-does")  # worker A caches it
    worker_b.put_json("/api/articles/what-a-web-server-does",
                      {"article": {"body": "Edited in worker B"}}, headers=headers)
    return worker_a.get("/api/articles/what-a-web-server-does").json["article"]["body"]


def test_an_in_process_cache_goes_stale_across_workers(client_with, accounts):
    body = edit_in_one_worker_read_in_the_other(client_with, accounts)
    assert body != "Edited in worker B"  # worker A still serves its own stale copy


def test_redis_shared_by_all_workers_is_never_stale(client_with, accounts, redis_url):
    body = edit_in_one_worker_read_in_the_other(client_with, accounts, redis_url=redis_url)
    assert body == "Edited in worker B"


def test_redis_really_holds_the_entries(client_with, redis_url):
    import redis

    client = client_with(redis_url=redis_url)
    client.get("/api/tags")
    with count_queries(client.app) as cached:
        client.get("/api/tags")
    redis.Redis.from_url(redis_url).flushdb()  # the entries are gone only if Redis held them
    with count_queries(client.app) as flushed:
        client.get("/api/tags")
    assert selects(cached) == [] and len(selects(flushed)) == 1


def test_an_unreachable_redis_only_costs_speed(client_with, settings):
    from conftest import free_port

    down = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    client = client_with(redis_url=down)
    assert client.get("/api/tags").json["tags"]
    assert client.get("/api/articles").json["articlesCount"] == 5


# ---- Production: one cache for all, or none ---------------------------------
PRODUCTION = {"production": True, "jwt_secret": TEST_SECRET}


def test_production_without_redis_does_not_cache(client_with, caplog):
    client = client_with(**PRODUCTION)
    assert costs_queries(client, "/api/tags") > 0 and costs_queries(client, "/api/tags") > 0
    assert "cache off" in caplog.text and "REDIS_URL" in caplog.text
    demo = client_with(**PRODUCTION, cache_allow_stale=True)  # lesson 6's stale reads, on purpose
    demo.get("/api/tags")
    assert costs_queries(demo, "/api/tags") == 0


def test_production_caches_in_redis(client_with, redis_url):
    client = client_with(**PRODUCTION, redis_url=redis_url)
    client.get("/api/tags")
    assert costs_queries(client, "/api/tags") == 0


def test_serve_prod_with_three_workers_never_serves_a_deleted_article(production, stage):
    # Found by an attack on serve --prod with 3 workers and no Redis: after a 204,
    # 22 of 30 anonymous reads still returned the deleted article.
    server = production(workers=3, stage=stage)
    _, _, body = http("POST", server.url + "/api/users", {"user": {
        "username": "writer", "email": "writer@example.com", "password": "long enough"}})
    headers = {"Authorization": f"Token {body['user']['token']}"}
    _, _, body = http("POST", server.url + "/api/articles", {"article": {
        "title": "Short-lived", "description": "d", "body": "b"}}, headers)
    api, page = (f"{server.url}{path}{body['article']['slug']}"
                 for path in ("/api/articles/", "/article/"))

    def statuses():  # 6 readers at once, so that every worker serves some
        with ThreadPoolExecutor(max_workers=6) as readers:
            return list(readers.map(lambda url: http("GET", url)[0], (api, page) * 30))

    assert set(statuses()) == {200}
    assert http("DELETE", api, headers=headers)[0] == 204
    assert statuses() == [404] * 60
    assert "cache off" in server.log


# ---- HTTP caching -----------------------------------------------------------
def test_api_gets_carry_an_etag_and_vary(client):
    response = client.get("/api/articles")
    assert response.headers["ETag"].startswith('"')
    assert "Authorization" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "public, no-cache"


def test_if_none_match_gets_a_bodiless_304(client):
    etag = client.get("/api/articles/why-sqlite").headers["ETag"]
    response = client.get("/api/articles/why-sqlite", headers={"If-None-Match": etag},
                          status=304)
    assert response.body == b"" and response.headers["ETag"] == etag
    client.get("/api/articles/why-sqlite", headers={"If-None-Match": f'W/{etag}, "x"'},
               status=304)
    client.get("/api/articles/why-sqlite", headers={"If-None-Match": '"stale"'}, status=200)


def test_the_etag_changes_when_the_data_does(client, author, new_article):
    slug = new_article()["slug"]
    etag = client.get(f"/api/articles/{slug}").headers["ETag"]
    client.put_json(f"/api/articles/{slug}", {"article": {"body": "changed"}},
                    headers=author[0])
    response = client.get(f"/api/articles/{slug}", headers={"If-None-Match": etag})
    assert response.status_int == 200 and response.headers["ETag"] != etag


def test_logged_in_answers_are_not_stored(client, author):
    headers, _ = author
    response = client.get("/api/articles", headers=headers)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Authorization" in response.headers["Vary"]


def test_pages_and_errors_get_no_etag(client):
    assert "ETag" not in client.get("/").headers
    assert "ETag" not in client.get("/api/articles/nope", status=404).headers
