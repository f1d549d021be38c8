"""Lesson 3: writing through the API, with validation and the right status codes.

These run at stage 3 (everyone is the demo author) and stage 4 (a real user
with a token), through the ``author`` fixture.
"""

import re

import pytest
from conftest import post_form, register_on_pages
from seams import SITE, database, is_write, racing_write, traced, value, where_a_browser_goes
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


# ---- Bad JSON is a 422 that says why, never a 500 ----------------------------
def json_routes(stage) -> list[str]:
    """The POST routes that read a JSON body at this stage."""
    return ["/api/articles"] + (["/api/users", "/api/users/login"] if stage >= 4 else [])


def post_text(client, path, text, headers):
    return client.post(path, text, headers={**headers, "Content-Type": "application/json"},
                       expect_errors=True)


def test_deeply_nested_json_is_422_not_500(client, author, stage, caplog):
    for path in json_routes(stage):
        response = post_text(client, path, "[" * 30_000, author[0])
        assert response.status_int == 422, path
        assert response.json == {"errors": {"request": ["is nested too deeply"]}}
    assert "Traceback" not in caplog.text


def test_a_lone_surrogate_in_json_is_422_not_500(client, author, stage, caplog):
    # "\ud800" is half of a UTF-16 pair: valid JSON syntax, but no Unicode text.
    lone = '"\\ud800"'
    bodies = {"/api/articles": [
        f'{{"article": {{"title": {lone}, "description": "d", "body": "b"}}}}',
        f'{{"article": {{"title": "t", "description": "d", "body": "b"}}, {lone}: 1}}']}
    if stage >= 4:
        bodies["/api/users"] = [
            f'{{"user": {{"username": "eve", "email": {lone}, "password": "long enough"}}}}']
        bodies["/api/users/login"] = [f'{{"user": {{"email": {lone}, "password": "x"}}}}']
    for path, texts in bodies.items():
        for text in texts:
            response = post_text(client, path, text, author[0])
            assert response.status_int == 422, (path, text)
            assert response.json == {"errors": {"request": [
                "has text that is not Unicode (a lone surrogate)"]}}
    assert "Traceback" not in caplog.text


def test_control_characters_in_text_fields_are_422(client, author):
    response = client.post_json("/api/articles", {"article": {
        "title": "A\x00B", "description": "red\x1b[31m", "body": "b\x00", "tagList": ["t\x07"]}},
        headers=author[0], status=422)
    assert response.json == {"errors": {field: ["must not contain control characters"]
                                        for field in ("title", "description", "body", "tagList")}}


def test_bodies_and_comments_keep_their_line_breaks_and_tabs(client, author, new_article):
    lines = "Line one\n\tindented\r\nLine two"
    slug = new_article(body=lines)["slug"]
    assert client.get(f"/api/articles/{slug}").json["article"]["body"] == lines
    comment = client.post_json(f"/api/articles/{slug}/comments", {"comment": {"body": lines}},
                               headers=author[0]).json["comment"]
    assert comment["body"] == lines
    response = client.post_json(f"/api/articles/{slug}/comments", {"comment": {"body": "\x00"}},
                                headers=author[0], status=422)
    assert response.json == {"errors": {"body": ["must not contain control characters"]}}


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


def test_a_deleted_comments_id_is_never_given_again(client, author, new_article):
    # Clients keep comment ids: a live page remembers the newest it has, and a
    # slow client may send a DELETE for one. Handed out again, an old id would
    # name somebody else's new comment. (SQLite reuses the largest rowid once
    # its row is gone, unless the table says AUTOINCREMENT.)
    slug = new_article()["slug"]

    def add(body):
        return client.post_json(f"/api/articles/{slug}/comments", {"comment": {"body": body}},
                                headers=author[0]).json["comment"]["id"]

    newest = add("soon gone")
    client.delete(f"/api/articles/{slug}/comments/{newest}", headers=author[0])
    assert add("the next one") > newest


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


