"""Lesson 4: follows, favourites and the feed, which need a logged-in user."""

import pytest
from conftest import post_form, register_on_pages
from seams import OFF_SITE, SITE, where_a_browser_goes

pytestmark = pytest.mark.stage(4)


@pytest.fixture
def alice(author):
    return author[0]  # her headers


@pytest.mark.parametrize("method, path", [
    ("post", "/api/profiles/ada/follow"), ("delete", "/api/profiles/ada/follow"),
    ("post", "/api/articles/why-sqlite/favorite"), ("delete", "/api/articles/why-sqlite/favorite"),
    ("get", "/api/articles/feed"),
])
def test_these_need_a_token(client, method, path):
    response = getattr(client, method)(path, status=401)
    assert response.json == {"errors": {"token": ["is missing"]}}


def test_follow_and_unfollow(client, alice):
    profile = client.post("/api/profiles/ada/follow", headers=alice).json["profile"]
    assert profile == {"username": "ada", "bio": "Counting engines, mostly.", "image": None,
                       "following": True}
    assert client.get("/api/profiles/ada", headers=alice).json["profile"]["following"] is True
    assert client.get("/api/profiles/ada").json["profile"]["following"] is False  # anonymous
    profile = client.delete("/api/profiles/ada/follow", headers=alice).json["profile"]
    assert profile["following"] is False


def test_following_twice_is_harmless(client, alice):
    client.post("/api/profiles/ada/follow", headers=alice)
    assert client.post("/api/profiles/ada/follow", headers=alice).json["profile"]["following"]


def test_follow_unknown_user_is_404(client, alice):
    for call in (client.post, client.delete):
        response = call("/api/profiles/nobody/follow", headers=alice, status=404)
        assert response.json == {"errors": {"profile": ["not found"]}}


def test_you_cannot_follow_yourself(client, alice):
    response = client.post("/api/profiles/alice/follow", headers=alice, status=403)
    assert response.json == {"errors": {"profile": ["cannot be followed by itself"]}}
    assert client.delete("/api/profiles/alice/follow", headers=alice).json["profile"][
        "following"] is False


def test_favorite_and_unfavorite(client, alice):
    article = client.post("/api/articles/why-sqlite/favorite", headers=alice).json["article"]
    assert article["favorited"] is True and article["favoritesCount"] == 3
    listed = client.get("/api/articles?favorited=alice", headers=alice).json
    assert [a["slug"] for a in listed["articles"]] == ["why-sqlite"]
    assert listed["articles"][0]["favorited"] is True
    article = client.delete("/api/articles/why-sqlite/favorite", headers=alice).json["article"]
    assert article["favorited"] is False and article["favoritesCount"] == 2


def test_favorite_unknown_article_is_404(client, alice):
    for call in (client.post, client.delete):
        response = call("/api/articles/nope/favorite", headers=alice, status=404)
        assert response.json == {"errors": {"article": ["not found"]}}


def test_feed_shows_followed_authors_newest_first(client, alice):
    assert client.get("/api/articles/feed", headers=alice).json == {
        "articles": [], "articlesCount": 0}
    client.post("/api/profiles/grace/follow", headers=alice)
    feed = client.get("/api/articles/feed", headers=alice).json
    assert [a["slug"] for a in feed["articles"]] == ["a-bug-in-the-relay", "why-sqlite"]
    assert feed["articlesCount"] == 2
    assert all("body" not in a and a["author"]["following"] for a in feed["articles"])


def test_feed_paginates_and_counts_everything(client, alice):
    client.post("/api/profiles/grace/follow", headers=alice)
    page = client.get("/api/articles/feed?limit=1&offset=1", headers=alice).json
    assert [a["slug"] for a in page["articles"]] == ["why-sqlite"]
    assert page["articlesCount"] == 2


def test_author_following_shows_in_articles(client, alice):
    client.post("/api/profiles/grace/follow", headers=alice)
    article = client.get("/api/articles/why-sqlite", headers=alice).json["article"]
    assert article["author"]["following"] is True


def test_feed_and_follow_pages(client):
    register_on_pages(client)
    assert "No articles here yet." in client.get("/feed").text
    post_form(client, "/profile/grace/follow", {"back": "/profile/grace"})
    assert "Why SQLite" in client.get("/feed").text
    assert "Unfollow grace" in client.get("/profile/grace").text
    post_form(client, "/profile/grace/follow")
    assert "Follow grace" in client.get("/profile/grace").text


def test_favorite_button_toggles(client):
    register_on_pages(client)
    post_form(client, "/article/why-sqlite/favorite")
    assert "Unfavourite (3)" in client.get("/article/why-sqlite").text
    post_form(client, "/article/why-sqlite/favorite")
    assert "Favourite (2)" in client.get("/article/why-sqlite").text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "POST", "OPTIONS"])
def test_the_feed_takes_only_get_405(client, alice, method):
    # /api/articles/feed looks like an article's path, but it is no article.
    response = client.request("/api/articles/feed", method=method, headers=alice, status=405)
    assert response.headers["Allow"] == "GET"
    assert response.json == {"errors": {"method": ["not allowed"]}}


# ---- Where the page buttons go back to ----------------------------------------
# A follow or favourite button posts the page it was on as "back", and the
# answer redirects there: only ever to a page of this site.
BUTTONS = {"/profile/grace/follow": "/profile/grace",
           "/article/why-sqlite/favorite": "/article/why-sqlite"}


@pytest.mark.parametrize("button, own_page", BUTTONS.items())
def test_a_button_without_back_returns_to_its_own_page(client, button, own_page):
    register_on_pages(client)
    assert where_a_browser_goes(post_form(client, button)) == SITE + own_page


@pytest.mark.parametrize("button", BUTTONS)
def test_a_button_goes_back_to_the_page_it_names_on_this_site(client, button):
    register_on_pages(client)
    response = post_form(client, button, {"back": "/?tag=history"})
    assert where_a_browser_goes(response) == SITE + "/?tag=history"


@pytest.mark.parametrize("target", OFF_SITE)
@pytest.mark.parametrize("button", BUTTONS)
def test_a_button_never_goes_back_off_site(client, button, target):
    register_on_pages(client)
    response = post_form(client, button, {"back": target})
    assert response.status_int == 303
    assert "evil.example" not in where_a_browser_goes(response)  # neither host nor path
