"""A blog: POST /posts stores a post written in Markdown, GET /posts shows them all."""

import bottle
import nh3
from markdown_it import MarkdownIt

# Posts are Markdown, and the page shows them as HTML, printed raw with {{!...}}.
# So two layers. Raw HTML off: a <script> typed into a post comes out as the
# text "<script>". Then a sanitizer keeps only what Markdown itself makes: an
# allowlist of tags and attributes (no on...=), and links to http(s), mailto
# or this site. It still holds if someone turns raw HTML or a plugin on later.
MARKDOWN = MarkdownIt("commonmark", {"html": False})
SANITIZER = nh3.Cleaner(
    tags={"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "ul", "ol", "li", "strong", "em", "code", "pre", "a", "img"},
    attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener",
)


def render(source: str) -> str:
    """The HTML for a post's Markdown, to print raw into the page."""
    return SANITIZER.clean(MARKDOWN.render(source))


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
