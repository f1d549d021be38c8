"""Lesson 1's pages: the same reads as the API, as HTML for a browser.

Server-rendered with Bottle's SimpleTemplate: no JavaScript needed. The
templates are in this package's ``views/``; the layout and the stylesheet
they share are the core's.
"""

from __future__ import annotations

import bottle

from ..core.pages import STATIC_DIR, render_page
from ..core.web import viewer_id
from .markdown import render_markdown
from .routes import query_number, query_text

PAGE_SIZE = 10


def add_pages(app: bottle.Bottle) -> None:
    # --8<-- [start:pages_routes]
    app.route("/", "GET", home_page, name="home_page")
    app.route("/article/<slug:slug>", "GET", article_page, name="article_page")
    app.route("/profile/<username>", "GET", profile_page, name="profile_page")
    app.route("/static/<filename:path>", "GET", static_file, name="static")
    app.route("/favicon.ico", "GET", favicon, name="favicon")  # browsers ask for it unprompted
    # --8<-- [end:pages_routes]


# --8<-- [start:pages]
def home_page(store):
    tag = query_text("tag")
    page = query_number("page", 1, 10**6) or 1
    articles, count = store.list_articles(
        tag=tag, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, viewer_id=viewer_id()
    )
    pages = max(1, -(-count // PAGE_SIZE))  # ceiling division
    return render_page("home", articles=articles, tags=store.list_tags(), tag=tag,
                       page=page, pages=pages, page_links=page_links(page, pages),
                       title="Home")
# --8<-- [end:pages]


def page_links(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers to link to: the first, the last, and ``around`` either
    side of this one; None where numbers are left out. 100,000 articles make
    10,000 pages: a link to each would make every page grow with the data."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    links: list[int | None] = []
    for number in shown:
        if links and number == links[-1] + 2:  # a gap of one page: show it
            links.append(number - 1)
        elif links and number > links[-1] + 2:
            links.append(None)
        links.append(number)
    return links


def article_page(slug, store):
    article = store.get_article(slug, viewer_id=viewer_id())
    comments = store.list_comments(slug, viewer_id=viewer_id()) if article else None
    if article is None or comments is None:  # gone between the two reads: gone
        raise bottle.HTTPError(404, "No such article.")
    # The body is Markdown: the page shows it rendered and sanitized (markdown.py).
    return render_page("article", article=article, body_html=render_markdown(article["body"]),
                       comments=comments, title=article["title"])


def profile_page(username, store):
    profile = store.get_profile(username, viewer_id=viewer_id())
    if profile is None:
        raise bottle.HTTPError(404, "No such user.")
    articles, _ = store.list_articles(author=username, limit=50, viewer_id=viewer_id())
    return render_page("profile", profile=profile, articles=articles, title=username)


def static_file(filename):
    return bottle.static_file(filename, root=STATIC_DIR)


def favicon():
    return bottle.static_file("favicon.ico", root=STATIC_DIR, mimetype="image/vnd.microsoft.icon")
