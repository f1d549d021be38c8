"""Lesson 1: read routes, the error format and the pages, at every stage."""

import re

import bottle
import pytest
from seams import store_with
from webtest import TestApp

pytestmark = pytest.mark.stage(1)

ISO_MS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


def test_list_articles_is_newest_first_without_bodies(client):
    data = client.get("/api/articles").json
    assert data["articlesCount"] == 5
    dates = [a["createdAt"] for a in data["articles"]]
    assert dates == sorted(dates, reverse=True)
    assert all("body" not in a for a in data["articles"])
    first = data["articles"][0]
    assert set(first) == {"slug", "title", "description", "tagList", "createdAt", "updatedAt",
                          "favorited", "favoritesCount", "author"}
    assert ISO_MS.fullmatch(first["createdAt"])
    assert set(first["author"]) == {"username", "bio", "image", "following"}


@pytest.mark.parametrize("query, slugs", [
    ("tag=history", ["a-bug-in-the-relay", "notes-on-the-analytical-engine"]),
    ("author=grace", ["a-bug-in-the-relay", "why-sqlite"]),
    ("favorited=ada", ["why-sqlite"]),
    ("tag=history&author=ada", ["notes-on-the-analytical-engine"]),
    ("tag=no-such-tag", []),
])
def test_list_articles_filters(client, query, slugs):
    data = client.get(f"/api/articles?{query}").json
    assert [a["slug"] for a in data["articles"]] == slugs
    assert data["articlesCount"] == len(slugs)


def test_pagination_counts_all_matches_not_the_page(client):
    page = client.get("/api/articles?limit=2&offset=1").json
    everything = client.get("/api/articles").json["articles"]
    assert page["articlesCount"] == 5
    assert [a["slug"] for a in page["articles"]] == [a["slug"] for a in everything[1:3]]


@pytest.mark.parametrize("query, field", [
    ("limit=abc", "limit"), ("limit=-1", "limit"), ("limit=101", "limit"),
    ("offset=1.5", "offset"), ("offset=99999999999", "offset"),
    ("limit=", "limit"), ("offset=", "offset"),  # empty is not a number: never a guess
])
def test_bad_pagination_is_422_keyed_by_field(client, query, field):
    response = client.get(f"/api/articles?{query}", status=422)
    assert list(response.json["errors"]) == [field]


def test_query_text_that_is_not_utf8_is_422_not_ignored(client):
    # %FF is no UTF-8 text: it must not quietly mean "no filter", listing everything.
    response = client.get("/api/articles?tag=%FF", status=422)
    assert response.json == {"errors": {"tag": ["must be UTF-8 text"]}}
    client.get("/api/articles?limit=%FF", status=422)


def test_get_article_has_body_and_favorites_count(client):
    article = client.get("/api/articles/why-sqlite").json["article"]
    assert article["body"].startswith("SQLite is a library")
    assert article["favoritesCount"] == 2
    assert article["tagList"] == ["databases", "sqlite"]
    assert article["author"]["username"] == "grace"


def test_unknown_article_is_404_in_the_spec_format(client):
    response = client.get("/api/articles/no-such-slug", status=404)
    assert response.json == {"errors": {"article": ["not found"]}}
    assert response.content_type == "application/json"


def test_comments_have_integer_ids_and_authors(client):
    comments = client.get("/api/articles/what-a-web-server-does/comments").json["comments"]
    assert len(comments) == 1
    assert isinstance(comments[0]["id"], int)
    assert comments[0]["author"]["username"] == "ada"
    assert set(comments[0]) == {"id", "body", "createdAt", "updatedAt", "author"}


def test_comments_of_unknown_article_is_404(client):
    assert client.get("/api/articles/nope/comments", status=404).json == {
        "errors": {"article": ["not found"]}}


def test_profile(client):
    profile = client.get("/api/profiles/ada").json["profile"]
    assert profile == {"username": "ada", "bio": "Counting engines, mostly.", "image": None,
                       "following": False}


def test_unknown_profile_is_404(client):
    assert client.get("/api/profiles/nobody", status=404).json == {
        "errors": {"profile": ["not found"]}}


def test_tags_lists_every_tag_in_use(client):
    assert client.get("/api/tags").json == {"tags": [
        "basics", "databases", "debugging", "history", "http", "routing", "sqlite"]}


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/nothing/here", status=404)
    assert response.json == {"errors": {"path": ["not found"]}}


def test_api_without_a_slash_is_json_404_too(client):
    for path in ("/api", "/api/"):
        response = client.get(path, status=404)
        assert response.json == {"errors": {"path": ["not found"]}}
    assert client.get("/apiary", status=404).content_type == "text/html"  # not the API


