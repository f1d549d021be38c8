"""Lesson 3: writing through the API, with validation and the right status codes.

These run at stage 3 (everyone is the demo author) and stage 4 (a real user
with a token), through the ``author`` fixture.
"""

import re

import pytest
from seams import database, is_write, racing_write, traced, value
from webtest import TestApp

pytestmark = pytest.mark.stage(3)


def test_create_article_is_201_with_the_full_article(client, author):
    headers, username = author
    response = client.post_json("/api/articles", {"article": {
        "title": "How to train your dragon", "description": "Ever wonder how?",
        "body": "You have to believe", "tagList": ["dragons", "training"]}}, headers=headers)
    assert response.status_int == 201
    article = response.json["article"]
    assert article["slug"] == "how-to-train-your-dragon"
    assert article["body"] == "You have to believe"
    assert article["tagList"] == ["dragons", "training"]
    assert article["favorited"] is False and article["favoritesCount"] == 0
    assert article["author"]["username"] == username
    assert article["createdAt"] == article["updatedAt"]


def test_created_article_is_listed_first_and_readable(client, new_article):
    slug = new_article(title="Fresh news")["slug"]
    assert client.get("/api/articles").json["articles"][0]["slug"] == slug
    assert client.get(f"/api/articles/{slug}").json["article"]["title"] == "Fresh news"


def test_tag_list_keeps_the_order_it_was_sent_in(client, new_article):
    article = new_article(tagList=["zebra", "apple", "mango"])
    assert article["tagList"] == ["zebra", "apple", "mango"]
    fetched = client.get(f"/api/articles/{article['slug']}").json["article"]
    assert fetched["tagList"] == ["zebra", "apple", "mango"]


def test_repeated_and_blank_tags_are_dropped(client, new_article):
    article = new_article(tagList=["a", "a", " a ", ""])
    assert article["tagList"] == ["a"]
    assert client.get("/api/tags").json["tags"].count("a") == 1


def test_dropping_repeats_keeps_the_first_of_each_in_order(client, author, new_article):
    article = new_article(tagList=["zebra", "apple", "zebra", " apple", "mango "])
    assert article["tagList"] == ["zebra", "apple", "mango"]
    updated = client.put_json(f"/api/articles/{article['slug']}", {"article": {
        "tagList": ["b", "a", "b", "", "  "]}}, headers=author[0]).json["article"]
    assert updated["tagList"] == ["b", "a"]
    assert client.get(f"/api/articles/{article['slug']}").json["article"]["tagList"] == ["b", "a"]


def test_new_tags_appear_in_get_tags_at_once(client, new_article):
    new_article(tagList=["brand-new-tag"])
    assert "brand-new-tag" in client.get("/api/tags").json["tags"]


def test_ties_in_created_at_are_broken_by_id(client, new_article, settings):
    first, second = new_article(title="First"), new_article(title="Second")
    with database(settings) as db:
        db.execute("update articles set created_at = '2030-01-01T00:00:00.000Z'"
                   " where slug in (?, ?)", [first["slug"], second["slug"]])
    slugs = [a["slug"] for a in client.get("/api/articles?limit=2").json["articles"]]
    assert slugs == [second["slug"], first["slug"]]


def test_same_title_gets_distinct_slugs(new_article):
    slugs = {new_article(title="Same title")["slug"] for _ in range(3)}
    assert len(slugs) == 3
    assert all(slug.startswith("same-title") for slug in slugs)


@pytest.mark.parametrize("field", ["title", "description", "body"])
@pytest.mark.parametrize("blank", ["", "   ", None])
def test_blank_required_field_is_422(client, author, field, blank):
    article = {"title": "t", "description": "d", "body": "b", field: blank}
    response = client.post_json("/api/articles", {"article": article}, headers=author[0],
                                status=422)
    assert response.json == {"errors": {field: ["can't be blank"]}}


def test_missing_required_fields_are_all_reported(client, author):
    response = client.post_json("/api/articles", {"article": {}}, headers=author[0], status=422)
    assert set(response.json["errors"]) == {"title", "description", "body"}


@pytest.mark.parametrize("body, field", [
    ({"article": {"title": 5, "description": "d", "body": "b"}}, "title"),
    ({"article": {"title": "t", "description": "d", "body": "b", "tagList": "x"}}, "tagList"),
    ({"article": {"title": "t", "description": "d", "body": "b", "tagList": [1]}}, "tagList"),
    ({"article": {"title": "t" * 201, "description": "d", "body": "b"}}, "title"),
    ({"article": "not an object"}, "article"),
    ({"nothing": {}}, "article"),
])
def test_wrong_types_and_sizes_are_422(client, author, body, field):
    response = client.post_json("/api/articles", body, headers=author[0], status=422)
    assert field in response.json["errors"]


def test_body_that_is_not_json_is_422_not_500(client, author):
    response = client.post("/api/articles", "{not json", headers={
        **author[0], "Content-Type": "application/json"}, status=422)
    assert response.json == {"errors": {"request": ["is not valid JSON"]}}