def test_the_document_lists_every_status_the_api_really_returns(app, stage, author,
                                                              client_with):
    """Provoke each kind of answer, and find its status among the operation's
    documented responses: lesson 1's 400, and from lesson 5 and 6 on, what they add."""
    client = TestApp(app, lint=False)  # to send a Content-Length that is not a number
    document = client.get("/api/openapi.json").json
    headers = {**author[0], "Content-Type": "application/json"}
    answers = [  # (method, path in the document, the answer the app gave)
        ("post", "/api/articles", client.post(
            "/api/articles", "{}", headers={**headers, "Content-Length": "abc"},
            expect_errors=True)),
        ("get", "/api/tags", client.get("/api/tags", headers={"Content-Length": "abc"},
                                        expect_errors=True)),
        ("get", "/api/articles", client.get("/api/articles?limit=x", expect_errors=True)),
    ]
    if stage >= 5:  # lesson 5: a body too large (any request), or not JSON (any write)
        small = TestApp(client_with(max_body_bytes=10).app, lint=False)
        answers += [
            ("put", "/api/articles/{slug}", small.put(
                "/api/articles/why-sqlite", "x" * 11, headers=headers, expect_errors=True)),
            ("get", "/api/articles/{slug}", small.request(
                "/api/articles/why-sqlite", method="GET", body=b"x" * 11, expect_errors=True)),
            ("post", "/api/profiles/{username}/follow", client.post(
                "/api/profiles/ada/follow", "x",
                headers={**author[0], "Content-Type": "text/plain"}, expect_errors=True))]
    if stage >= 6:  # lesson 6: the client's copy is current
        etag = client.get("/api/tags").headers["ETag"]
        answers.append(("get", "/api/tags", client.get(
            "/api/tags", headers={"If-None-Match": etag}, expect_errors=True)))
    for method, path, answer in answers:
        assert str(answer.status_int) in document["paths"][path][method]["responses"], (
            method, path, answer.status)


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


# ---- The forms: the API's limits, and redirects that stay on this site -------
def log_in_on_pages(client, stage):
    """From lesson 4 a page needs a session: sign up (carol); before that, nobody does."""
    if stage >= 4:
        return register_on_pages(client)
    return None


def test_a_long_article_from_the_editor_is_saved_not_413(client, stage):
    log_in_on_pages(client, stage)
    body = "é" * 20_000  # 120 kB as a form (%C3%A9 each): past Bottle's 102,400 bytes
    response = post_form(client, "/editor", {"title": "Long", "description": "d", "body": body})
    assert response.status_int == 303
    assert client.get("/api/articles/long").json["article"]["body"] == body


def test_too_long_text_in_the_editor_is_422_beside_the_field_and_kept(client, stage):
    log_in_on_pages(client, stage)
    body = "x" * 100_001  # the API's limit, plus one
    response = post_form(client, "/editor", {"title": "Kept", "description": "d", "body": body},
                         status=422)
    assert re.search(r'>x{100001}</textarea>\s*<p class="field-error" id="body-error">.*?'
                     r"Article is too long \(maximum is 100000 characters\)</p>", response.text)
    assert 'value="Kept"' in response.text


def test_a_too_long_comment_from_the_form_is_422_beside_the_field_and_kept(client, stage):
    log_in_on_pages(client, stage)
    comment = "y" * 10_001
    response = post_form(client, "/article/why-sqlite/comments", {"body": comment}, status=422)
    assert "Why SQLite" in response.text  # the article's page, again
    assert re.search(r'>y{10001}</textarea>\s*<p class="field-error" id="body-error">.*?'
                     r"Comment is too long \(maximum is 10000 characters\)</p>", response.text)
    comments = client.get("/api/articles/why-sqlite/comments").json["comments"]
    assert comment not in [c["body"] for c in comments]


# Redirects are built from the path alone: not from the Host or X-Forwarded-Host
# header, which the client writes (bottle.redirect() trusts them).
FORGED_HOST = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
FORWARDED = {"X-Forwarded-Host": "evil.example"}  # WebTest keeps cookies for this one


def test_redirects_stay_on_this_site_whatever_the_host_headers(app, client, stage):
    stranger = TestApp(app)  # no cookies to lose, so its Host header can be forged too
    if stage == 3:
        answers = [stranger.post("/editor", {"title": "Stranger", "description": "d",
                                             "body": "b"}, headers=FORGED_HOST)]
    else:
        answers = [stranger.get("/editor", headers=FORGED_HOST),  # to the login page
                   register_on_pages(client, headers=FORWARDED)]
    answers.append(post_form(client, "/editor", {"title": "Here", "description": "d",
                                                 "body": "b"}, headers=FORWARDED))
    answers.append(post_form(client, "/article/here/comments", {"body": "c"},
                             headers=FORWARDED))
    comment_id = client.get("/api/articles/here/comments").json["comments"][0]["id"]
    answers.append(post_form(client, f"/article/here/comments/{comment_id}/delete",
                             headers=FORWARDED))
    answers.append(post_form(client, "/article/here/delete", headers=FORWARDED))
    if stage >= 4:
        answers += [post_form(client, "/article/why-sqlite/favorite", headers=FORWARDED),
                    post_form(client, "/profile/ada/follow", {"back": "/profile/ada"},
                              headers=FORWARDED),
                    post_form(client, "/logout", headers=FORWARDED),
                    post_form(client, "/login", {"email": "carol@example.com",
                                                 "password": "long enough", "next": "/feed"},
                              headers=FORWARDED)]
    for answer in answers:
        assert answer.status_int == 303, answer.request.path
        location = answer.headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
        assert where_a_browser_goes(answer).startswith(SITE + "/")