def test_a_content_length_that_is_not_a_number_is_400_not_500(app, caplog):
    # Python's development server passes such a header on; WebTest's checker
    # would stop it first, so it is turned off here.
    client = TestApp(app, lint=False)
    broken = {"Content-Length": "abc", "Content-Type": "application/json"}
    for method in ("GET", "POST"):
        response = client.request("/api/articles", method=method, headers=broken, body=b"{}",
                                  expect_errors=True)
        assert response.status_int == 400
        assert response.json == {"errors": {"Content-Length": [
            "must be a whole number of bytes"]}}
    page = client.request("/", method="POST", headers=broken, body=b"x", expect_errors=True)
    assert page.status_int == 400 and page.content_type == "text/html"
    assert "Traceback" not in caplog.text


def test_wrong_method_is_json_405_with_allow_header(client):
    response = client.delete("/api/tags", status=405)
    assert response.json == {"errors": {"method": ["not allowed"]}}
    assert "GET" in response.headers["Allow"]


def test_unknown_page_is_an_html_404(client):
    response = client.get("/no/such/page", status=404)
    assert response.content_type == "text/html"
    assert "404" in response.text and "Back to the home page" in response.text


def test_home_page_lists_articles_and_tags(client):
    page = client.get("/")
    assert page.content_type == "text/html"
    assert "A bug in the relay" in page.text
    assert 'href="/?tag=history"' in page.text
    assert 'href="/static/style.css"' in page.text


def test_home_page_filters_by_tag(client):
    page = client.get("/?tag=sqlite")
    assert "Why SQLite" in page.text
    assert "A bug in the relay" not in page.text


def test_home_page_paginates(client):
    # Five demo articles and ten per page: one page, so no page links.
    assert 'aria-label="pages"' not in client.get("/").text


def test_home_page_tag_that_is_not_utf8_is_422(client):
    page = client.get("/?tag=%FF", status=422)
    assert page.content_type == "text/html" and "Tag must be UTF-8 text." in page.text


def test_article_page_shows_body_and_comments(client):
    page = client.get("/article/what-a-web-server-does")
    assert "Everything else is detail." in page.text
    assert "And the details are where the fun is." in page.text


def test_unknown_article_page_is_404(client):
    client.get("/article/nope", status=404)


@pytest.mark.stage(2)  # the store.class seam arrives with lesson 2's database
def test_an_article_gone_between_two_reads_is_404_not_500(app, client):
    # As if another request deleted the article after it was read, before its comments were.
    store_with(app, list_comments=lambda slug, **_: None)
    page = client.get("/article/why-sqlite", status=404)
    assert page.content_type == "text/html"
    response = client.get("/api/articles/why-sqlite/comments", status=404)
    assert response.json == {"errors": {"article": ["not found"]}}


def test_profile_page(client):
    page = client.get("/profile/grace")
    assert "Why SQLite" in page.text and "Articles by grace" in page.text
    client.get("/profile/nobody", status=404)


def test_stylesheet_is_served(client):
    response = client.get("/static/style.css")
    assert response.content_type == "text/css"
    assert "--accent" in response.text
    # No escaping the static folder: enough ".." to reach / from any folder, then a
    # file every Linux and macOS machine has.
    response = client.get("/static/" + "%2e%2e/" * 20 + "etc/passwd", status=(403, 404))
    assert "root:" not in response.text


def test_the_favicon_is_served_not_a_404(client):
    response = client.get("/favicon.ico")  # browsers ask for it whether a page links it or not
    assert response.content_type in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.body[:4] == b"\x00\x00\x01\x00"  # an ICO file's header


def test_a_crash_is_a_json_500_without_traceback(app, caplog):
    def broken():
        raise RuntimeError("secret internal detail")

    app.route("/api/broken", "GET", broken)

    response = TestApp(app).get("/api/broken", status=500, expect_errors=True)
    assert response.json == {"errors": {"server": ["internal error"]}}
    assert "secret internal detail" not in response.text
    assert "secret internal detail" in caplog.text  # but we, the operators, see it


def test_a_crash_on_a_page_is_an_html_500_without_traceback(app):
    def broken():
        raise RuntimeError("secret internal detail")

    app.route("/broken", "GET", broken)

    response = TestApp(app).get("/broken", status=500, expect_errors=True)
    assert "Something went wrong" in response.text
    assert "secret internal detail" not in response.text


def test_the_app_is_an_explicit_bottle_object(app):
    assert isinstance(app, bottle.Bottle)
    assert app is not bottle.default_app()


@pytest.mark.stage(1)
def test_a_trailing_slash_on_an_api_path_is_ignored(client):
    assert client.get("/api/articles/").json == client.get("/api/articles").json
    assert client.get("/api/tags/").json == client.get("/api/tags").json
