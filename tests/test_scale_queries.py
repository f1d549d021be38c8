"""Lesson 6: what a request costs does not grow with the data.

Every list, the feed and the home page run the same few SQL statements with
200 articles as with 1,000, for every filter, anonymous or logged in: each
filter has a query that its index serves, and each count reads a kept count.
The statements are counted, never timed: `make bench-scale` measures the
speed, at 1,000 and 100,000 articles.
"""

import pytest
from conftest import DEMO_PASSWORD, make_article, seed
from seams import database, traced, value
from webtest import TestApp

pytestmark = pytest.mark.stage(6)

SMALL, LARGE = 200, 1_000  # articles; the seed grows the same world from one to the other
USERS = 40


@pytest.fixture
def world(settings, client_with):
    """A client with the server cache off (so every read runs its SQL), on a
    seeded world that ``grow()`` makes bigger, and the names its routes need."""
    seed(settings.database, settings, users=USERS, articles=SMALL)
    client = client_with(cache=False)

    def busiest(sql):
        return value(settings, sql + " order by count(*) desc, 1 limit 1")

    names = {
        "tag": busiest("select t.name from article_tags at join tags t on t.id = at.tag_id"
                       " group by t.id"),
        "author": busiest("select u.username from articles a join users u on u.id = a.author_id"
                          " group by u.id"),
        "fan": busiest("select u.username from favorites f join users u on u.id = f.user_id"
                       " group by u.id"),
        # The reader who follows the most authors: their feed is never empty.
        "reader": busiest("select u.username from follows w join users u on u.id = w.follower_id"
                          " group by u.id"),
    }
    return client, names, lambda: seed(settings.database, settings, users=USERS, articles=LARGE)


def statements(client, path, **kwargs) -> int:
    """How many SQL statements the app ran to answer ``path``."""
    with traced(client.app) as ran:
        client.get(path, **kwargs)
    return len(ran)


def api_token(client, username) -> dict:
    token = client.post_json("/api/users/login", {"user": {
        "email": f"{username}@stagecraft.dev", "password": DEMO_PASSWORD}}).json["user"]["token"]
    return {"Authorization": f"Token {token}"}


def log_in_on_pages(client, username) -> None:
    form = client.get("/login").forms[0]
    form["email"], form["password"] = f"{username}@stagecraft.dev", DEMO_PASSWORD
    form.submit()


def api_lists(names) -> list[str]:
    return ["/api/articles", f"/api/articles?tag={names['tag']}",
            f"/api/articles?author={names['author']}", f"/api/articles?favorited={names['fan']}",
            "/api/articles?offset=100", "/api/articles?limit=5&offset=20"]


def costs(client, paths, headers=None) -> dict[str, int]:
    return {path: statements(client, path, headers=headers or {}) for path in paths}


def test_every_list_costs_the_same_queries_at_any_size(world):
    client, names, grow = world
    headers = api_token(client, names["reader"])
    small = costs(client, api_lists(names)), costs(client, api_lists(names), headers)
    grow()
    large = costs(client, api_lists(names)), costs(client, api_lists(names), headers)
    assert large == small
    # A count, the page, its tags; a logged-in reader adds one: who they are.
    assert set(small[0].values()) == {3}
    assert set(small[1].values()) == {3 + 1}


def test_the_feed_costs_the_same_queries_at_any_size(world):
    client, names, grow = world
    headers = api_token(client, names["reader"])
    paths = ["/api/articles/feed", "/api/articles/feed?offset=5&limit=5"]
    assert client.get(paths[0], headers=headers).json["articles"]  # they follow someone
    log_in_on_pages(client, names["reader"])
    small = costs(client, paths, headers), statements(client, "/feed")
    grow()
    assert (costs(client, paths, headers), statements(client, "/feed")) == small
    # The count, the page, its tags, and who the reader is; the page adds the tag list.
    assert small == ({path: 3 + 1 for path in paths}, 3 + 1 + 1)


def page_links(client, path) -> int:
    return client.get(path).text.count('href="/?page=')


