"""Server-rendered pages: what a person sees in a browser, stage by stage."""

import re

import pytest
from conftest import post_form, register_on_pages

XSS = "<script>alert('x')</script>"


def log_in_on_pages(client, stage):
    """Pages log in with the session cookie from lesson 4; before that, nobody needs to."""
    if stage >= 4:
        register_on_pages(client)


@pytest.mark.stage(1)
def test_every_page_links_the_stylesheet_and_names_the_stage(client, stage):
    page = client.get("/")
    assert f"stage {stage}" in page.text
    assert "<link rel=\"stylesheet\" href=\"/static/style.css\">" in page.text


@pytest.mark.stage(1)
def test_every_page_has_a_skip_link_a_description_and_a_favicon(client):
    for page in (client.get("/"), client.get("/article/nothing-here", status=404)):
        assert '<a class="skip-link" href="#main">Skip to content</a>' in page.text
        assert '<main id="main"' in page.text
        assert '<meta name="description" content="' in page.text
        assert '<link rel="icon" href="/favicon.ico"' in page.text


@pytest.mark.stage(1)
def test_pages_show_only_links_that_work_at_this_stage(client, stage):
    home = client.get("/").text
    assert ('href="/editor"' in home) == (stage == 3)  # from 4 on, only once logged in
    assert ('Sign out' in home) is False
    assert ('href="/login"' in home) == (stage >= 4)


@pytest.mark.stage(3)
def test_titles_are_escaped_on_every_page(client, author, new_article):
    slug = new_article(title=XSS, description=XSS, body=XSS, tagList=[XSS])["slug"]
    for path in ("/", f"/article/{slug}", f"/profile/{author[1]}"):
        text = client.get(path).text
        assert XSS not in text, path
        assert "&lt;script&gt;" in text, path


@pytest.mark.stage(3)
def test_editor_creates_an_article(client, stage):
    log_in_on_pages(client, stage)
    form = client.get("/editor").forms["editor"]
    form["title"], form["description"], form["body"] = "From the form", "d", "Para 1\n\nPara 2"
    form["tags"] = "one, two"
    page = form.submit().follow()
    assert "From the form" in page.text and "<p>Para 2</p>" in page.text
    assert client.get("/api/articles/from-the-form").json["article"]["tagList"] == ["one", "two"]


@pytest.mark.stage(3)
def test_editor_errors_keep_what_the_person_wrote(client, stage):
    log_in_on_pages(client, stage)
    response = post_form(client, "/editor", {"title": "", "description": "kept text", "body": "b"},
                           status=422)
    assert "Title can&#039;t be blank" in response.text
    assert 'value="kept text"' in response.text


@pytest.mark.stage(3)
def test_a_refused_editor_form_ties_each_message_to_its_field(client, stage):
    log_in_on_pages(client, stage)
    too_many_tags = " ".join(f"tag{number}" for number in range(21))
    page = post_form(client, "/editor", {"title": "", "description": "", "body": "b",
                                         "tags": too_many_tags}, status=422).text
    # A summary on top, which takes focus without a script, its items worded with
    # the visible labels and linked to their fields.
    assert re.search(r'<div class="error-summary"[^>]*tabindex="-1" autofocus>', page)
    assert '<a href="#title">Title can&#039;t be blank</a>' in page
    assert '<a href="#description">Description can&#039;t be blank</a>' in page
    assert '<a href="#tags">Tags can be at most 20, each at most 64 characters long</a>' in page
    # Each field says it is invalid and names the message beside it.
    for field in ("title", "description"):
        assert re.search(rf'<input id="{field}"[^>]*aria-invalid="true" '
                         rf'aria-describedby="{field}-error">', page)
        assert f'<p class="field-error" id="{field}-error">' in page
    assert re.search(r'<textarea id="body"(?:(?!aria-invalid)[^>])*>b</textarea>', page)


@pytest.mark.stage(3)
def test_buttons_say_what_they_do(client, stage):
    log_in_on_pages(client, stage)
    slug = post_form(client, "/editor", {"title": "Mine", "description": "d", "body": "b"}
                     ).headers["Location"].rsplit("/", 1)[-1]
    post_form(client, f"/article/{slug}/comments", {"body": "Mine too"})
    page = client.get(f"/article/{slug}").text
    for name in ("Edit article", "Delete article", "Post comment", "Delete comment"):
        assert f">{name}</" in page, name


@pytest.mark.stage(3)
def test_edit_and_delete_own_article_from_pages(client, stage):
    log_in_on_pages(client, stage)
    post_form(client, "/editor", {"title": "Mine", "description": "d", "body": "b"})
    form = client.get("/editor/mine").forms["editor"]
    assert form["title"].value == "Mine"
    form["body"] = "Edited"
    assert "Edited" in form.submit().follow().text
    post_form(client, "/article/mine/delete")
    client.get("/article/mine", status=404)


@pytest.mark.stage(3)
def test_cannot_edit_someone_elses_article_from_pages(client, stage):
    log_in_on_pages(client, stage)
    assert client.get("/editor/why-sqlite", status=403).content_type == "text/html"
    post_form(client, "/editor/why-sqlite", {"title": "x", "description": "d", "body": "b"},
                status=403)
    post_form(client, "/article/why-sqlite/delete", status=403)
    client.get("/editor/nope", status=404)


@pytest.mark.stage(3)
def test_comment_form_adds_and_deletes_a_comment(client, stage):
    log_in_on_pages(client, stage)
    page = post_form(client, "/article/why-sqlite/comments", {"body": "Form comment"}).follow()
    assert "Form comment" in page.text
    comment_id = client.get("/api/articles/why-sqlite/comments").json["comments"][0]["id"]
    post_form(client, f"/article/why-sqlite/comments/{comment_id}/delete")
    assert "Form comment" not in client.get("/article/why-sqlite").text
    post_form(client, "/article/nope/comments", {"body": "x"}, status=404)
    post_form(client, "/article/why-sqlite/comments/999/delete", status=404)


@pytest.mark.stage(3)
def test_cannot_delete_someone_elses_comment_from_pages(client, stage):
    log_in_on_pages(client, stage)
    comment_id = client.get("/api/articles/what-a-web-server-does/comments").json[
        "comments"][0]["id"]
    post_form(client, f"/article/what-a-web-server-does/comments/{comment_id}/delete", status=403)


@pytest.mark.stage(2)  # stage 1's in-memory demo world has 5 articles: one page
def test_home_page_pagination_links(client, settings):
    from reference_app.seed import seed

    seed(settings.database, settings, users=3, articles=25)
    page = client.get("/?page=2")
    assert 'aria-label="pages"' in page.text and "<strong>2</strong>" in page.text
    assert 'href="/?page=3"' in page.text
