"""Lesson 1: article bodies are Markdown. The page renders them safely; the API
returns the source as it was written, as the RealWorld spec says."""

import re
from html.parser import HTMLParser

import pytest
from seams import every_article_body

pytestmark = pytest.mark.stage(1)

# The demo article whose body uses a heading, a list, code and a link.
MARKDOWN_SLUG = "routing-is-a-lookup-table"

# Three ways to run script through Markdown: raw HTML, a javascript: link (as
# Markdown and as raw HTML) and an event-handler attribute. Between them, a
# link that is fine.
HOSTILE = """\
<script>alert("a script tag")</script>

<img src="x" onerror="alert('an event handler')">

[click me](javascript:alert('a Markdown link'))

<a href="javascript:alert('a raw link')">or me</a>

<p onmouseover="alert('an attribute')">hover</p>

[Home](/) and [write to us](mailto:demo@stagecraft.dev)
"""


class ArticleBody(HTMLParser):
    """The article body of a page as a browser reads it: its elements and its text."""

    def __init__(self, page: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text = ""
        match = re.search(r'<div class="article-body">(.*?)</div>', page, re.DOTALL)
        assert match, "the page has no <div class=\"article-body\">"
        self.feed(match[1])
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data

    def tags(self) -> list[str]:
        return [tag for tag, _ in self.elements]

    def links(self) -> list[dict]:
        return [attrs for tag, attrs in self.elements if tag == "a"]


def test_article_body_markdown_is_rendered(client):
    body = ArticleBody(client.get(f"/article/{MARKDOWN_SLUG}").text)
    tags = body.tags()
    assert "h2" in tags and "The table, in Bottle" in body.text  # a heading
    assert tags.count("li") == 2 and "ul" in tags  # a list
    assert "code" in tags and "pre" in tags  # inline code and a code block
    # Code shows what was typed: <slug> is text, not a tag.
    assert "GET /api/articles/<slug>" in body.text
    assert 'app.route("/api/tags", "GET", list_tags, name="list_tags")' in body.text
    [link] = body.links()  # a link, marked as one we do not vouch for
    assert link["href"] == "https://bottlepy.org/docs/0.13/routing.html"
    assert set(link["rel"].split()) >= {"nofollow", "noopener"}
    assert "##" not in body.text and "```" not in body.text


def test_script_in_markdown_never_reaches_the_article_page(app, client):
    every_article_body(app, HOSTILE)
    body = ArticleBody(client.get(f"/article/{MARKDOWN_SLUG}").text)
    assert "script" not in body.tags()
    handlers = [name for _, attrs in body.elements for name in attrs if name.startswith("on")]
    assert handlers == []
    hrefs = [link.get("href", "") for link in body.links()]
    assert not [href for href in hrefs if not href.startswith(("/", "mailto:", "http"))]
    assert hrefs == ["/", "mailto:demo@stagecraft.dev"]  # the fine links still work
    assert all(set(link["rel"].split()) >= {"nofollow", "noopener"} for link in body.links())
    # Raw HTML is off, so the reader sees what was typed, as text.
    assert '<script>alert("a script tag")</script>' in body.text


def test_the_api_returns_the_markdown_source_unchanged(app, client):
    demo = client.get(f"/api/articles/{MARKDOWN_SLUG}").json["article"]["body"]
    assert "## The table, in Bottle" in demo and "```python" in demo and "<h2>" not in demo
    every_article_body(app, HOSTILE)
    assert client.get(f"/api/articles/{MARKDOWN_SLUG}").json["article"]["body"] == HOSTILE