def test_the_home_page_costs_the_same_queries_at_any_size(world):
    client, names, grow = world
    paths = ["/", f"/?tag={names['tag']}", "/?page=3", f"/profile/{names['author']}"]
    links = page_links(client, "/?page=3")
    small = costs(client, paths)
    log_in_on_pages(client, names["reader"])
    small_logged_in = costs(client, paths)
    grow()
    assert costs(client, paths) == small_logged_in
    assert page_links(client, "/?page=3") == links  # a few pages, not a link to each
    client.reset()  # logged out again
    assert costs(client, paths) == small
    # The home page: the list's 3 statements and the tag list's 1.
    assert small["/"] == small[f"/?tag={names['tag']}"] == small["/?page=3"] == 3 + 1
    assert small_logged_in["/"] == 3 + 1 + 1  # and who the reader is


def test_kept_counts_and_orders_follow_every_write(world, settings, create_app, author):
    # Lesson 6 keeps counts, and each tag's and reader's articles by date, in
    # tables of its own: after any write they must still say what lesson 5's
    # store computes from scratch.
    client, names, _ = world
    headers, alice = author
    made = [make_article(client, headers, tagList=["kept", names["tag"]]) for _ in range(3)]
    client.post(f"/api/articles/{made[0]['slug']}/favorite", headers=headers)
    client.post(f"/api/articles/{made[1]['slug']}/favorite", headers=headers)
    client.delete(f"/api/articles/{made[1]['slug']}/favorite", headers=headers)
    client.put_json(f"/api/articles/{made[2]['slug']}", {"article": {"tagList": ["other"]}},
                    headers=headers)
    client.delete(f"/api/articles/{made[0]['slug']}", headers=headers)
    with database(settings) as db:  # fixes made in SQL, behind the app's back
        db.execute("update articles set created_at = '2099-01-01T00:00:00.000Z' where id = ("
                   "select min(article_id) from article_tags at join tags t on t.id = at.tag_id"
                   " where t.name = ?)", [names["tag"]])
        db.execute("update articles set created_at = '2098-01-01T00:00:00.000Z' where id = ("
                   "select min(article_id) from favorites f join users u on u.id = f.user_id"
                   " where u.username = ?)", [names["fan"]])
    plain = TestApp(create_app(5, settings))
    for path in ("/api/articles", "/api/articles?offset=7&limit=3",
                 "/api/articles?tag=kept", "/api/articles?tag=other",
                 f"/api/articles?tag={names['tag']}&limit=3",
                 f"/api/articles?tag={names['tag']}&offset=2&limit=4",
                 f"/api/articles?favorited={alice}", f"/api/articles?author={alice}",
                 f"/api/articles?favorited={names['fan']}&limit=3",
                 "/api/articles?tag=nothing-has-it", "/api/articles?author=nobody"):
        assert client.get(path, headers=headers).json == plain.get(path, headers=headers).json
    with database(settings) as db:  # the tag list: the 20 most used, counted afresh
        most_used = [name for name, in db.execute(
            "select name from (select t.name, count(*) as uses from article_tags at"
            " join tags t on t.id = at.tag_id group by t.id order by uses desc, t.name"
            " limit 20) order by name")]
    assert client.get("/api/tags").json == {"tags": most_used}


def test_every_feed_is_lesson_5s_feed(world, settings, create_app, accounts):
    # A reader who follows one author, and one who follows everybody: the
    # store may read their feeds differently, but must answer as lesson 5 does.
    client, names, _ = world
    few, _ = accounts.headers_for("few")
    many, _ = accounts.headers_for("many")
    client.post(f"/api/profiles/{names['author']}/follow", headers=few)
    with database(settings) as db:
        everybody = [name for name, in db.execute("select username from users")]
    for name in everybody:
        client.post(f"/api/profiles/{name}/follow", headers=many, status="*")
    plain = TestApp(create_app(5, settings))
    for headers in (few, many):
        for path in ("/api/articles/feed", "/api/articles/feed?offset=7&limit=5"):
            feed = client.get(path, headers=headers).json
            assert feed["articles"] and feed == plain.get(path, headers=headers).json