def test_update_changes_only_what_was_sent_and_moves_updated_at(client, author, new_article):
    article = new_article(tagList=["keep"])
    response = client.put_json(f"/api/articles/{article['slug']}",
                               {"article": {"body": "New body"}}, headers=author[0])
    updated = response.json["article"]
    assert updated["body"] == "New body"
    assert updated["title"] == article["title"] and updated["slug"] == article["slug"]
    assert updated["tagList"] == ["keep"]  # missing tagList keeps the tags
    assert updated["createdAt"] == article["createdAt"]
    assert updated["updatedAt"] > article["updatedAt"]


def test_an_edit_keeps_a_concurrent_edit_of_another_field(app, client, author, new_article,
                                                         settings):
    slug = new_article(body="Old body")["slug"]
    # Another request changes the body while this one changes the title.
    with racing_write(app, settings, "update articles set body = 'Edited meanwhile'"
                                     " where slug = ?", slug):
        client.put_json(f"/api/articles/{slug}", {"article": {"title": "New title"}},
                        headers=author[0])
    article = client.get("/api/articles/new-title").json["article"]
    assert (article["title"], article["body"]) == ("New title", "Edited meanwhile")


def test_update_title_changes_the_slug(client, author, new_article):
    article = new_article()
    updated = client.put_json(f"/api/articles/{article['slug']}",
                              {"article": {"title": "A brand new title"}},
                              headers=author[0]).json["article"]
    assert updated["slug"] == "a-brand-new-title"
    client.get(f"/api/articles/{article['slug']}", status=404)


def test_update_with_empty_tag_list_clears_the_tags(client, author, new_article):
    article = new_article(tagList=["a", "b"])
    updated = client.put_json(f"/api/articles/{article['slug']}",
                              {"article": {"tagList": []}}, headers=author[0]).json["article"]
    assert updated["tagList"] == []


def test_update_with_null_tag_list_is_422(client, author, new_article):
    article = new_article(tagList=["a"])
    response = client.put_json(f"/api/articles/{article['slug']}",
                               {"article": {"tagList": None}}, headers=author[0], status=422)
    assert "tagList" in response.json["errors"]


def test_update_with_blank_title_is_422(client, author, new_article):
    article = new_article()
    response = client.put_json(f"/api/articles/{article['slug']}",
                               {"article": {"title": ""}}, headers=author[0], status=422)
    assert response.json == {"errors": {"title": ["can't be blank"]}}


def test_update_unknown_article_is_404(client, author):
    response = client.put_json("/api/articles/nope", {"article": {"body": "x"}},
                               headers=author[0], status=404)
    assert response.json == {"errors": {"article": ["not found"]}}


def test_delete_article_is_204_and_takes_its_comments(client, author, new_article, settings):
    article = new_article()
    client.post_json(f"/api/articles/{article['slug']}/comments", {"comment": {"body": "hi"}},
                     headers=author[0])
    response = client.delete(f"/api/articles/{article['slug']}", headers=author[0])
    assert response.status_int == 204 and response.body == b""
    client.get(f"/api/articles/{article['slug']}", status=404)
    assert value(settings, "select count(*) from comments") == 2  # only the seeded two remain


def test_delete_unknown_article_is_404(client, author):
    client.delete("/api/articles/nope", headers=author[0], status=404)


def test_someone_elses_article_is_403(client, author):
    # "why-sqlite" belongs to grace, not to the demo author or to alice.
    for call in (lambda: client.put_json("/api/articles/why-sqlite",
                                         {"article": {"body": "mine now"}}, headers=author[0],
                                         status=403),
                 lambda: client.delete("/api/articles/why-sqlite", headers=author[0],
                                       status=403)):
        assert call().json == {"errors": {"article": ["forbidden"]}}
    assert client.get("/api/articles/why-sqlite").json["article"]["body"].startswith("SQLite")


def test_add_and_delete_comment(client, author, new_article):
    slug = new_article()["slug"]
    response = client.post_json(f"/api/articles/{slug}/comments",
                                {"comment": {"body": "Nice one"}}, headers=author[0])
    assert response.status_int == 201
    comment = response.json["comment"]
    assert isinstance(comment["id"], int) and comment["body"] == "Nice one"
    assert comment["author"]["username"] == author[1]
    listed = client.get(f"/api/articles/{slug}/comments").json["comments"]
    assert [c["id"] for c in listed] == [comment["id"]]
    response = client.delete(f"/api/articles/{slug}/comments/{comment['id']}", headers=author[0])
    assert response.status_int == 204
    assert client.get(f"/api/articles/{slug}/comments").json["comments"] == []


def test_deleting_one_comment_keeps_the_others(client, author, new_article):
    slug = new_article()["slug"]
    ids = [client.post_json(f"/api/articles/{slug}/comments", {"comment": {"body": body}},
                            headers=author[0]).json["comment"]["id"] for body in ("one", "two")]
    client.delete(f"/api/articles/{slug}/comments/{ids[0]}", headers=author[0])
    assert [c["body"] for c in client.get(f"/api/articles/{slug}/comments").json["comments"]] \
        == ["two"]


