"""A blog: POST /posts stores a post written in Markdown, GET /posts shows them all."""

import bottle
from markdown_it import MarkdownIt

# Posts are Markdown, and the page shows them as HTML, printed raw with {{!...}}.
# markdown-it-py's defaults follow the CommonMark spec, and the spec lets raw HTML
# through: a <script>, an <img onerror=...> or an <a href="javascript:...">
# written in a post arrives in every reader's page as it was typed.
MARKDOWN = MarkdownIt()


def render(source: str) -> str:
    """The HTML for a post's Markdown, to print raw into the page."""
    return MARKDOWN.render(source)


PAGE = bottle.SimpleTemplate(
    """<!doctype html>
<title>Blog</title>
% for post in posts:
<article>{{!render(post)}}</article>
% end
"""
)


def create_app() -> bottle.Bottle:
    app = bottle.Bottle()
    posts: list[str] = []

    @app.post("/posts")
    def add_post() -> dict:
        posts.append(bottle.request.forms.getunicode("body", ""))
        bottle.response.status = 201
        return {"posts": len(posts)}

    @app.get("/posts")
    def show_posts() -> str:
        return PAGE.render(posts=posts, render=render)

    return app