def test_blank_comment_is_422(client, author, new_article):
    slug = new_article()["slug"]
    response = client.post_json(f"/api/articles/{slug}/comments", {"comment": {"body": " "}},
                                headers=author[0], status=422)
    assert response.json == {"errors": {"body": ["can't be blank"]}}


def test_comment_on_unknown_article_is_404(client, author):
    response = client.post_json("/api/articles/nope/comments", {"comment": {"body": "x"}},
                                headers=author[0], status=404)
    assert response.json == {"errors": {"article": ["not found"]}}


def test_delete_unknown_comment_is_404(client, author, new_article):
    slug = new_article()["slug"]
    response = client.delete(f"/api/articles/{slug}/comments/999", headers=author[0],
                             status=404)
    assert response.json == {"errors": {"comment": ["not found"]}}
    client.delete("/api/articles/nope/comments/1", headers=author[0], status=404)


@pytest.mark.parametrize("comment_id", ["99999999999999999999", "0", "-1", "abc"])
def test_impossible_comment_ids_are_404_not_500(client, author, comment_id):
    client.delete(f"/api/articles/why-sqlite/comments/{comment_id}", headers=author[0],
                  status=404)


@pytest.mark.stage(4)  # the feed, /api/articles/feed, arrives with lesson 4
def test_an_article_titled_feed_does_not_hide_behind_the_feed(client, new_article):
    slug = new_article(title="Feed")["slug"]
    assert slug != "feed" and slug.startswith("feed-")
    assert client.get(f"/api/articles/{slug}").json["article"]["title"] == "Feed"


def test_someone_elses_comment_is_403(client, author):
    # The seeded comment on "what-a-web-server-does" is ada's.
    comment_id = client.get("/api/articles/what-a-web-server-does/comments").json[
        "comments"][0]["id"]
    response = client.delete(f"/api/articles/what-a-web-server-does/comments/{comment_id}",
                             headers=author[0], status=403)
    assert response.json == {"errors": {"comment": ["forbidden"]}}


# ---- The OpenAPI document ---------------------------------------------------
def api_routes(app):
    """The route table's API routes, as OpenAPI names them: Bottle's
    ``/articles/<slug:slug>`` is OpenAPI's ``/articles/{slug}``."""
    return {(r.method.lower(), re.sub(r"<(\w+)(?::[^>]*)?>", r"{\1}", r.rule))
            for r in app.routes if r.rule.startswith("/api/")}


def test_openapi_document_describes_exactly_the_route_table(app, client):
    document = client.get("/api/openapi.json").json
    assert document["openapi"] == "3.1.0"
    described = {(method, path) for path, ops in document["paths"].items() for method in ops}
    assert described == api_routes(app)


def test_every_operation_documents_its_responses(client):
    document = client.get("/api/openapi.json").json
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"], f"{method} {path}"
            if operation.get("security") == [{"Token": []}]:
                assert "401" in operation["responses"]


def test_writes_without_login_are_the_demo_authors_until_lesson_4(stage, client):
    response = client.post_json("/api/articles", {"article": {
        "title": "t", "description": "d", "body": "b"}}, expect_errors=True)
    if stage == 3:
        assert response.status_int == 201
        assert response.json["article"]["author"]["username"] == "demo"
    else:
        assert response.status_int == 401
        assert response.json == {"errors": {"token": ["is missing"]}}


def test_reading_a_fresh_database_writes_nothing(stage, settings, create_app):
    app = create_app(stage, settings)  # not seeded: no demo author either, until the app makes one
    client = TestApp(app)
    with traced(app) as statements:
        client.get("/api/articles")
        client.get("/")
    assert [sql for sql, _ in statements if is_write(sql)] == []


def test_on_a_fresh_database_writes_are_the_demo_authors_until_lesson_4(stage, settings,
                                                                       create_app):
    client = TestApp(create_app(stage, settings))  # not seeded
    client.get("/api/articles")
    response = client.post_json("/api/articles", {"article": {
        "title": "t", "description": "d", "body": "b"}}, expect_errors=True)
    if stage == 3:
        assert response.json["article"]["author"]["username"] == "demo"
    else:
        assert response.status_int == 401


INJECTIONS = ["' OR '1'='1", "x'); DROP TABLE articles; --", '" OR 1=1 --', "%' --"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_sql_metacharacters_stay_data(client, author, payload):
    # Sent where each value reaches SQL: a filter, a path segment, a stored field.
    assert client.get("/api/articles", params={"author": payload}).json == {
        "articles": [], "articlesCount": 0}
    assert client.get("/api/articles", params={"tag": payload}).json["articlesCount"] == 0
    client.get(f"/api/profiles/{payload}", status=404)
    article = client.post_json("/api/articles", {"article": {
        "title": payload, "description": payload, "body": payload, "tagList": [payload]}},
        headers=author[0]).json["article"]
    assert (article["title"], article["body"], article["tagList"]) == (payload, payload,
                                                                      [payload])
    assert client.get("/api/articles", params={"tag": payload}).json["articlesCount"] == 1
    assert client.get("/api/articles").json["articlesCount"] == 6  # nothing dropped
